"""A thread on the rent-rise item of Riverside (alice admin, bob steward, carol member), and a
conversation with named votes to hang another on."""

from __future__ import annotations

import pytest


@pytest.fixture
def named_conversation(riverside, alice):
    from parrhesia.opinion import services

    return services.conversation_open(
        user=alice, organisation=riverside, topic="Which repairs first?", named_votes=True
    )


@pytest.fixture
def pseudonymous_conversation(riverside, alice):
    from parrhesia.opinion import services

    return services.conversation_open(user=alice, organisation=riverside, topic="The rent strike")


@pytest.fixture
def post(item, carol):
    from parrhesia.discussions.services import post_add

    return post_add(user=carol, anchor=item, text="Shall we meet **Thursday** in block C?")
