"""Entries and RFC 8785 canonical bytes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parrhesia.methods.record.canonical import (
    EntryError,
    canonical_json,
    entry_bytes,
    format_time,
    parse_canonical,
    parse_entry,
)

TIME = "2026-11-27T04:37:48.123456Z"


def test_entry_bytes_known_answer() -> None:
    data = entry_bytes(0, TIME, 7, "motion.adopted", "motion", 12, {"title": "Café", "b": [1.5, 2]})
    assert data == (
        b'{"action":"motion.adopted","actor":7,"payload":{"b":[1.5,2],"title":"Caf\xc3\xa9"},'
        b'"seq":0,"subject":{"id":12,"kind":"motion"},"time":"2026-11-27T04:37:48.123456Z"}'
    )
    entry = parse_entry(data)
    assert (entry.seq, entry.actor, entry.subject_kind, entry.subject_id) == (0, 7, "motion", 12)
    assert entry.to_bytes() == data


def test_rfc8785_examples() -> None:
    # RFC 8785 §3.2.2.3 number formatting and §3.2.3 key ordering (UTF-16 code units)
    assert canonical_json([1e21, 1e-7, 0.000001, -0.0, 333333333.33333329]) == (
        b"[1e+21,1e-7,0.000001,0,333333333.3333333]"
    )
    assert canonical_json({"\u20ac": 1, "\r": 2, "1": 3, "\U0001f600": 4, "\u00c0": 5}) == (
        '{"\\r":2,"1":3,"\u00c0":5,"\u20ac":1,"\U0001f600":4}'.encode()
    )


def test_datetime_time_is_utc_with_microseconds() -> None:
    moment = dt.datetime(2026, 11, 27, 5, 37, 48, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert format_time(moment) == "2026-11-27T04:37:48.000000Z"
    data = entry_bytes(1, moment, None, "org.created", "organisation", "demo", {})
    assert parse_entry(data).time == "2026-11-27T04:37:48.000000Z"
    with pytest.raises(EntryError):
        format_time(dt.datetime(2026, 1, 1))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"seq": -1},
        {"seq": True},
        {"time": "2026-11-27T04:37:48Z"},
        {"time": "2026-11-27 04:37:48.123456Z"},
        {"time": "2026-13-27T04:37:48.123456Z"},
        {"actor": "7"},
        {"action": "adopted"},
        {"action": "Motion.Adopted"},
        {"subject_kind": ""},
        {"subject_id": 1.5},
        {"payload": {"big": 2**60}},
        {"payload": {"nan": float("nan")}},
    ],
)
def test_invalid_entries_are_refused(kwargs: dict[str, object]) -> None:
    fields: dict[str, object] = {
        "seq": 0,
        "time": TIME,
        "actor": None,
        "action": "motion.adopted",
        "subject_kind": "motion",
        "subject_id": None,
        "payload": {},
    }
    fields.update(kwargs)
    with pytest.raises(EntryError):
        entry_bytes(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "line",
    [
        b'{"a":1,"a":2}',
        b'{"b":1,"a":2}',
        b'{"a": 1}',
        b'{"a":1.0}',
        b'{"a":"\\u0041"}',
        b'{"a":1E3}',
        b"[NaN]",
        b"12345678901234567890",
        b"\xff",
        b"",
    ],
)
def test_non_canonical_lines_are_refused(line: bytes) -> None:
    with pytest.raises(EntryError):
        parse_canonical(line)


def test_entry_line_must_have_exactly_the_keys() -> None:
    good = json.loads(entry_bytes(0, TIME, None, "a.b", "k", None, {}))
    for key in ("seq", "payload"):
        value = dict(good)
        del value[key]
        with pytest.raises(EntryError, match="keys"):
            parse_entry(canonical_json(value))
    with pytest.raises(EntryError, match="keys"):
        parse_entry(canonical_json({**good, "extra": 1}))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_canonical_round_trip(value: object) -> None:
    data = canonical_json(value)
    assert canonical_json(parse_canonical(data)) == data
    assert b"\n" not in data  # one entry per line
