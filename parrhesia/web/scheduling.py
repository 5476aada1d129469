"""Work that must happen at a set time (a phase ends, a measure lapses), with django-tasks.

There is no scheduler: a service that sets a deadline enqueues a task with ``run_after`` at that
deadline, and the database backend's worker runs it when it is due. The task itself must be
idempotent and check the clock and the state again (the deadline may have moved).

The immediate backend used by the tests cannot defer; there the deferred task is not enqueued,
and tests run the due work directly with a controlled clock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django_tasks.base import Task


def task_enqueue_at(task: Task[Any, Any], when: datetime, *args: Any, **kwargs: Any) -> Any:
    """Enqueue ``task(*args, **kwargs)`` to run at ``when``; None where the backend cannot defer."""
    if not task.get_backend().supports_defer:
        return None
    return task.using(run_after=when).enqueue(*args, **kwargs)
