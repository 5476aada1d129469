"""A calendar of deadlines as iCalendar text (RFC 5545), written by hand: no library needed for
one VCALENDAR of VEVENTs.

* Content lines end with CRLF and are folded at 75 octets (§3.1): a longer line continues on
  the next, which starts with one space; a fold never splits a UTF-8 character.
* TEXT values escape backslash, semicolon, comma and newline (§3.3.11); URIs are not TEXT.
* Times are UTC ("…Z", §3.3.5); an event with a DTSTART and neither DTEND nor DURATION is an
  instant (§3.6.1), which is what a deadline is. Each event has a UID stable across
  downloads (§3.8.4.7), so a calendar updates it instead of adding another.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

LIMIT = 75  # octets per line, CRLF excluded (RFC 5545 §3.1)


@dataclass(frozen=True)
class Deadline:
    uid: str
    at: datetime  # timezone-aware
    summary: str
    description: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    """A TEXT value (§3.3.11): ``\\`` ``;`` ``,`` escaped, any line break as ``\\n``."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def unescape_text(value: str) -> str:
    """The inverse of :func:`escape_text`."""
    out: list[str] = []
    chars = iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append("\n" if following in ("n", "N") else following)
        else:
            out.append(char)
    return "".join(out)


def fold(line: str) -> str:
    """One content line, folded into lines of at most 75 octets, joined by CRLF + space."""
    parts: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > LIMIT:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def unfold(text: str) -> list[str]:
    """The content lines of iCalendar text (§3.1: a CRLF followed by one space or tab goes)."""
    joined = text.replace("\r\n ", "").replace("\r\n\t", "")
    return [line for line in joined.split("\r\n") if line]


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_text(
    deadlines: Iterable[Deadline], *, product: str, name: str, stamp: datetime
) -> str:
    """A VCALENDAR with one VEVENT per deadline; ``stamp`` is when it was written (DTSTAMP)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{product}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for deadline in deadlines:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{deadline.uid}",
            f"DTSTAMP:{utc_stamp(stamp)}",
            f"DTSTART:{utc_stamp(deadline.at)}",
            f"SUMMARY:{escape_text(deadline.summary)}",
        ]
        if deadline.description:
            lines.append(f"DESCRIPTION:{escape_text(deadline.description)}")
        if deadline.url:
            lines.append(f"URL:{deadline.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
