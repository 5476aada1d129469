"""The thread on the item and conversation pages, posting with plain forms, a post's own page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parrhesia.discussions.models import Post
from parrhesia.discussions.services import post_add, post_edit
from parrhesia.orgs.models import Visibility

pytestmark = pytest.mark.django_db


def item_url(item):
    return reverse("agenda:item", args=[item.organisation.slug, item.pk])


def add_url(item):
    return reverse("discussions:post_add", args=[item.organisation.slug, "item", item.pk])


def test_the_item_page_shows_the_thread_and_its_forms(client, item, post, bob, carol):
    post_add(user=bob, anchor=item, text="Thursday suits me.", parent=post)
    client.force_login(carol)
    page = client.get(item_url(item)).content.decode()
    assert "<strong>Thursday</strong>" in page and "Thursday suits me." in page
    assert "Bob Steward" in page
    assert f'name="parent" value="{post.pk}"' in page  # a reply form, no JavaScript needed
    assert 'id="thread_text"' in page and f'action="{add_url(item)}"' in page


def test_a_member_posts_and_replies_with_plain_forms(client, item, post, bob):
    client.force_login(bob)
    response = client.post(add_url(item), {"text": "I can bring chairs."})
    new = Post.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == f"{item_url(item)}#post-{new.pk}"
    client.post(add_url(item), {"text": "See above.", "parent": str(post.pk)})
    assert Post.objects.latest("pk").parent == post


def test_a_bad_post_comes_back_with_its_error(client, item, bob):
    client.force_login(bob)
    response = client.post(add_url(item), {"text": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert client.post(add_url(item), {"text": "Hi", "parent": "999999"}).status_code == 404
    bad_kind = reverse("discussions:post_add", args=[item.organisation.slug, "motion", item.pk])
    assert client.post(bad_kind, {"text": "Hi"}).status_code == 404
    assert not Post.objects.exists()


def test_raw_html_is_shown_as_text(item, carol):
    post = post_add(user=carol, anchor=item, text='<script>alert("x")</script> [a](javascript:x)')
    assert "<script>" not in post.html and "href" not in post.html


def test_the_post_page_shows_every_earlier_text(client, item, post, carol):
    post_edit(user=carol, post=post, text="Shall we meet on Friday instead?")
    client.force_login(carol)
    page = client.get(reverse("discussions:post", args=["riverside", post.pk])).content.decode()
    assert "Shall we meet **Thursday** in block C?" in page  # the first text, in the history
    assert "Friday instead" in page
    edit = reverse("discussions:post_edit", args=["riverside", post.pk])
    assert edit in page
    response = client.post(edit, {"text": "Saturday, then."})
    assert response.status_code == 302
    assert post.revisions.count() == 3


def test_a_visitor_of_a_public_organisation_reads_numbers_not_names(client, riverside, item, post):
    riverside.visibility = Visibility.PUBLIC
    riverside.save(update_fields=["visibility"])
    page = client.get(item_url(item)).content.decode()
    assert "Thursday" in page
    assert "Carol Member" not in page
    assert f"Member {post.author_id}" in page


def test_the_conversation_page_shows_a_thread_only_where_votes_are_named(
    client, named_conversation, pseudonymous_conversation, carol
):
    post_add(user=carol, anchor=named_conversation, text="Lifts first, then the roof.")
    client.force_login(carol)
    named = client.get(reverse("opinion:detail", args=["riverside", named_conversation.pk]))
    assert "Lifts first, then the roof." in named.content.decode()
    pseudonymous = client.get(
        reverse("opinion:detail", args=["riverside", pseudonymous_conversation.pk])
    ).content.decode()
    assert "it has no discussion thread" in pseudonymous
    assert 'id="thread_text"' not in pseudonymous


def test_the_thread_reads_in_a_constant_number_of_queries(client, item, post, alice, bob):
    client.force_login(alice)
    client.get(item_url(item))
    with CaptureQueriesContext(connection) as short:
        client.get(item_url(item))
    for number in range(4):
        top = post_add(user=bob, anchor=item, text=f"Point {number}.")
        post_add(user=alice, anchor=item, text=f"Reply {number}.", parent=top)
    with CaptureQueriesContext(connection) as long:
        client.get(item_url(item))
    assert len(long) == len(short)


def test_the_record_links_each_post_to_its_page(client, item, post, carol):
    client.force_login(carol)
    page = client.get(reverse("record:page", args=["riverside"])).content.decode()
    assert reverse("discussions:post", args=["riverside", post.pk]) in page
