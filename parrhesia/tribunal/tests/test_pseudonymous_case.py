"""A case about a statement of a pseudonymous conversation names the participant, not the member
(docs/privacy.md §5, "Reporting a statement names its pseudonym"): the record, the docket and the
case page say "participant N", as the statement's own entry does; the accused still gets notice
and every right of defence, and the jury's lot withholds them like a hidden reporter."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from parrhesia.notifications.models import Notification
from parrhesia.opinion import services as opinion
from parrhesia.orgs.models import Membership
from parrhesia.record.models import RecordEntry
from parrhesia.tribunal import services
from parrhesia.tribunal.exports import case_facts
from parrhesia.tribunal.tests.test_hidden_reporter_draw import export
from tests.fixtures.tribunal import case_reload

pytestmark = pytest.mark.django_db


def statement_reported(court, alice, carol, *, named: bool = False):
    conversation = opinion.conversation_open(
        user=alice, organisation=court, topic="The new bike shed", named_votes=named
    )
    statement = opinion.statement_add(
        user=carol, conversation=conversation, text="The treasurer steals from the fund."
    )
    case = services.report_file(
        user=alice, organisation=court, kind="statement", object_id=statement.pk,
        rules=[1], description="An accusation without evidence.",
    )  # fmt: skip
    return statement, case


def case_entries(court, case) -> list[RecordEntry]:
    return list(
        RecordEntry.objects.filter(
            organisation=court, subject_kind="case", subject_id=str(case.number)
        ).order_by("seq")
    )


def test_the_record_names_the_participant_not_the_member(court, alice, carol, member_of):
    statement, case = statement_reported(court, alice, carol)
    accused = member_of(carol).pk
    [opened] = RecordEntry.objects.filter(organisation=court, action="case.opened")
    assert opened.payload["accused"] is None
    assert opened.payload["pseudonym"] == str(statement.author.number)
    # …and the accused still has notice, and defends themselves without being named.
    assert Notification.objects.filter(recipient=carol, kind="case_reported").count() == 1
    services.defence_extend(user=carol, case=case)
    services.defence_file(user=carol, case=case_reload(case), statement="It is true.")
    services.defence_file(user=carol, case=case_reload(case), statement="See.", answered=True)
    entries = case_entries(court, case)
    assert not [e.action for e in entries if e.actor == accused]
    drawn = next(e.payload for e in entries if e.action == "jury.drawn")
    assert accused in drawn["eligible"] and drawn["withheld"] == 1
    assert accused not in drawn["jurors"]
    assert all(
        e.payload.get("accused") is None and e.payload.get("member") != accused for e in entries
    )
    assert case_facts(case_reload(case))["accused"] is None


def test_the_case_page_names_the_member_to_them_only(client, court, alice, carol):
    statement, case = statement_reported(court, alice, carol)
    url = reverse("tribunal:case", args=[court.slug, case.number])
    client.force_login(Membership.objects.get(organisation=court, user__username="juror1").user)
    page = client.get(url).content.decode()
    assert "Carol Member" not in page
    assert f"participant {statement.author.number} of the conversation" in page
    client.force_login(carol)
    assert "Carol Member" in client.get(url).content.decode()


def test_the_accused_cannot_name_themselves_by_declaring_a_conflict(court, alice, carol):
    _statement, case = statement_reported(court, alice, carol)
    with pytest.raises(PermissionDenied):
        services.conflict_declare(user=carol, case=case, reason="It is my own statement.")


def test_the_redraw_checks_the_draw_that_withholds_them(court, alice, carol, tmp_path):
    from parrhesia.cli.tribunal import redraw_check
    from parrhesia.methods.record.export import iter_entries

    _statement, case = statement_reported(court, alice, carol)
    services.defence_file(user=carol, case=case, statement="No.", answered=True)
    assert redraw_check(list(iter_entries(export(court, tmp_path)))) == (1, None)


def test_a_statement_of_a_named_conversation_names_its_author_as_before(
    court, alice, carol, member_of
):
    _statement, case = statement_reported(court, alice, carol, named=True)
    [opened] = RecordEntry.objects.filter(organisation=court, action="case.opened")
    assert opened.payload["accused"] == member_of(carol).pk
    assert "pseudonym" not in opened.payload
