"""Record entries and their canonical bytes (RFC 8785, JSON Canonicalization Scheme).

An entry is the JSON object::

    {"seq": 0, "time": "2026-11-27T04:37:48.123456Z", "actor": 7, "action": "motion.adopted",
     "subject": {"kind": "motion", "id": 12}, "payload": {...}}

Its bytes — the Merkle leaf data of RFC 9162 §2.1.1 — are the RFC 8785 canonical serialisation of
that object, UTF-8 encoded. Canonical JSON has no insignificant whitespace, sorted keys
(RFC 8785 §3.2.3), ECMAScript number formatting (§3.2.2.3) and minimal string escaping
(§3.2.2.2), so one value has exactly one serialisation: a line that is not byte-for-byte
canonical has been tampered with.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import rfc8785

__all__ = [
    "ACTION_RE",
    "Entry",
    "EntryError",
    "canonical_json",
    "entry_bytes",
    "format_time",
    "parse_canonical",
    "parse_entry",
]

#: ``time`` is UTC with exactly six fractional digits and a ``Z`` suffix.
TIME_RE = re.compile(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z\Z")
#: ``action`` is a dotted name of at least two lowercase segments: ``motion.adopted``.
ACTION_RE = re.compile(r"\A[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+\Z")

ENTRY_KEYS = frozenset({"seq", "time", "actor", "action", "subject", "payload"})
SUBJECT_KEYS = frozenset({"kind", "id"})


class EntryError(ValueError):
    """An entry (or a line that should be one) is malformed or not canonical."""


def canonical_json(value: Any) -> bytes:
    """Serialise ``value`` as RFC 8785 canonical JSON (UTF-8 bytes).

    Raises :class:`EntryError` for values JCS cannot represent (NaN, infinities, integers outside
    ±(2**53 − 1) — RFC 8785 §3.2.2.3 — lone surrogates, non-string keys, other types).
    """
    try:
        return rfc8785.dumps(value)
    except (
        rfc8785.CanonicalizationError,
        TypeError,
        ValueError,
        UnicodeError,
        RecursionError,
    ) as error:
        raise EntryError(f"not representable as canonical JSON: {error}") from None


_MAX_SAFE = 2**53 - 1


def _parse_int(text: str) -> int | float:
    """JSON numbers are IEEE 754 doubles in JCS (RFC 8785 §3.2.2.3): an integer literal outside
    the safe range is the double it denotes (``9007199254740992`` is how JCS writes 2.0**53)."""
    number = int(text)
    return number if -_MAX_SAFE <= number <= _MAX_SAFE else float(number)


def parse_canonical(line: bytes) -> Any:
    """Parse one JSON text and check that ``line`` is exactly its RFC 8785 serialisation.

    ``line`` excludes the line terminator. Duplicate keys, whitespace, unsorted keys, other
    number spellings or escapes all make the check fail.
    """
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise EntryError("not UTF-8") from None
    try:
        value = json.loads(text, parse_int=_parse_int)
    except (json.JSONDecodeError, RecursionError, ValueError):
        raise EntryError("not JSON") from None
    if canonical_json(value) != line:
        raise EntryError("not canonical JSON (RFC 8785): the line was altered")
    return value


def format_time(moment: dt.datetime) -> str:
    """Format an aware datetime as the entry ``time``: UTC, microseconds, ``Z``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise EntryError("time must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _check_time(value: object) -> str:
    if not isinstance(value, str) or not TIME_RE.match(value):
        raise EntryError(f"time must look like 2026-11-27T04:37:48.123456Z, not {value!r}")
    try:
        dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ")
    except ValueError:
        raise EntryError(f"time is not a valid date and time: {value!r}") from None
    return value


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Entry:
    """One validated record entry; ``payload`` is a JSON object."""

    seq: int
    time: str
    actor: int | None
    action: str
    subject_kind: str
    subject_id: str | int | None
    payload: Mapping[str, Any]
    # The leaf as recorded, when ``payload`` is opened (sealed values substituted): its bytes
    # are no longer the leaf's, so whoever hashes the log reads :meth:`leaf_bytes`.
    leaf: bytes | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "time": self.time,
            "actor": self.actor,
            "action": self.action,
            "subject": {"kind": self.subject_kind, "id": self.subject_id},
            "payload": dict(self.payload),
        }

    def to_bytes(self) -> bytes:
        """The canonical bytes: the RFC 9162 leaf data (of an unopened entry)."""
        return canonical_json(self.to_json())

    def leaf_bytes(self) -> bytes:
        """The RFC 9162 leaf data as recorded, sealed values committed (an opened entry's too)."""
        return self.leaf if self.leaf is not None else self.to_bytes()


def _validate(value: Any) -> Entry:
    if not isinstance(value, dict):
        raise EntryError("an entry must be a JSON object")
    if set(value) != ENTRY_KEYS:
        missing = sorted(ENTRY_KEYS - set(value))
        extra = sorted(set(value) - ENTRY_KEYS)
        raise EntryError(f"entry keys wrong (missing {missing}, unexpected {extra})")
    seq = value["seq"]
    if not _is_int(seq) or seq < 0:
        raise EntryError(f"seq must be a non-negative integer, not {seq!r}")
    time = _check_time(value["time"])
    actor = value["actor"]
    if actor is not None and not _is_int(actor):
        raise EntryError(f"actor must be an integer or null, not {actor!r}")
    action = value["action"]
    if not isinstance(action, str) or not ACTION_RE.match(action):
        raise EntryError(
            f"action must be a dotted lowercase name like 'motion.adopted', not {action!r}"
        )
    subject = value["subject"]
    if not isinstance(subject, dict) or set(subject) != SUBJECT_KEYS:
        raise EntryError('subject must be {"kind": ..., "id": ...}')
    kind, subject_id = subject["kind"], subject["id"]
    if not isinstance(kind, str) or not kind:
        raise EntryError("subject kind must be a non-empty string")
    if subject_id is not None and not isinstance(subject_id, str) and not _is_int(subject_id):
        raise EntryError(f"subject id must be a string, an integer or null, not {subject_id!r}")
    payload = value["payload"]
    if not isinstance(payload, dict):
        raise EntryError("payload must be a JSON object")
    return Entry(seq, time, actor, action, kind, subject_id, payload)


def entry_bytes(
    seq: int,
    time: str | dt.datetime,
    actor: int | None,
    action: str,
    subject_kind: str,
    subject_id: str | int | None,
    payload: Mapping[str, Any],
) -> bytes:
    """Validate an entry and return its canonical bytes (the Merkle leaf data).

    ``time`` may be an aware :class:`datetime.datetime` (converted to UTC) or an already formatted
    string. Raises :class:`EntryError` when a field is invalid.
    """
    if isinstance(time, dt.datetime):
        time = format_time(time)
    value = {
        "seq": seq,
        "time": time,
        "actor": actor,
        "action": action,
        "subject": {"kind": subject_kind, "id": subject_id},
        "payload": dict(payload) if isinstance(payload, Mapping) else payload,
    }
    _validate(value)
    return canonical_json(value)


def parse_entry(line: bytes) -> Entry:
    """Parse and validate one entry line (without its ``\\n``), insisting on canonical bytes."""
    return _validate(parse_canonical(line))
