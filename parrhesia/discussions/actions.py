"""What discussion threads write on the organisation's public record (docs/record.md): an entry
once written keeps its action forever, so a name here never changes."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from parrhesia.methods.record.sealed import Sealed


class Action(StrEnum):
    POST_ADDED = "post.added"
    POST_EDITED = "post.edited"


def post_added_facts(
    *, anchor_kind: str, anchor_id: str, parent: int | None, text: str
) -> dict[str, Any]:
    """``post.added``: where it was posted (the anchor's content kind and id), the post it
    answers, and its text (sealed: a verdict or a lawful request may erase it)."""
    return {
        "on": {"kind": anchor_kind, "id": anchor_id},
        "parent": parent,
        "text": Sealed(text),
    }


def post_edited_facts(*, revision: int, text: str) -> dict[str, Any]:
    return {"revision": revision, "text": Sealed(text)}
