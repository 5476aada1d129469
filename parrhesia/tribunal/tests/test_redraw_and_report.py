"""Anyone holding a record export can re-check every jury draw and the transparency report."""

from __future__ import annotations

import json

import pytest

from parrhesia.cli import main
from parrhesia.record.exports import record_export_write
from parrhesia.tribunal import selectors, services
from parrhesia.tribunal.models import Sanction
from tests.fixtures.tribunal import all_vote, case_reload, jurors_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(court, alice, bob, carol, member_of):
    case = services.report_file(
        user=alice,
        organisation=court,
        kind="member",
        object_id=member_of(carol).pk,
        rules=[1],
        description="Insults.",
    )
    services.defence_file(user=carol, case=case, statement="No.", answered=True)
    case = case_reload(case)
    services.juror_recuse(user=jurors_of(case)[0], case=case, reason="Neighbour")
    case = all_vote(case_reload(case), [Sanction.WARNING] * 3)
    services.appeal_file(user=carol, case=case, material="Too harsh.")
    all_vote(case_reload(case), [Sanction.NONE] * 4 + [Sanction.WARNING] * 3, round="appeal")
    other = services.report_file(
        user=carol,
        organisation=court,
        kind="member",
        object_id=member_of(bob).pk,
        rules=[3],
        description="Off-topic.",
    )
    services.case_dismiss(user=alice, case=other, reason="Not a rule.")
    return court


def export(organisation, tmp_path):
    path = tmp_path / "record.jsonl"
    with path.open("wb") as handle:
        record_export_write(organisation, handle)
    return str(path)


def test_redraw_reproduces_every_recorded_jury(decided, tmp_path, capsys):
    path = export(decided, tmp_path)
    assert main(["tribunal", "redraw", "--all", "--record", path]) == 0
    assert "OK: 3 jury draw(s) reproduced" in capsys.readouterr().out
    assert main(["tribunal", "redraw", "1", "--record", path]) == 0


def test_redraw_names_the_first_draw_that_is_not_reproduced(decided, tmp_path, capsys):
    from parrhesia.methods.record.export import iter_entries
    from parrhesia.tribunal.models import Juror

    # A jury that is not the lot's: the record says one thing, the database another —
    # and an export whose draw entry was altered no longer verifies at all.
    path = export(decided, tmp_path)
    lines = open(path, "rb").read().splitlines(keepends=True)
    draw = next(e for e in iter_entries(path) if e.action == "jury.drawn")
    line = lines[draw.seq + 1]
    payload = json.loads(line)["entry"]  # parrhesia-record/2: {"entry": …, "openings": …}
    jurors = payload["payload"]["jurors"]
    payload["payload"]["jurors"] = list(reversed(jurors))
    assert Juror.objects.filter(member_id__in=jurors).exists()
    from parrhesia.cli.tribunal import redraw_check

    entries = list(iter_entries(path))
    entries[draw.seq] = type(draw)(**{**draw.__dict__, "payload": payload["payload"]})
    checked, failure = redraw_check(entries)
    assert checked == 0 and failure.startswith("case 1, jury")
    lines[draw.seq + 1] = line.replace(b'"jurors":[', b'"jurors":[9999,', 1)
    open(path, "wb").writelines(lines)
    assert main(["tribunal", "redraw", "--all", "--record", path]) == 1
    assert "does not verify" in capsys.readouterr().err


def test_the_transparency_report_equals_its_recomputation_from_the_export(
    decided, tmp_path, capsys
):
    report = selectors.transparency_of(decided)
    path = export(decided, tmp_path)
    assert main(["tribunal", "report", "--record", path]) == 0
    assert json.loads(capsys.readouterr().out) == report
    assert report["reports"] == 2 and report["dismissed"] == 1
    assert report["outcomes"]["warning"] == 1
    assert report["appeals"] == report["appeals_decided"] == report["appeals_reversed"] == 1
    assert report["reversal_rate"] == 1.0
    assert report["cases_by_rule"] == {"1": 1, "3": 1}
    assert report["cases_by_initiator"] == {"member": 1, "steward": 1}
    assert main(["tribunal", "report", "--record", path, "--format", "csv"]) == 0
    assert "reversal_rate,,1.0" in capsys.readouterr().out


def test_the_report_counts_jury_deadlines_from_entries_alone():
    from parrhesia.tribunal.transparency import report_rows, transparency_report

    def entry(action, case, **payload):
        time = "2025-03-01T12:00:00.000000Z"
        subject = {"kind": "case", "id": case}
        return {"time": time, "action": action, "subject": subject, "payload": payload}

    entries = [
        entry("jury.deadline_set", 1, round="jury", days=14, why="defence_closed"),
        entry("jury.reminded", 1, round="jury", members=[11, 12]),
        entry("jury.juror_lapsed", 1, member=11, reason="did not vote by the deadline"),
        entry("jury.juror_lapsed", 1, member=12, reason="did not vote by the deadline"),
        entry("jury.reminded", 1, round="jury", members=[13]),
        entry("jury.stuck", 1, round="jury", not_voted=[13], eligible=0),
        entry("jury.stuck", 1, round="jury", not_voted=[13, 14], eligible=1),  # again: one jury
        entry("jury.stuck", 2, round="jury", not_voted=[21], eligible=0),
        entry("jury.stuck", 2, round="appeal", not_voted=[22], eligible=0),  # another jury
    ]
    report = transparency_report(entries)
    assert (report["jurors_reminded"], report["jurors_lapsed"], report["juries_stuck"]) == (3, 2, 3)
    rows = report_rows(report)
    assert ("jurors_lapsed", "", 2) in rows and ("juries_stuck", "", 3) in rows
    empty = transparency_report([])
    assert (empty["jurors_reminded"], empty["jurors_lapsed"], empty["juries_stuck"]) == (0, 0, 0)
