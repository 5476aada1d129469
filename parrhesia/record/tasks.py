"""Background work of the public record (django-tasks)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from parrhesia.orgs.models import Organisation
from parrhesia.record.checkpoints import checkpoint_sign
from parrhesia.record.models import RecordHead


@task()
def checkpoint_sign_task(organisation_id: int) -> int:
    """Sign a checkpoint over everything appended so far; return its size.

    The flag is cleared first, in the same transaction: a write that commits after this point
    queues the next signing, so no write batch is left without a checkpoint.
    """
    organisation = Organisation.objects.get(pk=organisation_id)
    with transaction.atomic():
        RecordHead.objects.filter(organisation=organisation).update(checkpoint_queued=False)
        checkpoint = checkpoint_sign(organisation)
    return checkpoint.size if checkpoint else 0
