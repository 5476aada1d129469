"""Background work of conversations (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def conversation_analyse_task(conversation_id: int) -> int:
    """Bring the conversation's opinion map up to date; return its version."""
    from parrhesia.opinion.analysis import analysis_loop

    return analysis_loop(conversation_id)
