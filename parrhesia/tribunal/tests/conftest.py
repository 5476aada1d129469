"""The tribunal's own fixtures (the court is shared: tests/fixtures/tribunal.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def member_of(court):
    from parrhesia.orgs.models import Membership

    def get(user):
        return Membership.objects.get(organisation=court, user=user)

    return get
