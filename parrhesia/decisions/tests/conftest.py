"""Ballots for the decisions tests: Riverside (alice admin, bob steward, carol) plus erin."""

from __future__ import annotations

from typing import Any

import pytest

from parrhesia.decisions import services
from tests.fixtures.decisions import soon


@pytest.fixture
def voters(riverside, alice, bob, carol, erin) -> dict[str, Any]:
    """Riverside with erin as a fourth member: four voters."""
    from parrhesia.orgs import services as orgs

    invitation = orgs.invitation_create(user=alice, organisation=riverside)
    orgs.invitation_accept(user=erin, token=invitation.token)
    return {"alice": alice, "bob": bob, "carol": carol, "erin": erin}


@pytest.fixture
def open_ballot(riverside, bob, voters):
    def make(method: str = "motion", options: list[str] | None = None, **settings: Any):
        settings.setdefault("closes_at", soon())
        settings.setdefault("early_close_allowed", True)
        if settings.get("secrecy") == "secret":
            # four voters here: below the default minimum anonymity set (5), which
            # test_anonymity_set.py tests; the other tests count small secret ballots
            settings.setdefault("min_anonymity", 1)
        return services.ballot_open(
            user=bob,
            organisation=riverside,
            title=f"A {method} vote",
            method=method,
            options=options or [],
            **settings,
        )

    return make
