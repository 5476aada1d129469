"""Anyone holding a record export can re-check every jury draw and the transparency report."""

from __future__ import annotations

import json

import pytest

from parrhesia.cli import main
from parrhesia.record.exports import record_export_write
from parrhesia.tribunal import selectors, services
from parrhesia.tribunal.models import Sanction
from parrhesia.tribunal.tests.helpers import all_vote, case_reload, jurors_of

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
    payload = json.loads(line)
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
