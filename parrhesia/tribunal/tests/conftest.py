"""A court: Riverside with enough long-standing members for juries of 3 and appeals of 7."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def court(riverside, alice, bob, carol):
    from parrhesia.accounts.models import User
    from parrhesia.orgs import services
    from parrhesia.orgs.models import Membership
    from parrhesia.tribunal.services import tribunal_settings_change

    invitation = services.invitation_create(user=alice, organisation=riverside)
    for number in range(1, 13):
        user = User.objects.create_user(
            username=f"juror{number}", password="x", display_name=f"Juror {number}"
        )
        services.invitation_accept(user=user, token=invitation.token)
    Membership.objects.filter(organisation=riverside).update(
        joined_at=timezone.now() - timedelta(days=60)
    )
    tribunal_settings_change(
        user=alice,
        organisation=riverside,
        jury_size=3,
        defence_days=5,
        urgent_categories=["personal_data", "threats_of_violence", "unlawful_content"],
        reason="A small union: juries of three.",
    )
    return riverside


@pytest.fixture
def member_of(court):
    from parrhesia.orgs.models import Membership

    def get(user):
        return Membership.objects.get(organisation=court, user=user)

    return get
