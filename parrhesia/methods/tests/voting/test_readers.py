"""PrefLib and CSV readers: the format, and one-line errors naming the line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from parrhesia.methods.voting import BallotFileError, read_profile
from parrhesia.methods.voting.preflib import parse_csv, parse_preflib

HEADER = "# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: Ann\n# ALTERNATIVE NAME 2: Bob\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_preflib_ties_truncation_and_grouping() -> None:
    profile = parse_preflib(HEADER + "# ALTERNATIVE NAME 3: Cy\n2: 1,{2,3}\n1: 3\n3: 1,{3,2}\n")
    assert profile.alternatives == ("Ann", "Bob", "Cy")
    assert profile.num_ballots == 6
    rows = {tuple(r): int(c) for r, c in zip(profile.ranks, profile.counts, strict=True)}
    assert rows == {(0, 1, 1): 5, (3, 3, 0): 1}  # unranked = tier 3 (equally last)


def test_unnamed_alternative_is_called_by_number() -> None:
    assert parse_preflib(HEADER + "1: 3,1\n").alternatives == ("Ann", "Bob", "3")


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        ("1: 1,4\n", 4, "out of range"),
        ("1 1,2\n", 4, "expected 'count: order'"),
        ("x: 1,2\n", 4, "positive whole number"),
        ("1: 1,{2,3\n", 4, "without a matching"),
        ("1: 1,2}\n", 4, "without a matching"),
        ("1: 1,1\n", 4, "appears twice"),
        ("1: 1,,2\n", 4, "empty entry"),
        ("1: 2\n1: a\n", 5, "not an alternative number"),
        ("1: {}\n", 4, "empty tie group"),
    ],
)
def test_preflib_errors_name_the_line(tmp_path: Path, data: str, line: int, message: str) -> None:
    path = write(tmp_path, "bad.soi", HEADER + data)
    with pytest.raises(BallotFileError) as caught:
        read_profile(path)
    assert caught.value.line == line
    assert f"line {line}" in str(caught.value) and message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_file_level_errors(tmp_path: Path) -> None:
    for path, message in [
        (tmp_path / "missing.soc", "no such file"),
        (write(tmp_path, "x.txt", "1: 1"), "unsupported file type"),
        (write(tmp_path, "empty.soc", HEADER), "no ballots"),
        (write(tmp_path, "nohead.soc", "1: 1,2\n"), "NUMBER ALTERNATIVES"),
    ]:
        with pytest.raises(BallotFileError, match=message):
            read_profile(path)
    binary = tmp_path / "bin.soi"
    binary.write_bytes(b"# NUMBER ALTERNATIVES: 2\n1: 1,2\n\xff\xfe\n")
    with pytest.raises(BallotFileError, match="line 3: is not UTF-8"):
        read_profile(binary)


def test_csv_ranks_ties_blanks_and_count_column() -> None:
    profile = parse_csv("Ann,Bob,Cy,count\n1,2,2,3\n,1,,1\n2,5,9,1\n")
    assert profile.alternatives == ("Ann", "Bob", "Cy")
    rows = {tuple(r): int(c) for r, c in zip(profile.ranks, profile.counts, strict=True)}
    assert rows == {(0, 1, 1): 3, (3, 0, 3): 1, (0, 1, 2): 1}


def test_csv_approval_ballots_are_top_tier() -> None:
    profile = parse_csv("A,B,C\n1,1,0\n0,1,0\n")
    approved = profile.ranks == 0
    assert sorted(map(tuple, approved.astype(int).tolist())) == [(0, 1, 0), (1, 1, 0)]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("A,B\n1,x\n", 2, "positive whole number or blank"),
        ("A,B\n1\n", 2, "expected 2 cells"),
        ("A,B,count\n1,2,0\n", 2, "positive whole number"),
        ("A,\n1,2\n", 1, "blank"),
    ],
)
def test_csv_errors_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(BallotFileError) as caught:
        parse_csv(text, "f.csv")
    assert caught.value.line == line and message in str(caught.value)


def test_grouping_merges_identical_ballots() -> None:
    profile = parse_csv("A,B\n1,2\n1,2\n2,1\n1,2\n")
    assert sorted(profile.counts.tolist()) == [1, 3]
    assert np.array_equal(profile.ranks.sum(axis=1), [1, 1])


LEGACY = "3\n1,Ann\n2,Bob\n3,Cy\n6,6,3\n2,1,{2,3}\n1,3\n3,1,{3,2}\n"


def test_preflib_first_format_reads_as_the_current_one() -> None:
    legacy = parse_preflib(LEGACY)
    current = parse_preflib(HEADER + "# ALTERNATIVE NAME 3: Cy\n2: 1,{2,3}\n1: 3\n3: 1,{3,2}\n")
    assert legacy.alternatives == current.alternatives == ("Ann", "Bob", "Cy")
    assert (legacy.ranks == current.ranks).all() and (legacy.counts == current.counts).all()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (LEGACY.replace("3,Cy", "4,Cy"), 4, "expected 'i,name' with i from 1 to 3"),
        (LEGACY.replace("6,6,3", "6,six,3"), 5, "expected 'voters,sum of counts,unique orders'"),
        (LEGACY.replace("6,6,3", "6,7,3"), None, "add up to 6, but line 5 says 7"),
        (LEGACY.replace("1,3\n", "1,5\n"), 7, "out of range"),
        ("3\n1,Ann\n", None, "expected 3 alternative lines"),
        (LEGACY.replace("6,6,3", "7,7,4") + "1\n", 9, "expected 'count,order', got '1'"),
    ],
)
def test_preflib_first_format_errors_name_the_line(text: str, line: int | None,
                                                   message: str) -> None:
    with pytest.raises(BallotFileError, match=message) as caught:
        parse_preflib(text, "old.soi")
    assert caught.value.line == line
