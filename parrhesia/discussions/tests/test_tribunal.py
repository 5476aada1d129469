"""A thread answers to the tribunal like everything else: the posting gate, reports,
tombstones, erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from parrhesia.accounts.models import User
from parrhesia.discussions.models import Post
from parrhesia.discussions.services import DiscussionError, post_add, post_edit
from parrhesia.kernel.content import reportable_of
from parrhesia.orgs.models import Membership
from parrhesia.tribunal.models import Suspension
from tests.fixtures.tribunal import content_hide_interim, content_report

pytestmark = pytest.mark.django_db


def suspend(court, carol, post):
    Suspension.objects.create(  # what a verdict's sanction writes
        member=Membership.objects.get(user=carol, organisation=court),
        case=content_report(court, carol, "post", post),
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(days=7),
    )


def test_a_suspended_member_is_refused_and_offered_no_form(client, court, item, carol, bob):
    post = post_add(user=bob, anchor=item, text="The hall is booked for Thursday.")
    own = post_add(user=carol, anchor=item, text="Thank you.")
    suspend(court, carol, post)
    carol = User.objects.get(pk=carol.pk)  # a new request: the posting gate is read per request
    with pytest.raises(PermissionDenied):
        post_add(user=carol, anchor=item, text="I am back.")
    with pytest.raises(PermissionDenied):
        post_add(user=carol, anchor=item, text="Me too.", parent=post)
    with pytest.raises(PermissionDenied):
        post_edit(user=carol, post=own, text="Thanks again.")
    client.force_login(carol)
    page = client.get(reverse("agenda:item", args=[court.slug, item.pk])).content.decode()
    assert "The hall is booked" in page
    assert 'name="parent"' not in page and 'id="thread_text"' not in page
    url = reverse("discussions:post_add", args=[court.slug, "item", item.pk])
    assert client.post(url, {"text": "Let me in."}).status_code == 403
    assert Post.objects.count() == 2


def test_a_post_is_reportable_and_named_in_the_docket(court, item, carol):
    post = post_add(user=carol, anchor=item, text="The caretaker lives at flat 12, call him.")
    kind = reportable_of("post")
    assert kind.author_of(post).user == carol
    assert "flat 12" in kind.summary_of(post)
    assert kind.url_of(post) == reverse("discussions:post", args=[court.slug, post.pk])


def test_a_hidden_post_is_tombstoned_and_takes_no_reply_nor_edit(
    client, court, item, carol, alice, bob
):
    post = post_add(user=carol, anchor=item, text="The caretaker lives at flat 12, call him.")
    content_hide_interim(court, alice, "post", post, bob)
    client.force_login(alice)
    for url in (
        reverse("agenda:item", args=[court.slug, item.pk]),
        reverse("discussions:post", args=[court.slug, post.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Hidden by an interim measure" in page
        assert "flat 12" not in page
    with pytest.raises(DiscussionError):
        post_add(user=alice, anchor=item, text="Who?", parent=post)
    with pytest.raises(DiscussionError):
        post_edit(user=carol, post=post, text="Call the office instead.")


def test_erasure_takes_the_text_and_every_revision(court, item, carol):
    post = post_add(user=carol, anchor=item, text="The caretaker lives at flat 12.")
    post = post_edit(user=carol, post=post, text="The caretaker lives at flat 12, call him.")
    removed = reportable_of("post").erase(post, "Erased by the verdict of case 1.")
    post.refresh_from_db()
    assert "flat 12" not in post.text + post.html
    assert set(post.revisions.values_list("text", flat=True)) == {
        "Erased by the verdict of case 1."
    }
    assert "The caretaker lives at flat 12." in removed


def test_every_text_of_a_post_is_sealed_on_the_record_and_can_be_redacted(court, item, carol):
    from parrhesia.record.models import RecordEntry
    from parrhesia.record.services import record_redact, sealed_values

    post = post_add(user=carol, anchor=item, text="The caretaker lives at flat 12.")
    post_edit(user=carol, post=post, text="The caretaker lives at flat 12, call him.")
    disclosed = sealed_values(court, subjects=[("post", post.pk)])
    assert [pointer for _seq, pointer in disclosed] == ["/payload/text", "/payload/text"]
    with transaction.atomic():
        record_redact(organisation=court, actor=None, erased=disclosed, grounds="verdict", case=1)
    texts = [
        e.payload["text"] for e in RecordEntry.objects.filter(subject_kind="post").order_by("seq")
    ]
    assert all(isinstance(text, dict) and "$redacted" in text for text in texts)


def test_the_report_link_opens_the_report_form_on_the_post(client, court, item, carol, bob):
    post = post_add(user=carol, anchor=item, text="The caretaker lives at flat 12, call him.")
    client.force_login(bob)
    page = client.get(reverse("agenda:item", args=[court.slug, item.pk])).content.decode()
    link = f"{reverse('tribunal:report', args=[court.slug])}?kind=post&amp;id={post.pk}"
    assert link in page
    form = client.get(link.replace("&amp;", "&"))
    assert form.status_code == 200 and "flat 12" in form.content.decode()


def test_the_download_has_every_post_and_a_hidden_one_without_its_words(
    client, court, item, carol, alice, bob
):
    import io
    import json
    import zipfile

    hidden = post_add(user=carol, anchor=item, text="The caretaker lives at flat 12, call him.")
    shown = post_add(user=carol, anchor=item, text="Meeting on Thursday.")
    post_edit(user=carol, post=shown, text="Meeting on Friday.")
    case = content_hide_interim(court, alice, "post", hidden, bob)
    client.force_login(alice)
    response = client.get(reverse("record:download", args=[court.slug]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    posts = json.loads(zipfile.ZipFile(io.BytesIO(content)).read("discussions.json"))
    by_id = {post["id"]: post for post in posts}
    assert by_id[hidden.pk]["hidden"] is True and by_id[hidden.pk]["case"] == case.number
    assert "flat 12" not in json.dumps(posts)
    assert by_id[shown.pk]["revisions"] == ["Meeting on Thursday.", "Meeting on Friday."]
