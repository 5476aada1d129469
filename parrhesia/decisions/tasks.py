"""Background work of ballots (django-tasks): closing at the closing time, and the running
count of a large ballot.

The task imports its service when it runs (the opening service imports this module to enqueue
it).
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def ballot_close_task(ballot_id: int) -> bool:
    """Close the ballot if it is due; idempotent, so a late or repeated run is harmless."""
    from parrhesia.decisions.services import ballot_close_if_due

    return ballot_close_if_due(ballot_id=ballot_id, now=timezone.now())


@task()
def running_count_task(ballot_id: int) -> bool:
    """Bring an open ballot's running count up to its latest vote (docs/voting.md, "Bounded
    cost"); a task that finds it up to date does nothing."""
    from parrhesia.decisions.services import running_count_refresh

    return running_count_refresh(ballot_id=ballot_id)


@task()
def ballot_remind_task(ballot_id: int) -> int:
    """Remind the ballot's non-voters a day before it closes; idempotent."""
    from parrhesia.decisions.notices import ballot_reminders_due

    return ballot_reminders_due(now=timezone.now(), ballot_id=ballot_id)
