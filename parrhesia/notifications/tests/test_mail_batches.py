"""The notices of one event are e-mailed by a few tasks, not one each (a vote opened for 5,000
members queued 5,000 tasks); a failing SMTP server sends the rest of a batch again later."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from parrhesia.accounts.models import User
from parrhesia.notifications import services, tasks
from parrhesia.notifications.models import Notification

pytestmark = pytest.mark.django_db


def people(count: int) -> list[User]:
    return User.objects.bulk_create(
        User(username=f"p{n}", display_name=f"Person {n}", email=f"p{n}@example.org")
        for n in range(count)
    )


def test_one_event_for_many_members_queues_a_task_per_batch(
    riverside, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(
        services, "task_after_commit", lambda task, *args, **kw: queued.append((task, args))
    )
    recipients = people(2 * tasks.MAIL_BATCH + 1)
    services.notify(
        recipients, organisation=riverside, kind="ballot_opened", params={"title": "Strike?"},
        url="/o/riverside/", default="email",
    )  # fmt: skip
    assert [task for task, _args in queued] == [tasks.notifications_mail_task] * 3
    batches = [args[0] for _task, args in queued]
    assert sorted(pk for batch in batches for pk in batch) == sorted(
        Notification.objects.filter(kind="ballot_opened").values_list("pk", flat=True)
    )


def test_a_batch_sends_each_notice_once_and_retries_the_rest_when_smtp_fails(
    riverside, monkeypatch
):
    recipients = people(4)
    with monkeypatch.context() as patched:  # the notices are stored, their tasks not run
        patched.setattr(services, "task_after_commit", lambda *args, **kw: None)
        services.notify(
            recipients, organisation=riverside, kind="ballot_opened",
            params={"title": "Strike?"}, url="/o/riverside/", default="email",
        )  # fmt: skip
    ids = sorted(Notification.objects.values_list("pk", flat=True))
    mail.outbox.clear()
    send = EmailBackend.send_messages
    calls = []

    def down_after_two(self, messages):
        calls.append(1)
        if len(calls) > 2:
            raise ConnectionRefusedError("SMTP server down")
        return send(self, messages)

    retried = []
    monkeypatch.setattr(EmailBackend, "send_messages", down_after_two)
    monkeypatch.setattr(tasks, "task_enqueue", lambda task, *args, **kw: retried.append(args))
    assert tasks.notifications_mail_task.call(ids) == 2
    assert retried == [(ids[2:], 2)]
    monkeypatch.setattr(EmailBackend, "send_messages", send)
    assert tasks.notifications_mail_task.call(ids, 2) == 2  # the first two are not sent again
    assert len(mail.outbox) == 4
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
