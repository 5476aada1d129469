"""Notifications in the app and as an e-mail digest (the agenda's notices as the example)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from parrhesia.agenda import services
from parrhesia.notifications import services as notifications
from parrhesia.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_digest_is_grouped_newest_first_and_never_repeats(
    admitted, riverside, motion, alice, bob, carol, django_capture_on_commit_callbacks
):
    setting = notifications.notification_setting_set(
        user=alice, organisation=riverside, digest="daily"
    )
    argument = services.argument_add(user=alice, motion=motion, stance="pro", text="It worked.")
    services.argument_challenge(user=bob, argument=argument, kind="source")
    services.motion_file_alternative(user=carol, item=admitted, title="Negotiate", text="Talk.")
    now = timezone.now() + timedelta(days=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = notifications.digest_send(setting_id=setting.pk, now=now)
    assert sent == 3  # admitted (discussion), challenge, alternative
    [message] = mail.outbox
    body = message.body
    assert body.startswith("The 9 % rent rise")
    assert body.index("alternative motion") < body.index("challenged")
    assert notifications.digest_send(setting_id=setting.pk, now=now + timedelta(days=1)) == 0
    assert Notification.objects.filter(recipient=alice, emailed_at__isnull=True).count() == 0


def test_the_notifications_page_lists_and_a_post_marks_read(client, admitted, motion, alice, bob):
    argument = services.argument_add(user=alice, motion=motion, stance="pro", text="It worked.")
    services.argument_challenge(user=bob, argument=argument, kind="misquoted")
    client.force_login(alice)
    page = client.get(reverse("notifications:list", args=["riverside"]))
    assert "Your argument was challenged (Not what was said)." in page.content.decode()
    assert "Mark all as read" in page.content.decode()
    # GET never writes: reading the list leaves the notices unread until the member says so.
    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    response = client.post(reverse("notifications:read", args=["riverside"]))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()


def test_the_agenda_links_its_notifications_once_with_the_unread_count(
    client, admitted, motion, alice, bob
):
    argument = services.argument_add(user=alice, motion=motion, stance="pro", text="It worked.")
    services.argument_challenge(user=bob, argument=argument, kind="misquoted")
    client.force_login(alice)
    page = client.get(reverse("agenda:index", args=["riverside"])).content.decode()
    link = f'href="{reverse("notifications:list", args=["riverside"])}"'
    assert page.count(link) == 1
    unread = Notification.objects.filter(recipient=alice, read_at__isnull=True).count()
    assert f"Notifications ({unread} new)" in page


def test_the_pages_old_address_leads_to_it(client, riverside, alice):
    client.force_login(alice)
    response = client.get("/o/riverside/agenda/notifications/")
    assert response.status_code == 301
    assert response["Location"] == reverse("notifications:list", args=["riverside"])
