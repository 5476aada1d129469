"""The API's test world: Riverside (members-only) with something of every kind, and tokens."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from parrhesia.api.services import token_create


@dataclass
class ApiWorld:
    organisation: Any
    users: dict[str, Any]
    ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[tuple[str, str], str] = field(default_factory=dict)

    def token(self, persona: str, scopes: str = "read") -> str | None:
        """The persona's token of its own organisation (None: anon and outsider have none)."""
        if persona in ("anon", "outsider"):
            return None
        key = (persona, scopes)
        if key not in self.tokens:
            organisation = self.other_organisation if persona == "other" else self.organisation
            _row, secret = token_create(
                user=self.users[persona], organisation=organisation, scopes=scopes.split(",")
            )
            self.tokens[key] = secret
        return self.tokens[key]

    other_organisation: Any = None


def call(client: Client, method: str, url: str, token: str | None = None, **extra: Any) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if method == "get":
        return client.get(url, **headers, **extra)
    return client.post(url, extra.pop("data", {}), content_type="application/json", **headers)


@pytest.fixture
def api_world(personas, riverside, harbour, admitted, motion, alice) -> ApiWorld:
    from parrhesia.agenda import services as agenda
    from parrhesia.decisions import services as decisions
    from parrhesia.opinion import services as opinion
    from parrhesia.orgs.models import Membership
    from parrhesia.tribunal import services as tribunal

    conversation = opinion.conversation_open(
        user=alice, organisation=riverside, topic="Heating", seed_statements=["Fix the boiler"]
    )
    ballot = decisions.ballot_open(
        user=alice, organisation=riverside, title="Strike?", method="motion", options=[],
        closes_at=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    closed = decisions.ballot_open(
        user=alice, organisation=riverside, title="Colour", method="plurality",
        options=["Red", "Blue"], closes_at=timezone.now() + timedelta(days=3),
        early_close_allowed=True,
    )  # fmt: skip
    decisions.ballot_vote(user=alice, ballot=closed, choices=0)
    decisions.ballot_close(user=alice, ballot=closed)
    question = agenda.question_file(user=alice, organisation=riverside, title="Who owns it?")
    case = tribunal.report_file(  # carol reports alice: a case on the docket
        user=personas["member"], organisation=riverside, kind="member",
        object_id=Membership.objects.get(organisation=riverside, user=alice).pk, rules=[1],
        description="Shouted at a neighbour.",
    )  # fmt: skip
    users = {
        "outsider": personas["outsider"],
        "other": personas["other_member"],
        "member": personas["member"],
        "steward": personas["steward"],
        "admin": personas["admin"],
    }
    return ApiWorld(
        organisation=riverside,
        users=users,
        other_organisation=harbour,
        ids={
            "item_id": admitted.pk,
            "motion_id": motion.pk,
            "conversation_id": conversation.pk,
            "statement_id": conversation.statements.get().pk,
            "ballot_id": ballot.pk,
            "closed_ballot_id": closed.pk,
            "question_id": question.pk,
            "case_number": case.number,
        },
    )
