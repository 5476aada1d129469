"""A court: Riverside with enough long-standing members for juries of 3 and appeals of 7."""

from __future__ import annotations

import pytest


@pytest.fixture
def court(riverside, alice, bob, carol):
    from parrhesia.tribunal.tests.helpers import court_convene

    return court_convene(riverside, alice)


@pytest.fixture
def member_of(court):
    from parrhesia.orgs.models import Membership

    def get(user):
        return Membership.objects.get(organisation=court, user=user)

    return get
