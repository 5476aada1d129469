"""The demo shows a thread beside the rent-rise item: posts, a reply, an edit, a mention."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.discussions.models import Post
from parrhesia.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_thread_on_its_item_once(client, db):
    from parrhesia.accounts.models import User
    from parrhesia.demo import demo_seed
    from parrhesia.discussions.demo import seed

    organisation = demo_seed()
    seed(organisation, {u.username: u for u in User.objects.all()})  # a second run adds nothing
    posts = Post.objects.filter(organisation=organisation)
    assert posts.count() == 5 and posts.filter(parent__isnull=False).count() == 3
    assert posts.filter(revision=2).count() == 1
    assert Notification.objects.filter(recipient__username="bob", kind="mention").count() == 1
    first = posts.order_by("pk").first()
    page = client.get(reverse("agenda:item", args=[organisation.slug, int(first.anchor_id)]))
    assert "Thursday at 7 pm" in page.content.decode()
