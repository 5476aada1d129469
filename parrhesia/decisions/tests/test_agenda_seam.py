"""Deliberation ends in a ballot: an item ready for vote goes to a ranked vote over its final
motions and the status quo, and the count decides the item, on the record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parrhesia.agenda import services as agenda
from parrhesia.agenda.models import Phase
from parrhesia.decisions import services
from parrhesia.decisions.services import BallotError
from parrhesia.record.models import RecordEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(admitted, carol, bob):  # noqa: F811
    alternative = agenda.motion_file_alternative(
        user=carol, item=admitted, title="Negotiate", text="We ask for a meeting first."
    )
    agenda.motion_support(user=bob, motion=alternative)
    agenda.phases_advance_due(admitted.phase_ends_at + timedelta(days=30))
    admitted.refresh_from_db()
    assert admitted.phase == Phase.READY
    return admitted


def test_a_ready_item_goes_to_the_vote_and_the_count_decides_it(ready, alice, bob, carol):
    ballot = services.ballot_open_for_agenda_item(
        user=bob, item=ready, closes_at=timezone.now() + timedelta(days=3), early_close_allowed=True
    )
    ready.refresh_from_db()
    assert ready.phase == Phase.VOTING and ready.decision_ref == f"ballot:{ballot.pk}"
    labels = [option.label for option in ballot.options.order_by("key")]
    assert labels == ["Rent strike", "Negotiate", "None of these: keep things as they are"]
    strike, negotiate, status_quo = 0, 1, 2
    for voter, ranking in [
        (alice, [[strike], [negotiate], [status_quo]]),
        (bob, [[negotiate], [strike], [status_quo]]),
        (carol, [[strike], [status_quo], [negotiate]]),
    ]:
        services.ballot_vote(user=voter, ballot=ballot, choices=ranking)
    services.ballot_close(user=bob, ballot=ballot)
    ready.refresh_from_db()
    assert ready.phase == Phase.DECIDED
    assert ready.outcome == "Adopted by the vote: Rent strike."
    actions = list(
        RecordEntry.objects.filter(organisation=ready.organisation)
        .order_by("-seq")
        .values_list("action", flat=True)[:2]
    )
    assert actions == ["agenda_item.decided", "ballot.closed"]


def test_the_status_quo_can_win(ready, alice, bob, carol):
    ballot = services.ballot_open_for_agenda_item(
        user=bob, item=ready, closes_at=timezone.now() + timedelta(days=3), early_close_allowed=True
    )
    for voter in (alice, bob, carol):
        services.ballot_vote(user=voter, ballot=ballot, choices=[[2], [0], [1]])
    services.ballot_close(user=bob, ballot=ballot)
    ready.refresh_from_db()
    assert ready.phase == Phase.DECIDED and "status quo" in ready.outcome


def test_only_a_ready_item_goes_to_the_vote(admitted, bob):  # noqa: F811
    with pytest.raises(BallotError, match="ready for vote"):
        services.ballot_open_for_agenda_item(
            user=bob, item=admitted, closes_at=timezone.now() + timedelta(days=3)
        )


def test_the_item_page_offers_the_vote_to_stewards_and_links_the_ballot(client, ready, bob, carol):
    client.force_login(bob)
    item_url = reverse("agenda:item", args=["riverside", ready.pk])
    open_url = reverse("decisions:agenda_item", args=["riverside", ready.pk])
    assert open_url in client.get(item_url).content.decode()
    closes = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(open_url, {"method": "schulze", "secrecy": "open", "closes_at": closes})
    assert response.status_code == 302
    ready.refresh_from_db()
    ballot_url = reverse("decisions:detail", args=["riverside", ready.decision_ref.split(":")[1]])
    client.force_login(carol)
    page = client.get(item_url).content.decode()
    assert ballot_url in page and open_url not in page
