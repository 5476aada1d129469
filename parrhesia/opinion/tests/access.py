"""Authorisation rows of the conversation pages (collected by tests/authorisation.py)."""

from __future__ import annotations

from typing import Any

from tests.authorisation import Row, slug


def _conversation(world: Any) -> Any:
    from parrhesia.opinion import services

    return services.conversation_open(
        user=world.users["admin"],
        organisation=world.organisation,
        topic="Rent strike",
        seed_statements=["The landlord must fix the lifts first.", "A strike is too risky."],
    )


def conversation(world: Any) -> dict[str, Any]:
    return {**slug(world), "conversation_id": _conversation(world).pk}


def statement(world: Any) -> dict[str, Any]:
    return {**slug(world), "statement_id": _conversation(world).statements.first().pk}


ROWS: dict[str, Row] = {
    "opinion:index": Row(get=(404, 404, 404, 200, 200, 200), kwargs=slug),
    "opinion:new": Row(
        get=(302, 404, 404, 200, 200, 200),
        post=(302, 404, 404, 302, 302, 302),
        kwargs=slug,
        post_data=lambda w: {"topic": "Rent", "seed_statements": "Strike now.\nWait."},
    ),
    "opinion:detail": Row(get=(404, 404, 404, 200, 200, 200), kwargs=conversation),
    "opinion:statement_add": Row(
        get=(302, 404, 404, 200, 200, 200),
        post=(302, 404, 404, 302, 302, 302),
        kwargs=conversation,
        post_data=lambda w: {"text": "Ask the council to mediate."},
    ),
    "opinion:close": Row(
        get=(302, 404, 404, 403, 200, 200),
        post=(302, 404, 404, 403, 302, 302),
        kwargs=conversation,
        post_data=lambda w: {"reason": "The general meeting decided."},
    ),
    "opinion:export": Row(get=(404, 404, 404, 200, 200, 200), kwargs=conversation),
    "opinion:statement": Row(get=(404, 404, 404, 302, 302, 302), kwargs=statement),
    "opinion:vote": Row(
        get=(302, 405, 405, 405, 405, 405),
        post=(302, 404, 404, 302, 302, 302),
        kwargs=statement,
        post_data=lambda w: {"value": "1"},
    ),
    "opinion:mark": Row(
        get=(302, 404, 404, 403, 200, 200),
        post=(302, 404, 404, 403, 302, 302),
        kwargs=statement,
        post_data=lambda w: {"mark": "meta", "reason": "About the process, not the strike."},
    ),
}
