"""Background work of the webhooks (django-tasks): the deliveries, run by the task worker."""

from __future__ import annotations

from django_tasks import task

from parrhesia.kernel.deferred import task_enqueue
from parrhesia.webhooks.models import Subscription


@task()
def webhooks_dispatch_task(organisation_id: int) -> int:
    """Queue the organisation's new entries for its webhooks and attempt what is due."""
    from parrhesia.webhooks.services import webhooks_dispatch

    return webhooks_dispatch(organisation_id=organisation_id)


def dispatch_soon(organisation_id: int) -> None:
    """The record's checkpoint listener (``kernel.record_hooks``): a new checkpoint covers new
    entries; deliver them if the organisation has an active webhook."""
    if Subscription.objects.filter(organisation_id=organisation_id, disabled="").exists():
        task_enqueue(webhooks_dispatch_task, organisation_id)
