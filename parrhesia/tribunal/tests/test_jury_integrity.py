"""Nobody with a stake sits on a jury: a juror the accused names as advocate, or who declares a
conflict, leaves their seat to a member drawn by lot — on the record, and re-checked from an
export like every other draw."""

from __future__ import annotations

import pytest

from parrhesia.cli import main
from parrhesia.orgs.models import Membership
from parrhesia.record.exports import record_export_write
from parrhesia.record.models import RecordEntry
from parrhesia.tribunal import services
from parrhesia.tribunal.models import Case, Defence, Juror
from parrhesia.tribunal.services import TribunalError
from tests.fixtures.tribunal import case_reload, jurors_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_request(court, alice, bob, carol):
    """Alice reports carol's join request; bob hides it at once, so a jury is drawn during the
    defence period (to confirm the measure in time)."""
    from parrhesia.orgs.models import JoinRequest

    request = JoinRequest.objects.create(
        organisation=court, user=carol, message="Call Dan on 06 12 34 56 78", status="accepted"
    )
    case = services.report_file(
        user=alice,
        organisation=court,
        kind="join_request",
        object_id=request.pk,
        rules=[2],
        description="Publishes Dan's phone number.",
    )
    services.interim_measure_take(user=bob, case=case, category="personal_data")
    return case_reload(case)


def membership(user, organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=organisation)


def entries(case: Case) -> list[tuple[str, dict]]:
    rows = RecordEntry.objects.filter(organisation=case.organisation).order_by("seq")
    return [(row.action, row.payload) for row in rows]  # sealed values opened


def redraw_all(organisation, tmp_path, capsys) -> str:
    path = tmp_path / "record.jsonl"
    with path.open("wb") as handle:
        record_export_write(organisation, handle)
    assert main(["tribunal", "redraw", "--all", "--record", str(path)]) == 0
    return capsys.readouterr().out


def test_a_juror_named_advocate_leaves_the_jury_to_a_member_drawn_by_lot(
    hidden_request, carol, tmp_path, capsys
):
    case = hidden_request
    juror = jurors_of(case)[0]
    advocate = membership(juror, case.organisation)
    services.defence_file(user=carol, case=case, statement="It was public.", advocate=advocate)
    case = case_reload(case)
    sitting = jurors_of(case)
    assert juror not in sitting and len(sitting) == 3
    assert case.defence.advocate_id == advocate.pk
    unseated, drawn = entries(case)[-2:]
    assert unseated == (
        "jury.juror_unseated",
        {"member": advocate.pk, "round": "jury", "reason": "advocate"},
    )
    assert drawn[0] == "jury.drawn" and drawn[1]["draw"] == "replacement-1"
    assert advocate.pk not in drawn[1]["eligible"]
    assert "OK: 2 jury draw(s) reproduced" in redraw_all(case.organisation, tmp_path, capsys)


def test_only_the_first_choice_of_advocate_may_cost_a_juror_their_seat(hidden_request, carol):
    # Otherwise the accused could strike the jury one seat at a time, naming juror after juror.
    case = hidden_request
    first = membership(jurors_of(case)[0], case.organisation)
    services.defence_file(user=carol, case=case, statement="It was public.", advocate=first)
    case = case_reload(case)
    sitting = jurors_of(case)
    second = membership(sitting[0], case.organisation)
    before = RecordEntry.objects.filter(organisation=case.organisation).count()
    with pytest.raises(TribunalError, match="sits on the jury of this case: name another advocate"):
        services.defence_file(user=carol, case=case, statement="Again.", advocate=second)
    assert jurors_of(case_reload(case)) == sitting
    assert case_reload(case).defence.advocate_id == first.pk
    assert RecordEntry.objects.filter(organisation=case.organisation).count() == before


def test_naming_a_juror_advocate_is_refused_when_nobody_can_take_the_seat(hidden_request, carol):
    case = hidden_request
    seated = Juror.objects.filter(jury__case=case).values_list("member_id", flat=True)
    others = Membership.objects.filter(organisation=case.organisation).exclude(pk__in=seated)
    others.exclude(user=carol).update(status="left")  # nobody left to draw
    juror = membership(jurors_of(case)[0], case.organisation)
    with pytest.raises(TribunalError, match="name another advocate"):
        services.defence_file(user=carol, case=case, statement="It was public.", advocate=juror)
    assert juror.user in jurors_of(case_reload(case))
    assert not Defence.objects.filter(case=case).exists()


def test_a_juror_who_declares_a_conflict_is_replaced_by_lot(hidden_request, tmp_path, capsys):
    case = hidden_request
    juror = jurors_of(case)[1]
    seat = membership(juror, case.organisation)
    services.conflict_declare(user=juror, case=case, reason="She is my sister-in-law.")
    case = case_reload(case)
    sitting = jurors_of(case)
    assert juror not in sitting and len(sitting) == 3
    actions = entries(case)[-3:]
    assert actions[0] == (
        "jury.conflict_declared",
        {"member": seat.pk, "reason": "She is my sister-in-law."},
    )
    assert actions[1] == (
        "jury.juror_unseated",
        {"member": seat.pk, "round": "jury", "reason": "conflict"},
    )
    assert actions[2][0] == "jury.drawn" and actions[2][1]["draw"] == "replacement-1"
    assert "OK: 2 jury draw(s) reproduced" in redraw_all(case.organisation, tmp_path, capsys)
