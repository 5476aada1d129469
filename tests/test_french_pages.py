"""French pages say each word in the form its noun needs, and no code or English number leaks in.

One English word often stands for several French ones: a closed conversation is « close », a closed
ballot « clos »; "Report" on a statement is the verb « Signaler ». The catalogue tells them apart by
context (pgettext); these pages check that the right one reaches the reader.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture
def conversation(riverside, alice):
    from parrhesia.opinion import services

    return services.conversation_open(
        user=alice,
        organisation=riverside,
        topic="The rent strike",
        seed_statements=["The landlord must repair the lifts first."],
    )


def french(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"
    return response.content.decode()


def test_a_closed_conversation_reads_close(client, riverside, alice, carol, conversation):
    from parrhesia.opinion import services

    services.conversation_close(user=alice, conversation=conversation, reason="Done.")
    client.force_login(carol)
    page = french(client, reverse("opinion:index", args=["riverside"]))
    assert "<strong>Close</strong>" in page
    assert "<strong>Clos</strong>" not in page


def test_the_report_link_on_a_conversation_reads_signaler(client, riverside, carol, conversation):
    client.force_login(carol)
    page = french(client, reverse("opinion:detail", args=["riverside", conversation.pk]))
    assert ">Signaler<span" in page
    assert "Rapport" not in page


def test_a_closed_ballot_reads_clos(client, riverside, bob, carol):
    from parrhesia.decisions import services

    ballot = services.ballot_open(
        user=bob,
        organisation=riverside,
        title="Paint the hall",
        method="motion",
        options=[],
        closes_at=timezone.now() + timedelta(days=3),
        early_close_allowed=True,
        reasons="optional",
    )
    services.ballot_vote(user=carol, ballot=ballot, choices="block", reason="Too dear.")
    services.ballot_block_answer(user=bob, ballot=ballot, text="We will ask for quotes.")
    services.ballot_close(user=bob, ballot=ballot)
    client.force_login(carol)
    page = french(client, reverse("decisions:detail", args=["riverside", ballot.pk]))
    assert "<dt>Clos le</dt>" in page
    # The reasons are grouped under the choice's French label, not its code ("block").
    assert "<h4>Blocage</h4>" in page


def test_the_docket_names_what_is_at_issue_in_french(client, riverside, carol, conversation):
    from parrhesia.tribunal import services

    services.report_file(
        user=carol,
        organisation=riverside,
        kind="conversation",
        object_id=conversation.pk,
        rules=[1],
        description="Off the rails.",
    )
    client.force_login(carol)
    docket = french(client, reverse("tribunal:docket", args=["riverside"]))
    assert f"Conversation{NBSP}: The rent strike" in docket
    report = french(client, reverse("tribunal:transparency", args=["riverside"]))
    assert "un membre" in report
    assert "Mesures provisoires prises" in report
    assert "Interim measures" not in report


def test_statuses_agree_with_their_nouns():
    from parrhesia.agenda.models import MotionStatus, Phase
    from parrhesia.decisions.models import Status
    from parrhesia.orgs.models import JoinRequestStatus

    with translation.override("fr"):
        assert str(MotionStatus.LAPSED.label) == "Caduque"  # une motion
        assert str(Phase.LAPSED.label) == "Caduc"  # un point à l’ordre du jour
        assert str(Phase.WITHDRAWN.label) == "Retiré"
        assert str(JoinRequestStatus.WITHDRAWN.label) == "Retirée"  # une demande
        assert str(Status.OPEN.label) == "Ouvert"  # un scrutin


def test_a_length_limit_uses_the_french_thousands_separator(riverside, carol):
    from parrhesia.agenda import services

    with translation.override("fr"), pytest.raises(services.TextInvalid) as error:
        services.agenda_item_open(
            user=carol,
            organisation=riverside,
            title="Lifts",
            motion_title="Repair them",
            text="x" * (services.MOTION_TEXT_MAX + 1),
        )
    assert f"{services.MOTION_TEXT_MAX // 1000}{NBSP}000 caractères" in str(error.value)
    with translation.override("en"), pytest.raises(services.TextInvalid) as error:
        services.agenda_item_open(
            user=carol,
            organisation=riverside,
            title="Lifts",
            motion_title="Repair them",
            text="x" * (services.MOTION_TEXT_MAX + 1),
        )
    assert f"{services.MOTION_TEXT_MAX // 1000},000 characters" in str(error.value)
