"""Counts of one read in the singular: "1 member", never "1 members" (issue 14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_a_jury_of_one_reads_in_the_singular_on_the_docket(client, riverside, carol):
    from parrhesia.tribunal.selectors import tribunal_settings_of

    settings = tribunal_settings_of(riverside)
    settings.jury_size = 1
    settings.save()
    client.force_login(carol)
    page = client.get(reverse("tribunal:docket", args=["riverside"])).content.decode()
    assert "Juries of 1 member (appeals: 3)" in page
    assert "1 members" not in page


def test_a_vote_of_one_member_reads_in_the_singular(client, harbour, dave):
    from parrhesia.decisions import services

    ballot = services.ballot_open(
        user=dave,
        organisation=harbour,
        title="Paint the hall",
        method="motion",
        options=[],
        closes_at=timezone.now() + timedelta(days=3),
        early_close_allowed=True,
        reasons="optional",
    )
    services.ballot_vote(user=dave, ballot=ballot, choices="for", reason="")
    services.ballot_close(user=dave, ballot=ballot)
    client.force_login(dave)
    page = client.get(reverse("decisions:detail", args=["harbour", ballot.pk])).content.decode()
    assert "Turnout: 1 of 1 member (quorum:" in page


def test_the_opinion_maps_consensus_reads_as_english(client):
    from django.contrib.auth import get_user_model

    from parrhesia.demo import demo_seed
    from parrhesia.opinion.models import Conversation

    organisation = demo_seed()
    conversation = Conversation.objects.filter(organisation=organisation).first()
    client.force_login(get_user_model().objects.get(username="carol"))
    url = reverse("opinion:detail", args=[organisation.slug, conversation.pk])
    page = client.get(url).content.decode()
    assert "of everyone agree" not in page and "of everyone disagree" not in page
    assert "of all participants agree." in page or "of all participants disagree." in page
