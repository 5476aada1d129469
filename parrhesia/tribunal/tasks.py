"""Timed work of the tribunal (django-tasks): defence periods closing, interim measures lapsing,
juries reminded and their silent jurors replaced at the deadline.

Each task calls an idempotent due-work function of the services with the current time, so a task
that runs late, twice, or after the deadline moved does the right thing. The services enqueue
these tasks (imported at their top); each task imports the services when it runs.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def defence_close_task(case_id: int) -> int:
    from parrhesia.tribunal import services

    return services.defence_close_due(now=timezone.now(), case_id=case_id)


@task()
def interim_lapse_task(measure_id: int) -> int:
    from parrhesia.tribunal import services

    return services.interim_measures_lapse_due(now=timezone.now(), measure_id=measure_id)


@task()
def jury_deadline_task(jury_id: int) -> int:
    from parrhesia.tribunal import services

    return services.jury_deadlines_due(now=timezone.now(), jury_id=jury_id)
