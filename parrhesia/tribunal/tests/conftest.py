"""The tribunal's own fixtures (the court is shared: tests/fixtures/tribunal.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def member_of(court):
    from parrhesia.orgs.models import Membership

    def get(user):
        return Membership.objects.get(organisation=court, user=user)

    return get


@pytest.fixture
def clock(monkeypatch):
    """Stop the clock (``timezone.now``, hence the record's entry times) at one instant, so that
    the same steps write the same record bytes, whoever takes them."""
    from django.utils import timezone

    frozen = timezone.now().replace(microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    return frozen


class Undone(Exception):
    """Raised to roll back a dry run."""


def dry_run(steps):
    """What ``steps()`` returns, everything they wrote rolled back."""
    from django.db import transaction

    outcome = []
    try:
        with transaction.atomic():
            outcome.append(steps())
            raise Undone
    except Undone:
        pass
    return outcome[0]
