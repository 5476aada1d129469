"""Background work of notifications (django-tasks): the e-mail digest."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def digest_task(setting_id: int) -> int:
    """One member's digest, when its period is over; it enqueues the next one itself."""
    from parrhesia.notifications.services import digest_send

    return digest_send(setting_id=setting_id, now=timezone.now())
