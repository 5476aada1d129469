"""Deliberation fixtures: an item in Riverside, opened by alice under a policy that makes the
admission quorum two of the three members (50 %), so one more supporter admits it."""

from __future__ import annotations

import pytest

from parrhesia.agenda import services


@pytest.fixture
def half_quorum(riverside, alice):
    return services.policy_set(
        user=alice, organisation=riverside, item_type="general", admission_days=14,
        admission_quorum_percent=50, alternative_quorum_percent=34, discussion_days=7,
        frozen_days=2,
    )  # fmt: skip


@pytest.fixture
def item(riverside, alice, half_quorum):
    return services.agenda_item_open(
        user=alice, organisation=riverside, title="The 9 % rent rise",
        motion_title="Rent strike", text="We withhold the rise until the landlord talks.",
    )  # fmt: skip


@pytest.fixture
def motion(item):
    return item.motions.get()


@pytest.fixture
def admitted(item, motion, bob):
    services.motion_support(user=bob, motion=motion)
    item.refresh_from_db()
    return item


def newcomer(organisation, inviter, username: str):
    from parrhesia.accounts.models import User
    from parrhesia.orgs import services as orgs

    user = User.objects.create_user(username=username, email=f"{username}@example.org")
    invitation = orgs.invitation_create(user=inviter, organisation=organisation)
    orgs.invitation_accept(user=user, token=invitation.token)
    return user
