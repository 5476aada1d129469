"""What a thread hangs on: an agenda item or an opinion conversation, found through the content
registry (``kernel.content``) so that this app imports neither; and the few facts of it a thread
needs (its title, its page, whether it is open, whether it names its members)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from parrhesia.discussions.models import ANCHOR_KINDS, Post
from parrhesia.kernel.content import UnknownContent, kind_for_model, kind_of, subject_url
from parrhesia.orgs.models import Organisation
from parrhesia.tribunal.selectors import hidden_measure

_ANCHOR = "_discussions_anchor"


def anchor_get(organisation: Organisation, kind: str, anchor_id: Any) -> Any:
    """The item or conversation of ``organisation`` a thread hangs on; :class:`UnknownContent`
    for any other kind, or no such object in that organisation."""
    if kind not in ANCHOR_KINDS.values():
        raise UnknownContent(f"no thread on '{kind}'")
    return kind_of(kind).get_in(organisation, str(anchor_id))


def anchor_kind(obj: Any) -> str | None:
    """The content kind of ``obj`` if a thread may hang on it; None otherwise."""
    content_kind = kind_for_model(type(obj))
    if content_kind is None or content_kind.kind not in ANCHOR_KINDS.values():
        return None
    return content_kind.kind


def anchor_of(post: Post) -> Any:
    """The post's item or conversation (fetched once per post object)."""
    if _ANCHOR not in post.__dict__:
        post.__dict__[_ANCHOR] = anchor_get(post.organisation, post.anchor_kind, post.anchor_id)
    return post.__dict__[_ANCHOR]


def anchor_remember(post: Post, anchor: Any) -> Post:
    """Give a post its anchor already fetched (a thread's posts share one)."""
    post.__dict__[_ANCHOR] = anchor
    return post


def anchor_title(anchor: Any) -> str:
    """The item's title or the conversation's topic; a topic the tribunal hides is named by the
    conversation's number, as the opinion pages name it."""
    if anchor_kind(anchor) != "conversation":
        return str(anchor.title)
    if hidden_measure("conversation", anchor.pk) is not None:
        return _("Conversation #%(number)s") % {"number": anchor.pk}
    return str(anchor.topic)


def anchor_url(anchor: Any) -> str:
    kind = anchor_kind(anchor)
    return subject_url(anchor.organisation, kind or "", str(anchor.pk)) or ""


def anchor_is_open(anchor: Any) -> bool:
    """An item takes posts until it closes (decided, lapsed, withdrawn); a conversation until a
    steward closes it."""
    if anchor_kind(anchor) == "conversation":
        return bool(anchor.is_open)
    return not anchor.is_closed


def anchor_names_members(anchor: Any) -> bool:
    """Whether posts there may name their authors. A pseudonymous conversation publishes its
    statements and votes under participant numbers (docs/privacy.md): a named post beside them
    would undo that, so such a conversation has no thread (docs/discussions.md)."""
    return anchor_kind(anchor) != "conversation" or bool(anchor.named_votes)
