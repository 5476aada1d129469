"""Timed work of ballots (django-tasks): closing at the closing time."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from parrhesia.decisions import services


@task()
def ballot_close_task(ballot_id: int) -> bool:
    """Close the ballot if it is due; idempotent, so a late or repeated run is harmless."""
    return services.ballot_close_if_due(ballot_id=ballot_id, now=timezone.now())
