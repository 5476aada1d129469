"""Posting in a thread: a post, a reply one level deep, every edit kept, all on the record."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from parrhesia.discussions.models import Post
from parrhesia.discussions.services import DiscussionError, ThreadClosed, post_add, post_edit
from parrhesia.record.models import RecordEntry

pytestmark = pytest.mark.django_db


def entries(action):
    return list(RecordEntry.objects.filter(action=action).order_by("seq"))


def test_a_member_posts_on_an_item_and_the_record_keeps_the_text_sealed(item, post, carol):
    assert post.author.user == carol
    assert "<strong>Thursday</strong>" in post.html
    [entry] = entries("post.added")
    assert entry.subject_kind == "post" and entry.subject_id == str(post.pk)
    assert entry.actor == post.author_id
    assert entry.payload["on"] == {"kind": "agenda_item", "id": str(item.pk)}
    assert entry.payload["text"] == post.text
    assert b"Thursday" not in bytes(entry.canonical)  # a commitment: erasable


def test_a_reply_answers_a_post_and_replies_take_no_replies(item, post, bob, alice):
    reply = post_add(user=bob, anchor=item, text="Thursday suits me.", parent=post)
    assert reply.parent == post
    assert entries("post.added")[-1].payload["parent"] == post.pk
    with pytest.raises(DiscussionError):
        post_add(user=alice, anchor=item, text="And me.", parent=reply)
    assert Post.objects.count() == 2


def test_a_reply_stays_in_its_thread(item, post, named_conversation, bob):
    with pytest.raises(DiscussionError):
        post_add(user=bob, anchor=named_conversation, text="Elsewhere.", parent=post)


def test_an_edit_keeps_every_earlier_text(item, post, carol):
    post_edit(user=carol, post=post, text="Shall we meet on Friday instead?")
    post.refresh_from_db()
    assert post.revision == 2 and post.edited_at is not None
    assert [r.text for r in post.revisions.order_by("number")] == [
        "Shall we meet **Thursday** in block C?",
        "Shall we meet on Friday instead?",
    ]
    [entry] = entries("post.edited")
    assert entry.payload == {"revision": 2, "text": "Shall we meet on Friday instead?"}


def test_only_the_author_edits(post, bob):
    with pytest.raises(PermissionDenied):
        post_edit(user=bob, post=post, text="Not my words.")


def test_an_empty_post_is_refused_with_a_reason(item, carol):
    with pytest.raises(DiscussionError, match="empty"):
        post_add(user=carol, anchor=item, text="   ")


def test_an_outsider_cannot_post(item, erin):
    with pytest.raises(PermissionDenied):
        post_add(user=erin, anchor=item, text="Hello from outside.")


def test_a_named_conversation_takes_posts(named_conversation, carol):
    post = post_add(user=carol, anchor=named_conversation, text="Lifts first.")
    assert entries("post.added")[0].payload["on"] == {
        "kind": "conversation",
        "id": str(named_conversation.pk),
    }
    assert post.anchor_kind == "conversation"


def test_a_pseudonymous_conversation_has_no_thread(pseudonymous_conversation, carol):
    """Its statements and votes go under participant numbers: a named post would undo that."""
    with pytest.raises(ThreadClosed, match="pseudonymous"):
        post_add(user=carol, anchor=pseudonymous_conversation, text="I voted against.")
    assert not entries("post.added")


def test_a_closed_item_takes_no_post(item, carol):
    item.phase = "withdrawn"
    item.save(update_fields=["phase"])
    with pytest.raises(ThreadClosed):
        post_add(user=carol, anchor=item, text="Too late?")
