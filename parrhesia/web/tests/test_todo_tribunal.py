"""The tribunal in a member's to-do: a juror sees the case with the jury's deadline, a party sees
their case, a hidden reporter sees their own and nobody else learns of it, and stewards see the
reports that wait for them (but not their own case)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from parrhesia.kernel.todo import todo_for
from parrhesia.tribunal import services
from tests.fixtures.decisions import member_of
from tests.fixtures.tribunal import jurors_of

pytestmark = pytest.mark.django_db


def report(court, reporter, accused, **extra):
    return services.report_file(
        user=reporter,
        organisation=court,
        kind="member",
        object_id=member_of(accused, court).pk,
        rules=[1],
        description="Shouted down a neighbour at the meeting.",
        **extra,
    )


def rows_of(user, kind=None):
    return [(row.uid, str(row.action)) for row in todo_for(user) if kind in (None, row.kind)]


def test_a_juror_sees_the_case_with_the_jurys_deadline_until_they_vote(client, court, alice, carol):
    case = report(court, alice, carol)
    services.defence_close_due(now=case.defence_deadline + timedelta(seconds=1))
    juror = jurors_of(case)[0]
    jury = case.juries.get()
    [row] = [row for row in todo_for(juror) if row.uid.startswith("jury-")]
    assert row.deadline == jury.deliberation_deadline and row.title == "Case 1: Member's conduct"
    assert str(row.action) == "Your vote as a juror is due"
    client.force_login(juror)
    assert (
        reverse("tribunal:case", args=["riverside", 1])
        in client.get(reverse("todo")).content.decode()
    )
    services.jury_vote(
        user=juror, case=case, breaches={1: False}, sanction="none", reasons="No breach."
    )
    assert not [row for row in todo_for(juror) if row.uid.startswith("jury-")]


def test_the_accused_sees_their_defence_due_and_the_reporter_their_report(court, alice, carol):
    case = report(court, alice, carol)
    assert rows_of(carol, "case") == [(f"case-{case.pk}", "Your defence is due")]
    assert rows_of(alice, "case") == [(f"case-{case.pk}", "Your report: the defence period runs")]
    [row] = [row for row in todo_for(carol) if row.kind == "case"]
    assert row.deadline == case.defence_deadline


def test_a_hidden_reporter_sees_their_case_and_no_one_else_learns_who_reported(
    client, court, alice, bob, carol
):
    case = report(court, carol, alice, anonymous=True)
    assert rows_of(carol, "case") == [(f"case-{case.pk}", "Your report: the defence period runs")]
    # bob, a steward, sees a report waiting, and nothing of who made it
    assert rows_of(bob, "case") == [(f"docket-{case.pk}", "A report awaits the stewards")]
    client.force_login(bob)
    page = client.get(reverse("todo")).content.decode()
    assert "Carol" not in page and "carol" not in page


def test_a_steward_who_is_a_party_gets_the_partys_row_not_the_stewards(court, alice, bob, carol):
    case = report(court, bob, carol)
    assert rows_of(bob, "case") == [(f"case-{case.pk}", "Your report: the defence period runs")]
    assert rows_of(alice, "case") == [(f"docket-{case.pk}", "A report awaits the stewards")]
    assert not [row for row in todo_for(carol) if row.uid.startswith("docket-")]  # no steward
