"""Erasing what deliberation keeps of a text beyond its own row (issue 13, finding 7): a motion's
versions, an argument's revisions, and the search index. The registry's ``erase`` hooks
(``agenda/content.py``, ``kernel.content.text_eraser``) call these, in the transaction of a
verdict on personal data or of a lawful erasure request; neither writes to the record itself
(the caller's ``record.redacted`` entry does).
"""

from __future__ import annotations

from django.utils.html import escape

from parrhesia.agenda import search
from parrhesia.agenda.models import Argument, ArgumentRevision, Motion, MotionVersion, Question


def motion_versions_erase(motion: Motion, replacement: str) -> list[str]:
    """Every version's text gives way to ``replacement``; the search finds the motion by it."""
    versions = MotionVersion.objects.filter(motion=motion)
    removed = [text for text in versions.values_list("text", flat=True) if text]
    versions.update(text=replacement, html=escape(replacement))
    search.index_put(motion.item.organisation, "motion", motion.pk, motion.title, replacement)
    return removed


def argument_revisions_erase(argument: Argument, replacement: str) -> list[str]:
    revisions = ArgumentRevision.objects.filter(argument=argument)
    removed = [text for text in revisions.values_list("text", flat=True) if text]
    revisions.update(text=replacement)
    organisation = argument.motion.item.organisation
    search.index_put(organisation, "argument", argument.pk, "", argument.text)
    return removed


def question_search_erase(question: Question, replacement: str) -> list[str]:
    search.index_put(question.organisation, "question", question.pk, question.title, question.text)
    return []
