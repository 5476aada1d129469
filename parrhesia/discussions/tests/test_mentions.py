"""@mentions: a member named by ``@`` and their display name is told, once."""

from __future__ import annotations

import pytest

from parrhesia.discussions.selectors import mentioned_members
from parrhesia.discussions.services import post_add, post_edit
from parrhesia.notifications.models import Notification
from parrhesia.notifications.notices import notification_text

pytestmark = pytest.mark.django_db


def mentions_of(user):
    return list(Notification.objects.filter(recipient=user, kind="mention"))


def test_a_mention_notifies_the_mentioned_member(item, carol, bob, alice):
    post = post_add(user=carol, anchor=item, text="@Bob Steward, can you book the hall?")
    [notice] = mentions_of(bob)
    assert notice.url.endswith(f"/discussions/posts/{post.pk}/")
    assert notice.params["author"] == "Carol Member"
    assert notice.topic == item.title
    assert item.title in notification_text(notice)  # worded, whoever words "mention"
    assert mentions_of(alice) == [] and mentions_of(carol) == []


def test_a_mention_reads_like_the_member_list_whatever_the_case(riverside, carol, bob, alice):
    text = "Thanks @alice admin and @Bob Steward! (not bob@example.org, nor @Bobby)"
    assert {m.user for m in mentioned_members(riverside, text)} == {alice, bob}


def test_the_author_mentioning_themselves_is_not_told(item, carol):
    post_add(user=carol, anchor=item, text="Note to self, @Carol Member: bring the keys.")
    assert mentions_of(carol) == []


def test_no_one_outside_the_organisation_is_told(item, carol, dave, harbour):
    post_add(user=carol, anchor=item, text="Ask @Dave Elsewhere of the harbour co-op.")
    assert mentions_of(dave) == []


def test_an_edit_tells_only_those_newly_mentioned(item, carol, bob, alice):
    post = post_add(user=carol, anchor=item, text="@Bob Steward, the hall?")
    post_edit(user=carol, post=post, text="@Bob Steward and @Alice Admin, the hall?")
    assert len(mentions_of(bob)) == 1
    assert len(mentions_of(alice)) == 1
