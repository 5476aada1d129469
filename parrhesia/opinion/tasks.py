"""Background work of conversations (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from parrhesia.opinion.analysis import analysis_loop


@task()
def conversation_analyse_task(conversation_id: int) -> int:
    """Bring the conversation's opinion map up to date; return its version."""
    return analysis_loop(conversation_id)
