"""The agenda's part of a member's to-do (kernel.todo): the items they follow while they take
text (admission, discussion), by the phase's end, and the open questions they asked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parrhesia.agenda.models import OPEN_FOR_TEXT, ItemFollow, Phase, Question, QuestionStatus
from parrhesia.kernel.todo import Todo, todo_register
from parrhesia.orgs.models import Membership

PHASE_ACTIONS = {
    Phase.ADMISSION: _("Followed: seeks supporters"),
    Phase.DISCUSSION: _("Followed: in discussion"),
}


def items_followed(memberships: Sequence[Membership], now: datetime) -> Iterable[Todo]:
    """One query: the items the member follows that still take motions and arguments."""
    organisations = {
        membership.organisation_id: membership.organisation for membership in memberships
    }
    follows = ItemFollow.objects.filter(
        member__in=memberships, item__phase__in=OPEN_FOR_TEXT
    ).select_related("item")
    rows = []
    for follow in follows:
        item = follow.item
        organisation = organisations[item.organisation_id]
        rows.append(
            Todo(
                uid=f"item-{item.pk}",
                organisation=organisation,
                kind="item",
                title=item.title,
                action=PHASE_ACTIONS[Phase(item.phase)],
                url=reverse("agenda:item", args=[organisation.slug, item.pk]),
                deadline=item.phase_ends_at,
            )
        )
    return rows


def questions_asked(memberships: Sequence[Membership], now: datetime) -> Iterable[Todo]:
    """One query: the member's own questions still open or being studied (no deadline)."""
    organisations = {
        membership.organisation_id: membership.organisation for membership in memberships
    }
    questions = Question.objects.filter(
        author__in=memberships,
        status__in=[QuestionStatus.OPEN, QuestionStatus.STUDYING],
        withdrawn_at__isnull=True,
    ).only("pk", "title", "organisation_id", "status")
    rows = []
    for question in questions:
        organisation = organisations[question.organisation_id]
        rows.append(
            Todo(
                uid=f"question-{question.pk}",
                organisation=organisation,
                kind="question",
                title=question.title,
                action=_("Your question awaits an answer"),
                url=reverse("agenda:question", args=[organisation.slug, question.pk]),
            )
        )
    return rows


todo_register(items_followed)
todo_register(questions_asked)
