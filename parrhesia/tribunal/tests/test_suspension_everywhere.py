"""A posting suspension takes effect in every app that lets members post: they can still read,
vote and support, but cannot add content, until it ends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from parrhesia.agenda import services as agenda
from parrhesia.opinion import services as opinion
from parrhesia.tribunal import services as tribunal
from parrhesia.tribunal.models import Suspension

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspended_carol(court, alice, carol, member_of):
    case = tribunal.report_file(
        user=alice,
        organisation=court,
        kind="member",
        object_id=member_of(carol).pk,
        rules=[1],
        description="Insulted a neighbour at the meeting.",
    )
    # The verdict's effect, as tribunal.services.verdicts applies it after a jury's decision.
    return Suspension.objects.create(
        member=member_of(carol),
        case=case,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(days=7),
    )


def test_a_suspended_member_cannot_post_anywhere_but_can_still_vote(
    court, alice, carol, suspended_carol
):
    item = agenda.agenda_item_open(
        user=alice, organisation=court, title="Rent rise", motion_title="Strike", text="We strike."
    )
    motion = item.motions.first()
    conversation = opinion.conversation_open(
        user=alice, organisation=court, topic="The rent", seed_statements=["Rents are too high."]
    )
    with pytest.raises(PermissionDenied):
        agenda.agenda_item_open(
            user=carol, organisation=court, title="T", motion_title="M", text="X"
        )
    with pytest.raises(PermissionDenied):
        agenda.argument_add(user=carol, motion=motion, stance="pro", text="Strikes work.")
    with pytest.raises(PermissionDenied):
        opinion.statement_add(user=carol, conversation=conversation, text="Landlords are fine.")
    with pytest.raises(PermissionDenied):
        opinion.conversation_open(user=carol, organisation=court, topic="Another")
    # Reading, voting and supporting remain.
    agenda.motion_support(user=carol, motion=motion)
    opinion.statement_vote(user=carol, statement=conversation.statements.first(), value=1)


def test_posting_comes_back_when_the_suspension_ends(court, carol, suspended_carol):
    suspended_carol.ends_at = timezone.now() - timedelta(seconds=1)
    suspended_carol.save()
    conversation = opinion.conversation_open(user=carol, organisation=court, topic="Back")
    assert conversation.pk
