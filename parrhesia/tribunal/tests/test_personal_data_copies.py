"""Issue 13, finding 7 (review): a verdict on personal data leaves no copy of the text behind —
not in a second case about the same content, nor where the defence, the jury room or the jurors'
reasons quote it; and a steward's lawful erasure of a case's values erases the case page's copy
too. The tribunal settings' free-text reason is sealed like every other."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from parrhesia.opinion import services as opinion
from parrhesia.record.models import RecordEntry
from parrhesia.tribunal import services
from parrhesia.tribunal.models import (
    Case,
    ConflictDeclaration,
    Defence,
    Juror,
    Phase,
    RoomMessage,
    Sanction,
)
from parrhesia.tribunal.services.erasure import unquoted
from tests.fixtures.tribunal import all_vote, case_reload, jurors_of

pytestmark = pytest.mark.django_db

ADDRESS = "7 Quarry Road, flat 9"
PHONE = "06 12 34 56 78"


@pytest.fixture
def statement(court, alice, carol):
    conversation = opinion.conversation_open(user=alice, organisation=court, topic="The lifts")
    return opinion.statement_add(
        user=carol, conversation=conversation, text=f"Dave lives at {ADDRESS}, go and see him."
    )


def report(court, user, statement, description: str) -> Case:
    return services.report_file(
        user=user,
        organisation=court,
        kind="statement",
        object_id=statement.pk,
        rules=[2],
        description=description,
        evidence="",
    )


def case_page(client, court, case) -> str:
    return client.get(reverse("tribunal:case", args=[court.slug, case.number])).content.decode()


def disclosing(court) -> list[tuple[int, str]]:
    return [
        (entry.seq, entry.action)
        for entry in RecordEntry.objects.filter(organisation=court)
        if ADDRESS in str(entry.payload)
    ]


def test_a_verdict_erases_every_case_about_the_same_content(
    court, alice, bob, carol, statement, client
):
    dave = get_user_model().objects.get(username="juror12")
    other = report(court, dave, statement, f"Second report: {ADDRESS}.")
    case = report(court, alice, statement, f"Carol published Dave's address: {ADDRESS}.")
    services.interim_measure_take(user=bob, case=case, category="personal_data")
    services.defence_file(user=carol, case=case_reload(case), statement="A joke.", answered=True)
    all_vote(case_reload(case), [Sanction.HIDE] * 3)
    client.force_login(alice)
    docket = client.get(reverse("tribunal:docket", args=[court.slug])).content.decode()
    assert ADDRESS not in docket
    assert ADDRESS not in case_page(client, court, other)
    assert ADDRESS not in case_reload(other).description
    assert disclosing(court) == []


def test_a_verdict_erases_the_quotes_in_the_defence_the_room_and_the_jurors_reasons(
    court, alice, bob, carol, statement, client
):
    case = report(court, alice, statement, "Carol published Dave's address.")
    services.interim_measure_take(user=bob, case=case, category="personal_data")
    services.defence_file(
        user=carol,
        case=case_reload(case),
        statement=f"He told everyone he lives at {ADDRESS}. It was no secret.",
        answered=True,
    )
    case = case_reload(case)
    jurors = jurors_of(case)
    services.room_post(user=jurors[0], case=case, text=f"It is his address, {ADDRESS}, I checked.")
    for user in jurors:
        services.jury_vote(
            user=user,
            case=case_reload(case),
            breaches={rule: True for rule in case.rules_cited},
            sanction=Sanction.HIDE,
            suspension_days=0,
            reasons=f"Nobody should post {ADDRESS} here.",
            personal_data=True,
        )
    assert case_reload(case).phase == Phase.DECIDED
    client.force_login(alice)
    page = case_page(client, court, case)
    assert ADDRESS not in page
    assert "It was no secret." in page  # the rest of the defence stands
    assert ADDRESS not in Defence.objects.get(case=case).statement
    assert ADDRESS not in RoomMessage.objects.get(jury__case=case).text
    assert all(ADDRESS not in juror.reasons for juror in Juror.objects.filter(jury__case=case))
    assert disclosing(court) == []  # defence.filed, verdict.published: the values quoting it


def test_a_quote_is_a_shared_run_of_twelve_characters_or_a_short_text_whole():
    texts = [f"Dave lives at {ADDRESS}, go and see him.", "flat 9 A"]
    assert unquoted(f"He said {ADDRESS}!", texts, "[erased]") == "He said[erased]!"
    assert unquoted("See flat 9 A now", texts, "[erased]") == "See [erased] now"
    assert unquoted("Dave lives nearby.", texts, "[erased]") == "Dave lives nearby."


def test_a_steward_erasing_a_decided_cases_values_erases_its_page_copies(
    court, alice, bob, carol, statement, client
):
    case = report(court, alice, statement, "Carol was rude.")
    services.defence_file(
        user=carol, case=case_reload(case), statement=f"Call me on {PHONE}.", answered=True
    )
    case = case_reload(case)
    sitting = {user.pk for user in jurors_of(case)}
    bystander = next(
        m.user
        for m in court.memberships.select_related("user").order_by("-pk")
        if m.user.pk not in sitting | {alice.pk, carol.pk}
    )
    services.conflict_declare(user=bystander, case=case, reason=f"I gave her {PHONE}.")
    for user in jurors_of(case):
        services.jury_vote(
            user=user,
            case=case_reload(case),
            breaches={rule: False for rule in case.rules_cited},
            sanction=Sanction.NONE,
            suspension_days=0,
            reasons=f"Her number {PHONE} is not the point.",
        )
    Case.objects.filter(pk=case.pk).update(phase=Phase.FINAL)  # the time to appeal is over
    client.force_login(alice)
    assert PHONE in case_page(client, court, case)
    wanted = {
        "defence.filed": ["/payload/statement"],
        "verdict.published": [f"/payload/votes/{n}/reasons" for n in range(3)],
        "jury.conflict_declared": ["/payload/reason"],
    }
    client.force_login(bob)
    for action, pointers in wanted.items():
        entry = RecordEntry.objects.get(organisation=court, action=action)
        response = client.post(
            reverse("orgs:erasure", args=[court.slug, entry.seq]),
            {"pointers": pointers, "reason": "GDPR art. 17, asked by Carol", "confirm": "on"},
        )
        assert response.status_code == 302, action
    client.force_login(alice)
    assert PHONE not in case_page(client, court, case)
    assert PHONE not in ConflictDeclaration.objects.get(case=case).reason
    assert not [entry for entry in RecordEntry.objects.all() if PHONE in str(entry.payload)]


def test_the_tribunal_settings_reason_is_sealed(court, alice):
    services.tribunal_settings_change(
        user=alice,
        organisation=court,
        jury_size=3,
        defence_days=7,
        urgent_categories=[],
        reason=f"Dave at {ADDRESS} asked for it",
    )
    entry = RecordEntry.objects.filter(
        organisation=court, action="tribunal.settings_changed"
    ).latest("seq")
    assert ADDRESS in entry.payload["reason"] and "/payload/reason" in entry.openings
    assert ADDRESS.encode() not in bytes(entry.canonical)
