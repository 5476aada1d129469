"""Authorisation rows of the thread pages (collected by tests/authorisation.py)."""

from __future__ import annotations

from typing import Any

from tests.authorisation import Row, slug


def _item(world: Any) -> Any:
    from parrhesia.agenda import services

    return services.agenda_item_open(
        user=world.users["admin"], organisation=world.organisation, title="Repairs",
        motion_title="Fix the lifts", text="The landlord fixes the lifts by March.",
    )  # fmt: skip


def item(world: Any) -> dict[str, Any]:
    return {**slug(world), "anchor": "item", "anchor_id": _item(world).pk}


def post(world: Any) -> dict[str, Any]:
    from parrhesia.discussions.services import post_add

    # The admin writes it (a suspended member's matrix builds it too): only she edits it.
    written = post_add(user=world.users["admin"], anchor=_item(world), text="Who has a ladder?")
    return {**slug(world), "post_id": written.pk}


ROWS: dict[str, Row] = {
    "discussions:post_add": Row(
        get=(302, 404, 404, 200, 200, 200),
        post=(302, 404, 404, 302, 302, 302),
        kwargs=item,
        post_data=lambda w: {"text": "Block C has a ladder."},
    ),
    "discussions:post": Row(get=(404, 404, 404, 200, 200, 200), kwargs=post),
    "discussions:post_edit": Row(
        get=(302, 404, 404, 403, 403, 200),
        post=(302, 404, 404, 403, 403, 302),
        kwargs=post,
        post_data=lambda w: {"text": "Who has a ladder, and a drill?"},
    ),
}
