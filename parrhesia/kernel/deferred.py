"""The one way to run work after the transaction that asked for it commits.

A write never waits for a task, an e-mail or a signature, and never happens at all if its
transaction rolls back, so every such step is deferred to ``on_commit``. Each is *robust*: an
error in one (a broker down, an SMTP failure) is logged and does not stop the others, and the
write, already committed, stands. What a lost task leaves undone, ``parrhesia due`` catches up.

Deadlines are tasks with ``run_after`` (docs/decisions.md): no scheduler of our own. The
immediate backend used by the tests cannot defer; there a task meant for later is not enqueued
at all and tests run the due work directly with a controlled clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django_tasks.base import Task, TaskResultStatus


def after_commit(function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
    """Call ``function(*args, **kwargs)`` once the current transaction commits (at once
    outside one)."""
    transaction.on_commit(lambda: function(*args, **kwargs), robust=True)


def task_enqueue(
    task: Task[Any, Any], /, *args: Any, run_after: datetime | None = None, **kwargs: Any
) -> Any:
    """Enqueue ``task(*args, **kwargs)`` now, or to run at ``run_after``.

    A task for later is not enqueued where the backend cannot defer (it returns None): the
    deadline's due-work function, run by ``parrhesia due``, is the safety net.
    """
    if run_after is None:
        return task.enqueue(*args, **kwargs)
    if not task.get_backend().supports_defer:
        return None
    return task.using(run_after=run_after).enqueue(*args, **kwargs)


def task_after_commit(
    task: Task[Any, Any], /, *args: Any, run_after: datetime | None = None, **kwargs: Any
) -> None:
    """Enqueue ``task`` (now, or to run at ``run_after``) once the transaction commits."""
    after_commit(task_enqueue, task, *args, run_after=run_after, **kwargs)


def mail_after_commit(subject: str, body: str, address: str) -> None:
    """Send one plain e-mail once the transaction commits (from ``DEFAULT_FROM_EMAIL``)."""
    after_commit(send_mail, subject, body, None, [address])


def tasks_stalled_requeue(now: datetime) -> int:
    """Due work: put back in the queue every task RUNNING for longer than
    ``TASK_STALLED_MINUTES``; how many.

    The database backend marks a task RUNNING when a worker claims it; a worker killed in the
    middle (``kill -9``, a lost machine) leaves it so for ever, and the queue's age in
    ``/metrics`` grows without end. Our tasks are idempotent, so one that did run to its end
    before its worker died does no harm run again.
    """
    from django_tasks_db.models import DBTaskResult

    stalled_since = now - timedelta(minutes=settings.TASK_STALLED_MINUTES)
    return int(
        DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=stalled_since
        ).update(status=TaskResultStatus.READY, started_at=None)
    )
