"""Every read of discussion threads, in a constant number of queries."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Prefetch

from parrhesia.discussions.anchors import anchor_kind, anchor_remember
from parrhesia.discussions.models import Post, PostRevision
from parrhesia.orgs.models import Membership, MembershipStatus, Organisation
from parrhesia.tribunal.selectors import hidden_measures


def thread_posts(anchor: Any) -> list[Post]:
    """The thread on an item or a conversation: its top-level posts, oldest first, each with its
    ``replies_shown`` (oldest first); every post knows its anchor and its ``hidden_measure``
    (None when shown). Three queries, however long the thread."""
    replies = Prefetch(
        "replies",
        queryset=Post.objects.select_related("author__user").order_by("id"),
        to_attr="replies_shown",
    )
    posts = list(
        Post.objects.filter(
            organisation=anchor.organisation,
            anchor_kind=anchor_kind(anchor),
            anchor_id=str(anchor.pk),
            parent__isnull=True,
        )
        .select_related("author__user")
        .prefetch_related(replies)
        .order_by("id")
    )
    everyone = [*posts, *(reply for post in posts for reply in post.replies_shown)]
    measures = hidden_measures("post", [post.pk for post in everyone])
    for post in everyone:
        post.hidden_measure = measures.get(str(post.pk))
        post.organisation = anchor.organisation
        anchor_remember(post, anchor)
    return posts


def post_get(organisation: Organisation, post_id: int) -> Post | None:
    return (
        Post.objects.filter(organisation=organisation, pk=post_id)
        .select_related("author__user", "organisation")
        .first()
    )


def post_revisions(post: Post) -> list[PostRevision]:
    return list(PostRevision.objects.filter(post=post).order_by("number"))


def post_replies(post: Post) -> list[Post]:
    replies = list(post.replies.select_related("author__user").order_by("id"))
    measures = hidden_measures("post", [reply.pk for reply in replies])
    for reply in replies:
        reply.hidden_measure = measures.get(str(reply.pk))
    return replies


def mentioned_members(organisation: Organisation, text: str) -> list[Membership]:
    """The active members a text mentions: ``@`` and their display name (as the member list
    shows it; case does not matter), not followed by a letter or digit. Where two names start
    alike ("@Ann" and "@Ann Lee"), the longer one that matches wins."""
    if "@" not in text:
        return []
    members = (
        Membership.objects.filter(organisation=organisation, status=MembershipStatus.ACTIVE)
        .select_related("user")
        .order_by("pk")
    )
    by_name = {member.user.public_name.casefold(): member for member in members}
    found: dict[int, Membership] = {}
    folded = text.casefold()
    for name in sorted(by_name, key=len, reverse=True):
        pattern = re.compile(r"(?<![\w@])@" + re.escape(name) + r"(?!\w)")
        if pattern.search(folded):
            found[by_name[name].pk] = by_name[name]
            folded = pattern.sub(" ", folded)
    return list(found.values())
