"""Anyone can recount every closed ballot from the record export alone."""

from __future__ import annotations

import json

import pytest

from parrhesia.cli import main
from parrhesia.decisions import services
from parrhesia.methods.record.canonical import canonical_json
from parrhesia.record.exports import record_export_write

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(tmp_path, riverside, open_ballot, voters):
    schulze = open_ballot("schulze", ["A", "B", "C"], status_quo_label="Status quo")
    for name, ranking in [
        ("alice", [[0], [3]]),
        ("bob", [[1], [0]]),
        ("carol", [[0], [1, 2]]),
        ("erin", [[3], [0]]),
    ]:
        services.ballot_vote(user=voters[name], ballot=schulze, choices=ranking)
    services.ballot_vote(user=voters["erin"], ballot=schulze, choices=[[0], [3]])  # changed
    services.ballot_close(user=voters["bob"], ballot=schulze)
    stv = open_ballot("stv", ["Ana", "Ben", "Chloé", "Dev"], seats=3, secrecy="secret")
    for name, ranking in [("alice", [[0], [1]]), ("bob", [[2]]), ("carol", [[3], [0]])]:
        services.ballot_vote(user=voters[name], ballot=stv, choices=ranking)
    services.ballot_close(user=voters["bob"], ballot=stv)
    hidden = open_ballot(results_hidden=True)
    services.ballot_vote(user=voters["carol"], ballot=hidden, choices="against")
    services.ballot_close(user=voters["bob"], ballot=hidden)
    open_ballot("approval", ["X", "Y"])  # still open: not counted
    path = tmp_path / "riverside.jsonl"
    with path.open("wb") as handle:
        record_export_write(riverside, handle)
    return path


def test_it_recounts_every_closed_ballot(export, capsys):
    assert main(["decisions", "recount", "--record", str(export)]) == 0
    assert "recounted 3 closed ballot(s) of 'riverside'" in capsys.readouterr().out


def tampered(path, change):
    lines = path.read_bytes().split(b"\n")
    for number, line in enumerate(lines):
        if b'"ballot.closed"' in line:
            line_value = json.loads(line)  # parrhesia-record/2: {"entry": …, "openings": …}
            change(line_value["entry"]["payload"])
            lines[number] = canonical_json(line_value)
            break
    path.write_bytes(b"\n".join(lines))
    return path


def test_a_tampered_export_does_not_verify(export, capsys):
    tampered(export, lambda p: p["result"].update(turnout=99))
    assert main(["decisions", "recount", "--record", str(export)]) == 1
    assert "does not verify" in capsys.readouterr().err


def test_a_forged_result_is_named(export, capsys):
    def forge(payload):
        payload["result"]["winners"] = ["B"]

    tampered(export, forge)
    assert main(["decisions", "recount", "--record", str(export), "--skip-verify"]) == 1
    error = capsys.readouterr().err
    assert "ballot" in error and "winners" in error and "['B']" in error


def test_a_missing_file_is_one_line(tmp_path, capsys):
    assert main(["decisions", "recount", "--record", str(tmp_path / "none.jsonl")]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
