"""Background work of the public record (django-tasks).

As everywhere in the house, the record's services import the task at the top
(``services.append`` enqueues it after commit) and the task imports what it runs inside its
body.
"""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from parrhesia.kernel.record_hooks import checkpoint_signed
from parrhesia.record.models import RecordHead

_TURNS = 10  # signings in one task before it hands over to a fresh one


@task()
def checkpoint_sign_task(organisation_id: int) -> int:
    """Sign a checkpoint over everything appended so far; return its size.

    Signing happens outside any transaction (the tree's nodes never change once written), so
    this low-priority worker never holds the record's head while it computes a root or signs:
    writers would otherwise queue behind it each time it is descheduled. The flag is then
    cleared by one conditional UPDATE that succeeds only if nothing was appended since the size
    signed; otherwise the new entries (whose writers saw the flag set and queued nothing) are
    signed in the next turn of the loop. So no write batch is left without a checkpoint.
    """
    from parrhesia.record.checkpoints import checkpoint_sign

    organisation = (
        RecordHead.objects.select_related("organisation")
        .get(organisation_id=organisation_id)
        .organisation
    )
    signed = 0
    for _turn in range(_TURNS):
        checkpoint = checkpoint_sign(organisation)
        signed = checkpoint.size if checkpoint else 0
        cleared = RecordHead.objects.filter(organisation=organisation, size=signed).update(
            checkpoint_queued=False
        )
        if cleared or checkpoint is None:  # None: nothing on the record to sign
            if checkpoint is not None:
                # Those who act on new entries (webhooks) learn that a checkpoint covers them.
                checkpoint_signed(organisation_id)
            return signed
    # Writes keep coming: leave the flag set and hand over to a fresh task, so that one busy
    # organisation does not keep this worker to itself.
    checkpoint_sign_task.enqueue(organisation_id)
    return signed


def checkpoints_sign_waiting(now: datetime) -> int:
    """Due work: sign every record whose signing task was lost; how many were signed.

    A worker killed in the middle of the task (``kill -9``, a lost machine) leaves the head's
    flag set, and writers, seeing it set, queue no other task: without this step no checkpoint
    would be signed again until someone reads the record. Signing is idempotent, so a worker
    signing the same record at the same moment does no harm.
    """
    waiting = RecordHead.objects.filter(checkpoint_queued=True).values_list(
        "organisation_id", flat=True
    )
    return sum(1 for organisation_id in list(waiting) if checkpoint_sign_task.call(organisation_id))
