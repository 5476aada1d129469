"""iCalendar text (RFC 5545): folding, escaping, one instant VEVENT per deadline."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from parrhesia.methods.calendar import (
    Deadline,
    calendar_text,
    escape_text,
    fold,
    unescape_text,
    unfold,
)

STAMP = dt.datetime(2026, 12, 6, 6, 0, tzinfo=dt.UTC)
PARIS = dt.timezone(dt.timedelta(hours=1))


@given(st.text())
def test_escaping_round_trips_and_leaves_no_raw_separator(text: str) -> None:
    escaped = escape_text(text)
    assert "\n" not in escaped and "\r" not in escaped
    assert unescape_text(escaped) == text.replace("\r\n", "\n").replace("\r", "\n")


# Text from the database is UTF-8: no lone surrogates (the octet count of one is undefined).
@given(
    st.text(
        alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=["Cs"]),
        max_size=400,
    )
)
def test_folded_lines_fit_75_octets_and_unfold_to_the_line(line: str) -> None:
    folded = fold("SUMMARY:" + line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert unfold(folded + "\r\n") == ["SUMMARY:" + line]


def test_a_calendar_has_one_instant_event_per_deadline_in_utc() -> None:
    text = calendar_text(
        [
            Deadline(
                "ballot-1@x", dt.datetime(2026, 12, 9, 18, 0, tzinfo=PARIS), "Vote: rent, 2027; ok"
            ),
            Deadline(
                "case-2@x",
                dt.datetime(2026, 12, 10, 9, 30, tzinfo=dt.UTC),
                "Case 2",
                url="https://x/c/2/",
            ),
        ],
        product="-//Parrhesia//To-do//EN",
        name="Carol's deadlines",
        stamp=STAMP,
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith(
        "END:VCALENDAR\r\n"
    )
    lines = unfold(text)
    assert lines.count("BEGIN:VEVENT") == 2 == lines.count("END:VEVENT")
    assert "DTSTART:20261209T170000Z" in lines  # 18:00 in Paris is 17:00 UTC
    assert "SUMMARY:Vote: rent\\, 2027\\; ok" in lines
    assert "URL:https://x/c/2/" in lines
    assert not any(line.startswith(("DTEND", "DURATION")) for line in lines)
