"""Numbers in a ballot file that do not fit are one-line errors naming the file and line: no
``OverflowError`` or ``ValueError`` traceback, and never a count that silently wraps around."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parrhesia.cli import main
from parrhesia.methods.voting.preflib import (
    MAX_ALTERNATIVES,
    MAX_BALLOTS,
    BallotFileError,
    parse_csv,
    parse_preflib,
    read_profile,
)

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"# NUMBER ALTERNATIVES: 2\n{HUGE}: 1,2\n",
         f"line 2: ballot count '{HUGE}' is too large (at most {MAX_BALLOTS})"),
        ("# NUMBER ALTERNATIVES: 2\n9223372036854775807: 1,2\n9223372036854775807: 2,1\n",
         "line 2: ballot count '9223372036854775807' is too large"),
        (f"# NUMBER ALTERNATIVES: 2\n{MAX_BALLOTS}: 1,2\n{MAX_BALLOTS}: 2,1\n",
         f"more than {MAX_BALLOTS} ballots"),
        ("# NUMBER ALTERNATIVES: 2\n" + "9" * 5000 + ": 1\n", "line 2: ballot count '999"),
        ("# NUMBER ALTERNATIVES: 2\n\u00b2: 1\n",
         "line 2: ballot count must be a positive whole number, got '\u00b2'"),
        ("# NUMBER ALTERNATIVES: 2\n1: 1,\u00b2\n",
         "line 2: '\u00b2' is not an alternative number"),
        (f"# NUMBER ALTERNATIVES: 2\n1: {HUGE}\n", f"line 2: alternative {HUGE} is out of range"),
        (f"# NUMBER ALTERNATIVES: {HUGE}\n1: 1\n",
         f"line 1: NUMBER ALTERNATIVES must be a whole number from 1 to {MAX_ALTERNATIVES}"),
        ("# NUMBER ALTERNATIVES: 99999999999\n1: 1\n", "line 1: NUMBER ALTERNATIVES must be"),
        (f"# ALTERNATIVE NAME {HUGE}: X\n1: 1\n", f"line 1: alternative {HUGE} is out of range"),
        ("# ALTERNATIVE NAME \u00b2: X\n1: 1\n", "line 1: bad alternative number '\u00b2'"),
        (f"{HUGE}\n1,A\n2,B\n1,1,1\n1,1,2\n", "line 1: the number of alternatives must be"),
        ("\u00b2\n1,A\n2,B\n1,1,1\n1,1,2\n", "expected 'count: order'"),
        (f"2\n1,A\n2,B\n1,{HUGE},1\n1,1,2\n", "line 4: expected 'voters,sum of counts,unique"),
        ("2\n\u00b2,A\n2,B\n1,1,1\n1,1,2\n", "line 2: expected 'i,name' with i from 1 to 2"),
    ],
)
def test_preflib_numbers_out_of_range_name_the_line(text: str, message: str) -> None:
    with pytest.raises(BallotFileError) as caught:
        parse_preflib(text, "f.toi")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 300


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"A,B,count\n1,2,{HUGE}\n", f"line 2: ballot count '{HUGE}' is too large"),
        ("A,B\n\u00b2,1\n", "line 2: rank for 'A' must be a positive whole number or blank"),
        (f"A,B\n{HUGE},1\n", f"line 2: rank '{HUGE}' is too large"),
        (",".join(f"c{i}" for i in range(MAX_ALTERNATIVES + 1)) + "\n",
         f"more than {MAX_ALTERNATIVES}"),
    ],
)
def test_csv_numbers_out_of_range_name_the_line(text: str, message: str) -> None:
    with pytest.raises(BallotFileError) as caught:
        parse_csv(text, "f.csv")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@settings(max_examples=100, deadline=None)
@given(
    where=st.sampled_from(["count", "alternative", "header", "name index", "csv count",
                           "csv rank"]),
    number=st.one_of(st.integers(-5, 5), st.integers(), st.integers(-(2**80), 2**80)),
)
def test_any_integer_in_a_file_counts_or_is_a_ballot_file_error(where: str, number: int) -> None:
    text = {
        "count": f"# NUMBER ALTERNATIVES: 3\n{number}: 1,2\n2: 3\n",
        "alternative": f"# NUMBER ALTERNATIVES: 3\n4: 1,{number}\n2: 3\n",
        "header": f"# NUMBER ALTERNATIVES: {number}\n4: 1\n",
        "name index": f"# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME {number}: X\n4: 1\n",
        "csv count": f"A,B,C,count\n1,2,,{number}\n,,1,3\n",
        "csv rank": f"A,B,C\n1,{number},\n,,1\n",
    }[where]
    parse = parse_csv if where.startswith("csv") else parse_preflib
    try:
        profile = parse(text, "f")
    except BallotFileError as error:
        assert "\n" not in str(error)
    else:
        assert (profile.counts > 0).all()
        assert 0 < profile.num_ballots <= MAX_BALLOTS


def test_tally_of_a_huge_count_is_one_line_and_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ballots = tmp_path / "huge.toi"
    ballots.write_text(f"# NUMBER ALTERNATIVES: 2\n{HUGE}: 1,2\n1: 2,1\n")
    assert main(["tally", str(ballots), "--method", "schulze"]) == 1
    error = capsys.readouterr().err
    assert error == (
        f"parrhesia: error: {ballots}, line 2: ballot count '{HUGE}' is too large "
        f"(at most {MAX_BALLOTS})\n"
    )


def test_the_largest_accepted_count_is_counted_exactly(tmp_path: Path) -> None:
    ballots = tmp_path / "big.toi"
    ballots.write_text(f"# NUMBER ALTERNATIVES: 2\n{MAX_BALLOTS - 1}: 1,2\n1: 2,1\n")
    profile = read_profile(ballots)
    assert profile.num_ballots == MAX_BALLOTS
    assert sorted(profile.counts.tolist()) == [1, MAX_BALLOTS - 1]
