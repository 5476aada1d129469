"""Search behind one interface; notifications in the app and as an e-mail digest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from parrhesia.agenda import notifications, services
from parrhesia.agenda.models import Notification

pytestmark = pytest.mark.django_db


def test_search_finds_items_motions_arguments_and_questions(client, motion, riverside, carol):
    services.argument_add(user=carol, motion=motion, stance="con", text="Evictions would follow.")
    services.question_file(user=carol, organisation=riverside, title="Are evictions lawful?")
    client.force_login(carol)
    page = client.get(reverse("agenda:search", args=["riverside"]), {"q": "evict"})
    assert page.status_code == 200
    assert b"Are evictions lawful?" in page.content and b"Argument #" in page.content
    page = client.get(reverse("agenda:search", args=["riverside"]), {"q": "landlord"})
    assert b"Rent strike" in page.content  # the motion's text
    assert (
        client.get(reverse("agenda:search", args=["riverside"]), {"q": '"*) OR'}).status_code == 200
    )


def test_search_keeps_to_its_organisation(client, motion, harbour, dave):
    client.force_login(dave)
    page = client.get(reverse("agenda:search", args=["harbour"]), {"q": "landlord"})
    assert b"Rent strike" not in page.content


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


def test_the_notifications_page_lists_and_marks_read(client, admitted, motion, alice, bob):
    argument = services.argument_add(user=alice, motion=motion, stance="pro", text="It worked.")
    services.argument_challenge(user=bob, argument=argument, kind="misquoted")
    client.force_login(alice)
    page = client.get(reverse("agenda:notifications", args=["riverside"]))
    assert "Your argument was challenged (Not what was said)." in page.content.decode()
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()


def test_the_agenda_links_its_notifications_once_with_the_unread_count(
    client, admitted, motion, alice, bob
):
    argument = services.argument_add(user=alice, motion=motion, stance="pro", text="It worked.")
    services.argument_challenge(user=bob, argument=argument, kind="misquoted")
    client.force_login(alice)
    page = client.get(reverse("agenda:index", args=["riverside"])).content.decode()
    link = f'href="{reverse("agenda:notifications", args=["riverside"])}"'
    assert page.count(link) == 1
    unread = Notification.objects.filter(recipient=alice, read_at__isnull=True).count()
    assert f"Notifications ({unread} new)" in page


def test_endorsing_with_htmx_swaps_the_button_in_place(client, motion, alice, carol):
    argument = services.argument_add(user=alice, motion=motion, stance="pro", text="It worked.")
    client.force_login(carol)
    url = reverse("agenda:argument_endorse", args=["riverside", argument.pk])
    response = client.post(url, {"strong": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'aria-pressed="true"' in response.content and b"<html" not in response.content
    assert client.post(url, {"strong": "0"}).status_code == 302
    assert argument.endorsements.count() == 0
