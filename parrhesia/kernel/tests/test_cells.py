"""User text in published files: one line where lines are structure, no spreadsheet formulas."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parrhesia.kernel.cells import (
    formula_guard,
    formula_unguard,
    guarded_row,
    one_line,
    web_address,
)

FORMULAS = ['=HYPERLINK("http://evil","x")', "@SUM(1)", "-2+3", "+1", "\tx", "\rx"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_a_spreadsheet_would_run_gets_a_quote(text):
    assert formula_guard(text) == "'" + text


@pytest.mark.parametrize("text", ["Plain words", "", "1 = 1", "'quoted'", "#1"])
def test_other_text_is_left_alone(text):
    assert formula_guard(text) == text


@given(st.text())
def test_the_guard_is_undone_exactly_and_never_leaves_a_formula(text):
    guarded = formula_guard(text)
    assert formula_unguard(guarded) == text
    assert not guarded.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_numbers_are_data_and_stay_numbers():
    assert guarded_row([-1, 0, 1.5, None, "-1 vote", "ok"]) == [-1, 0, 1.5, None, "'-1 vote", "ok"]


@given(st.text())
def test_one_line_has_no_line_break_of_any_kind(text):
    line = one_line(text)
    assert line.splitlines() in ([], [line]) and line == line.strip()
    assert not any(ord(char) < 32 or 0x7F <= ord(char) < 0xA0 for char in line)


def test_one_line_collapses_every_line_separator():
    assert one_line("a\nb\rc\r\nd\u0085e\u2028f\u2029g\x0bh\x1ei") == "a b c d e f g h i"


@pytest.mark.parametrize(
    ("link", "allowed"),
    [
        ("https://example.org/a?b=1", True),
        ("HTTP://example.org", True),
        ("javascript:alert(1)", False),
        ("//evil.example", False),
        ("data:text/html,x", False),
        ("/o/riverside/", False),
        ("https://", False),
        ("https://[::1", False),
        ("https://example.org/\u202e", False),
    ],
)
def test_only_web_addresses_may_be_links(link, allowed):
    assert web_address(link) is allowed
