"""Closing a vote early cannot be undone: the steward ticks a box first, which works without
JavaScript; an unticked close closes nothing and says why (issue 14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parrhesia.decisions import services
from parrhesia.decisions.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def ballot(riverside, bob):
    return services.ballot_open(
        user=bob,
        organisation=riverside,
        title="Paint the hall",
        method="motion",
        options=[],
        closes_at=timezone.now() + timedelta(days=3),
        early_close_allowed=True,
        reasons="optional",
    )


def test_the_close_button_comes_with_a_box_to_tick(client, ballot, bob):
    client.force_login(bob)
    page = client.get(reverse("decisions:detail", args=["riverside", ballot.pk])).content.decode()
    assert 'name="confirm" value="on" required' in page
    assert "Close the vote now" in page


def test_an_unticked_close_closes_nothing(client, ballot, bob):
    client.force_login(bob)
    url = reverse("decisions:close", args=["riverside", ballot.pk])
    page = client.post(url, follow=True).content.decode()
    ballot.refresh_from_db()
    assert ballot.status == Status.OPEN
    assert "Tick the box to confirm" in page


def test_a_ticked_close_closes_the_vote(client, ballot, bob):
    client.force_login(bob)
    client.post(reverse("decisions:close", args=["riverside", ballot.pk]), {"confirm": "on"})
    ballot.refresh_from_db()
    assert ballot.status == Status.CLOSED
