"""Notices by e-mail (issue 14): a member is told of a ballot they may vote in and reminded a
day before it closes; every e-mail has a text and an HTML part and a one-click unsubscribe;
each member's settings are respected."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from parrhesia.decisions import services as decisions
from parrhesia.decisions.notices import ballot_reminders_due
from parrhesia.notifications import services as notifications
from parrhesia.notifications.models import Notification, NotificationSetting
from parrhesia.orgs import services as orgs
from parrhesia.orgs.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def frank(db):
    from allauth.account.models import EmailAddress

    from parrhesia.accounts.models import User

    user = User.objects.create_user(
        username="frank", email="frank@example.org", password="x", display_name="Frank New"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def joined(riverside, alice, frank):
    """Frank joins Riverside through an invitation."""
    invitation = orgs.invitation_create(user=alice, organisation=riverside)
    orgs.invitation_accept(user=frank, token=invitation.token)
    return frank


def open_ballot(riverside, bob, capture, **extra):
    closes = timezone.now() + timedelta(days=3)
    with capture(execute=True):
        return decisions.ballot_open(
            user=bob,
            organisation=riverside,
            title="Paint the hall green?",
            method="plurality",
            options=["Yes", "No"],
            closes_at=closes,
            **extra,
        )


def sent_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_a_member_who_joins_is_told_of_a_ballot_and_reminded_before_it_closes(
    riverside, bob, joined, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    ballot = open_ballot(riverside, bob, django_capture_on_commit_callbacks)
    [opened] = sent_to("frank@example.org")
    assert "Paint the hall green?" in opened.body
    assert "has opened" in opened.body
    url = reverse("decisions:detail", args=["riverside", ballot.pk])
    assert f"https://localhost{url}" in opened.body
    # The opener is not told of what they did.
    assert not sent_to("bob@example.org")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert ballot_reminders_due(now=timezone.now()) == 0  # not within a day yet
        assert ballot_reminders_due(now=ballot.closes_at - timedelta(hours=23)) >= 1
        # Idempotent: the sweep of `parrhesia due` after the task sends nothing twice.
        assert ballot_reminders_due(now=ballot.closes_at - timedelta(hours=22)) == 0
    [reminder] = sent_to("frank@example.org")
    assert "You have not voted yet" in reminder.body
    assert "Paint the hall green?" in reminder.body


def test_who_has_voted_is_not_reminded_and_a_secret_ballots_reminder_says_no_more(
    riverside, bob, carol, joined, django_capture_on_commit_callbacks
):
    wordings = []
    for secrecy in ("open", "secret"):
        ballot = open_ballot(
            riverside, bob, django_capture_on_commit_callbacks, secrecy=secrecy, min_anonymity=2
        )
        decisions.ballot_vote(user=carol, ballot=ballot, choices=0)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            ballot_reminders_due(now=ballot.closes_at - timedelta(hours=23), ballot_id=ballot.pk)
        [reminder] = sent_to("frank@example.org")
        assert not sent_to("carol@example.org")
        wordings.append(reminder.body.splitlines()[0])
    # The same words for a secret ballot: nothing about who voted or how the vote stands.
    assert wordings[0] == wordings[1]


def test_every_email_has_both_parts_and_a_one_click_unsubscribe(
    client, riverside, bob, joined, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    open_ballot(riverside, bob, django_capture_on_commit_callbacks)
    [message] = sent_to("frank@example.org")
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Paint the hall green?" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://localhost/unsubscribe/") and header.endswith("/>")
    path = header[len("<https://localhost") : -1]
    assert path in message.body and path in html

    # A GET (a link scanner, a preview) only asks; the mail client's POST needs no login.
    page = client.get(path)
    assert page.status_code == 200
    assert "Stop e-mails from Riverside Tenants" in page.content.decode()
    client.handler.enforce_csrf_checks = True
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200

    mail.outbox.clear()
    open_ballot(riverside, bob, django_capture_on_commit_callbacks)
    assert not sent_to("frank@example.org")
    assert sent_to("carol@example.org")
    # Still told in the app.
    assert Notification.objects.filter(recipient=joined, kind="ballot_opened").count() == 2


def test_a_forged_unsubscribe_link_is_refused(client, riverside):
    response = client.post("/unsubscribe/forged:token/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_the_settings_page_sends_a_kind_to_the_digest_instead(
    client, riverside, bob, joined, django_capture_on_commit_callbacks
):
    client.force_login(joined)
    url = reverse("notifications:settings", args=["riverside"])
    page = client.get(url).content.decode()
    assert "A vote you may take part in opens" in page
    for kind in ("Your argument is challenged", "You are drawn as a juror", "Someone mentions you"):
        assert kind in page  # every app's kinds, each with its name
    response = client.post(url, {"digest": "daily", "kind_ballot_opened": "digest"})
    assert response.status_code == 302
    mail.outbox.clear()
    open_ballot(riverside, bob, django_capture_on_commit_callbacks)
    assert not sent_to("frank@example.org")
    # ... it comes in the next digest.
    setting = NotificationSetting.objects.get(member__user=joined)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.digest_send(setting_id=setting.pk, now=timezone.now() + timedelta(days=1))
    [digest] = sent_to("frank@example.org")
    assert "Paint the hall green?" in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_digest_is_daily_by_default(riverside, carol, django_capture_on_commit_callbacks):
    member = Membership.objects.get(user=carol, organisation=riverside)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(
            [carol], organisation=riverside, kind="minority_report",
            params={"ballot": "B", "title": "T"}, url="/o/riverside/",
        )  # fmt: skip
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.digests_send_due(timezone.now() + timedelta(days=1)) == 1
    assert sent_to("carol@example.org")
    assert NotificationSetting.objects.get(member=member).digest == "daily"


def test_a_bad_setting_is_a_form_error(client, riverside, carol):
    client.force_login(carol)
    url = reverse("notifications:settings", args=["riverside"])
    response = client.post(url, {"digest": "hourly", "kind_ballot_opened": "carrier-pigeon"})
    assert response.status_code == 400


def test_a_failed_send_is_retried_and_never_blocks_the_request(
    riverside, bob, joined, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.mail.backends.locmem import EmailBackend

    def smtp_down(self, messages):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(EmailBackend, "send_messages", smtp_down)
    mail.outbox.clear()
    ballot = open_ballot(riverside, bob, django_capture_on_commit_callbacks)  # no error rises
    assert ballot.pk
    notice = Notification.objects.get(recipient=joined, kind="ballot_opened")
    assert notice.emailed_at is None  # left for a retry
    monkeypatch.undo()
    later = timezone.now() + timedelta(minutes=30)
    assert notifications.notices_mail_due(later) >= 1  # the sweep of `parrhesia due`
    [message] = sent_to("frank@example.org")
    assert "Paint the hall green?" in message.body
    assert notifications.notices_mail_due(later) == 0  # and never twice
