"""The API's authorisation table: every operation of the OpenAPI document × persona × scope.

Personas as in tests/authorisation.py: anon and outsider call without a token (an outsider can
hold none); other calls Riverside with a token of Harbour, its own organisation (a token opens
only its organisation: 404); member, steward and admin hold Riverside tokens. Each is tried
with a token of each scope (read, vote, post). Riverside is members-only: whoever may not see
it gets 404, as the pages answer. test_api_matrix fails for an operation without a row here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PERSONAS = ("anon", "outsider", "other", "member", "steward", "admin")
SCOPES = ("read", "vote", "post")
MEMBERS = ("member", "steward", "admin")
NUMBERS = itertools.count(1)  # a statement said twice is refused: each is new


@dataclass(frozen=True)
class ApiRow:
    """``ok`` for a member of the organisation; ``scope``: the scope a write needs (None for a
    read, which every token may make); ``ids``: the path's parameters, from the world's ids."""

    ok: int = 200
    scope: str | None = None
    ids: dict[str, str] = field(default_factory=dict)
    body: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    query: dict[str, str] = field(default_factory=dict)
    everyone: bool = False  # read by anyone (no organisation in the path)
    refused: tuple[str, ...] = ()  # members the service refuses (400), whatever the scope

    def expected(self, persona: str, scope: str) -> int:
        if self.everyone:
            return self.ok
        if self.scope is not None and persona in ("anon", "outsider"):
            return 401  # a write needs a token
        if persona not in MEMBERS:
            return 404
        if self.scope is not None and scope != self.scope:
            return 403
        return 400 if persona in self.refused else self.ok


def read(**ids: str) -> ApiRow:
    return ApiRow(ids=ids)


P = "/api/v1/orgs/{slug}"
TABLE: dict[tuple[str, str], ApiRow] = {
    ("get", "/api/v1/orgs"): ApiRow(everyone=True),
    ("get", P): read(),
    ("get", f"{P}/members"): read(),
    ("get", f"{P}/agenda/items"): read(),
    ("get", f"{P}/agenda/items/{{item_id}}"): read(item_id="item_id"),
    ("get", f"{P}/agenda/motions/{{motion_id}}"): read(motion_id="motion_id"),
    # bob (steward) admitted the item with his support; alice (admin) wrote the motion
    ("post", f"{P}/agenda/motions/{{motion_id}}/support"): ApiRow(
        scope="vote", ids={"motion_id": "motion_id"}, refused=("steward", "admin")
    ),
    ("get", f"{P}/agenda/motions/{{motion_id}}/arguments"): read(motion_id="motion_id"),
    ("post", f"{P}/agenda/motions/{{motion_id}}/arguments"): ApiRow(
        ok=201,
        scope="post",
        ids={"motion_id": "motion_id"},
        body=lambda w: {"stance": "pro", "text": "It worked in 1998."},
    ),
    ("get", f"{P}/agenda/questions"): read(),
    ("post", f"{P}/agenda/questions"): ApiRow(
        ok=201, scope="post", body=lambda w: {"title": "Who pays the boiler?", "text": ""}
    ),
    ("get", f"{P}/agenda/questions/{{question_id}}"): read(question_id="question_id"),
    ("get", f"{P}/conversations"): read(),
    ("get", f"{P}/conversations/{{conversation_id}}"): read(conversation_id="conversation_id"),
    ("get", f"{P}/conversations/{{conversation_id}}/statements"): read(
        conversation_id="conversation_id"
    ),
    ("post", f"{P}/conversations/{{conversation_id}}/statements"): ApiRow(
        ok=201,
        scope="post",
        ids={"conversation_id": "conversation_id"},
        body=lambda w: {"text": f"Insulate the roof first ({next(NUMBERS)})"},
    ),
    ("post", f"{P}/statements/{{statement_id}}/vote"): ApiRow(
        scope="vote", ids={"statement_id": "statement_id"}, body=lambda w: {"value": 1}
    ),
    # No analysis yet: 204 (the worker has not run one)
    ("get", f"{P}/conversations/{{conversation_id}}/analysis"): ApiRow(
        ok=204, ids={"conversation_id": "conversation_id"}
    ),
    ("get", f"{P}/ballots"): read(),
    ("get", f"{P}/ballots/{{ballot_id}}"): read(ballot_id="ballot_id"),
    ("get", f"{P}/ballots/{{ballot_id}}/preflib"): read(ballot_id="closed_ballot_id"),
    ("post", f"{P}/ballots/{{ballot_id}}/vote"): ApiRow(
        scope="vote", ids={"ballot_id": "ballot_id"}, body=lambda w: {"choice": "for"}
    ),
    ("get", f"{P}/tribunal/cases"): read(),
    ("get", f"{P}/tribunal/cases/{{number}}"): read(number="case_number"),
    ("get", f"{P}/record/entries"): read(),
    ("get", f"{P}/record/entries/{{seq}}"): ApiRow(ids={"seq": "one"}),
    ("get", f"{P}/record/checkpoint"): read(),
    ("get", f"{P}/record/proof/inclusion"): ApiRow(query={"index": "0", "size": "2"}),
    ("get", f"{P}/record/proof/consistency"): ApiRow(query={"old": "1", "new": "2"}),
}


def url_of(path: str, row: ApiRow, world: Any) -> str:
    values = {"slug": world.organisation.slug}
    for name, key in row.ids.items():
        values[name] = 1 if key == "one" else world.ids[key]
    return path.format(**values)
