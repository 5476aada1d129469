"""A conversation in Riverside (alice admin, bob steward, carol member) to speak of."""

from __future__ import annotations

import pytest

SEEDS = [
    "The landlord must repair the lifts before any rent rise.",
    "A rent strike is the only thing the landlord will listen to.",
    "We should ask the council to mediate first.",
    "Withholding rent puts tenants at risk of eviction.",
]


@pytest.fixture
def conversation(riverside, alice):
    from parrhesia.opinion import services

    return services.conversation_open(
        user=alice, organisation=riverside, topic="The rent strike", seed_statements=SEEDS
    )


@pytest.fixture
def statements(conversation):
    return list(conversation.statements.order_by("number"))
