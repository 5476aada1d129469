"""Background work of deliberation (django-tasks): a phase's end."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from parrhesia.agenda.models import AgendaItem


@task()
def phase_end_task(item_id: int) -> str:
    """Enqueued for each phase's end; the clock is checked again, since the end may have moved."""
    from parrhesia.agenda.services import agenda_item_advance_due

    if not AgendaItem.objects.filter(pk=item_id).exists():
        return "gone"
    return agenda_item_advance_due(item_id=item_id, now=timezone.now()).phase
