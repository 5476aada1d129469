"""Background work of notifications (django-tasks): a notice's e-mail, and the e-mail digest."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from parrhesia.kernel.deferred import task_enqueue

# An e-mail that fails (the SMTP server down) is tried again after 2, 4, 8, 16 minutes; then
# ``parrhesia due`` is the last resort.
MAIL_ATTEMPTS = 5
# The notices of one event (a vote opened for 5,000 members) are e-mailed by one task per this
# many: a task row per notice cost the database more than the e-mails (docs/benchmarks.md).
MAIL_BATCH = 100


@task()
def digest_task(setting_id: int) -> int:
    """One member's digest, when its period is over; it enqueues the next one itself."""
    from parrhesia.notifications.services import digest_send

    return digest_send(setting_id=setting_id, now=timezone.now())


@task()
def notification_mail_task(notification_id: int, attempt: int = 1) -> bool:
    """E-mail one notice now; on failure, enqueue itself again later (a few times). Notices are
    now e-mailed in batches (below); this one runs what an earlier version queued."""
    from parrhesia.notifications.services import notification_mail_send

    try:
        return notification_mail_send(notification_id=notification_id)
    except OSError:  # smtplib's errors included
        if attempt >= MAIL_ATTEMPTS:
            raise
        later = timezone.now() + timedelta(minutes=2**attempt)
        task_enqueue(notification_mail_task, notification_id, attempt + 1, run_after=later)
        return False


@task()
def notifications_mail_task(notification_ids: list[int], attempt: int = 1) -> int:
    """E-mail a batch of notices now (how many were sent). If sending fails (the SMTP server
    down), those not yet sent are tried again later by one task, a few times."""
    from parrhesia.notifications.services import notification_mail_send

    sent = 0
    for position, notification_id in enumerate(notification_ids):
        try:
            sent += notification_mail_send(notification_id=notification_id)
        except OSError:  # smtplib's errors included
            if attempt >= MAIL_ATTEMPTS:
                raise
            later = timezone.now() + timedelta(minutes=2**attempt)
            rest = notification_ids[position:]
            task_enqueue(notifications_mail_task, rest, attempt + 1, run_after=later)
            break
    return sent
