"""The ``parrhesia tally`` command: JSON contract, text output, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parrhesia.cli import main
from parrhesia.methods.tests.voting.conftest import DATA

BURLINGTON = str(DATA / "00005-00000002.toi")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["tally", *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("method", ["plurality", "approval", "schulze", "ranked-pairs", "irv"])
def test_json_has_the_documented_keys(capsys: pytest.CaptureFixture[str], method: str) -> None:
    status, out, _ = run(capsys, BURLINGTON, "--method", method, "--format", "json")
    doc = json.loads(out)
    assert status == 0
    assert {"method", "seats", "winners", "ranking", "alternatives", "ballots"} <= doc.keys()
    assert doc["method"] == method and doc["seats"] == 1
    assert set(doc["winners"]) <= set(doc["alternatives"])
    if method in ("schulze", "ranked-pairs"):
        assert len(doc["pairwise"]) == len(doc["alternatives"])
    if method == "irv":
        assert doc["winners"] == ["Bob Kiss"] and doc["rounds"][-1]["elected"] == "Bob Kiss"


def test_stv_json_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, BURLINGTON, "--method", "stv", "--seats", "2", "--format", "json")
    doc = json.loads(out)
    assert status == 0 and len(doc["winners"]) == 2 and doc["quota"] == 8976 // 3 + 1
    assert doc["rounds"][0]["action"] == "first preferences"
    status, out, _ = run(capsys, BURLINGTON, "--method", "stv", "--seats", "2")
    assert status == 0 and out.startswith(BURLINGTON) and "Winners:" in out


def test_csv_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("Yes,No,count\n1,2,3\n2,1,2\n", encoding="utf-8")
    status, out, _ = run(capsys, str(path), "--method", "schulze", "--format", "json")
    assert status == 0 and json.loads(out)["winners"] == ["Yes"]


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["missing.soi", "--method", "irv"], "no such file"),
        ([BURLINGTON, "--method", "stv", "--seats", "0"], "--seats must be between"),
        ([BURLINGTON, "--method", "stv", "--seats", "7"], "--seats must be between"),
        ([BURLINGTON, "--method", "schulze", "--seats", "2"], "--seats must be 1"),
    ],
)
def test_user_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 1 and out == ""
    assert fragment in err and err.count("\n") == 1 and "Traceback" not in err


def test_malformed_file_names_the_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.toi"
    path.write_text("# NUMBER ALTERNATIVES: 2\n1: 1,2\n2: 1,3\n", encoding="utf-8")
    status, _, err = run(capsys, str(path), "--method", "irv")
    assert status == 1 and "line 3" in err and "out of range" in err


def test_unknown_method_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["tally", BURLINGTON, "--method", "borda"])
    assert caught.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
