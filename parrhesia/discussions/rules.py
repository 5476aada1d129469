"""Who may do what in a discussion thread, asked of the organisation, of an anchor (an agenda
item or a conversation) or of a post.

- ``discussions.view``: the organisation's readers.
- ``discussions.take_part``: a member the tribunal has not suspended (the posting gate); asked of
  anything, it is asked of its organisation.
- ``discussions.edit_post``: the same, and the post's author.
- ``*_now``: the same and the thread's state: the anchor is open and names its members (a
  pseudonymous conversation has no thread), the post is not hidden by the tribunal, a reply
  answers a top-level post. Services check these halves themselves and say why.
"""

from __future__ import annotations

from typing import Any

import rules

from parrhesia.discussions.anchors import anchor_is_open, anchor_names_members, anchor_of
from parrhesia.discussions.models import Post
from parrhesia.kernel.access import active_membership, organisation_of
from parrhesia.kernel.content import UnknownContent
from parrhesia.orgs.rules import can_view
from parrhesia.tribunal.rules import can_post
from parrhesia.tribunal.selectors import hidden_measure

_UNSET = object()


def _of_organisation(predicate: rules.Predicate) -> rules.Predicate:
    def lifted(user: Any, obj: Any) -> bool:
        return bool(predicate.test(user, None if obj is None else organisation_of(obj)))

    return rules.predicate(lifted, name=f"{predicate.name}_of_organisation")


def _anchor(obj: Any) -> Any:
    if isinstance(obj, Post):
        try:
            return anchor_of(obj)
        except UnknownContent:
            return None
    return obj


def post_is_hidden(post: Post) -> bool:
    """Hidden by an interim measure or a verdict; a thread's selector gives each post its
    measure so that a page asks once for all."""
    measure = post.__dict__.get("hidden_measure", _UNSET)
    if measure is _UNSET:
        measure = hidden_measure("post", post.pk)
    return measure is not None


@rules.predicate
def thread_open(user: Any, obj: Any) -> bool:
    """The anchor (of a post) takes posts now; always true of the organisation."""
    if obj is None or obj._meta.label == "orgs.Organisation":
        return True
    anchor = _anchor(obj)
    return anchor is not None and anchor_is_open(anchor) and anchor_names_members(anchor)


@rules.predicate
def is_author(user: Any, obj: Any) -> bool:
    if not isinstance(obj, Post):
        return False
    member = active_membership(user, organisation_of(obj))
    return member is not None and obj.author_id == member.pk


@rules.predicate
def is_top_level(user: Any, obj: Any) -> bool:
    return isinstance(obj, Post) and obj.parent_id is None


@rules.predicate
def is_shown(user: Any, obj: Any) -> bool:
    return isinstance(obj, Post) and not post_is_hidden(obj)


takes_part = _of_organisation(can_post)

rules.add_perm("discussions.view", _of_organisation(can_view))
rules.add_perm("discussions.take_part", takes_part)
rules.add_perm("discussions.edit_post", takes_part & is_author)
rules.add_perm("discussions.post_now", takes_part & thread_open)
rules.add_perm("discussions.reply_now", takes_part & is_top_level & is_shown & thread_open)
rules.add_perm("discussions.edit_now", takes_part & is_author & is_shown & thread_open)
