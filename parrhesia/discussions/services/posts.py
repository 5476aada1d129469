"""Posting in a thread: a post or a reply, and its edits (every text kept). Each write is on the
record in its transaction; a member mentioned by ``@`` and their display name is notified."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.discussions.actions import Action, post_added_facts, post_edited_facts
from parrhesia.discussions.anchors import (
    anchor_is_open,
    anchor_kind,
    anchor_names_members,
    anchor_of,
    anchor_remember,
    anchor_title,
)
from parrhesia.discussions.models import Post, PostRevision
from parrhesia.discussions.notices import notify_mentioned
from parrhesia.discussions.rules import post_is_hidden
from parrhesia.discussions.selectors import mentioned_members
from parrhesia.discussions.services._shared import (
    DiscussionError,
    ThreadClosed,
    post_text_checked,
)
from parrhesia.kernel.access import member_for
from parrhesia.kernel.texts import markdown_html
from parrhesia.orgs.models import Membership
from parrhesia.record.services import record_append


def _thread_open(anchor: Any) -> None:
    if not anchor_names_members(anchor):
        raise ThreadClosed(
            _("This conversation is pseudonymous: a post would name its author, so it has none.")
        )
    if not anchor_is_open(anchor):
        raise ThreadClosed(_("This thread is closed: its item or conversation is closed."))


def _parent_checked(anchor: Any, parent: Post | None) -> None:
    if parent is None:
        return
    if (parent.anchor_kind, parent.anchor_id) != (anchor_kind(anchor), str(anchor.pk)):
        raise DiscussionError(_("A reply belongs to the same thread as the post it answers."))
    if parent.parent_id is not None:
        raise DiscussionError(_("Reply to the first post of the conversation, not to a reply."))
    if post_is_hidden(parent):
        raise DiscussionError(_("This post is hidden by the tribunal; it takes no replies."))


def post_url(post: Post) -> str:
    return reverse("discussions:post", args=[post.organisation.slug, post.pk])


def _mentions_notify(post: Post, author: Membership, anchor: Any, before: str = "") -> None:
    """Each member the text mentions, but the author and those the text before mentioned."""
    already = {member.pk for member in mentioned_members(post.organisation, before)}
    mentioned = [
        member
        for member in mentioned_members(post.organisation, post.text)
        if member.pk != author.pk and member.pk not in already
    ]
    notify_mentioned(
        [member.user for member in mentioned], post=post, author=author,
        topic=anchor_title(anchor), url=post_url(post),
    )  # fmt: skip


def post_add(*, user: User, anchor: Any, text: str, parent: Post | None = None) -> Post:
    """A post in the thread of an item or a conversation, or a reply to one of its posts."""
    text = post_text_checked(text)
    kind = anchor_kind(anchor)
    if kind is None:
        raise DiscussionError(_("Threads hang on agenda items and conversations only."))
    with transaction.atomic():
        member = member_for(user, anchor, "discussions.take_part")
        _thread_open(anchor)
        _parent_checked(anchor, parent)
        post = Post.objects.create(
            organisation=anchor.organisation, anchor_kind=kind, anchor_id=str(anchor.pk),
            parent=parent, author=member, text=text, html=markdown_html(text),
        )  # fmt: skip
        anchor_remember(post, anchor)
        PostRevision.objects.create(post=post, number=1, text=text)
        record_append(
            organisation=anchor.organisation,
            actor=member,
            action=Action.POST_ADDED,
            subject=("post", post.pk),
            payload=post_added_facts(
                anchor_kind=kind,
                anchor_id=str(anchor.pk),
                parent=parent.pk if parent else None,
                text=text,
            ),  # fmt: skip
        )
        _mentions_notify(post, member, anchor)
    return post


def post_edit(*, user: User, post: Post, text: str) -> Post:
    """The author's new text; every earlier one stays in the post's history and on the record."""
    text = post_text_checked(text)
    with transaction.atomic():
        member = member_for(user, post, "discussions.edit_post")
        post = Post.objects.select_for_update().select_related("organisation").get(pk=post.pk)
        anchor = anchor_of(post)
        _thread_open(anchor)
        if post_is_hidden(post):
            raise DiscussionError(_("This post is hidden by the tribunal; it cannot be edited."))
        if text == post.text:
            raise DiscussionError(_("The new text is the same as the current one."))
        before = post.text
        post.revision += 1
        post.text, post.html, post.edited_at = text, markdown_html(text), timezone.now()
        post.save(update_fields=["revision", "text", "html", "edited_at"])
        PostRevision.objects.create(post=post, number=post.revision, text=text)
        record_append(
            organisation=post.organisation,
            actor=member,
            action=Action.POST_EDITED,
            subject=("post", post.pk),
            payload=post_edited_facts(revision=post.revision, text=text),
        )
        _mentions_notify(post, member, anchor, before=before)
    return post
