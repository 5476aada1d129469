"""Open questions: filing, linking to items, motions, arguments or decisions, status, withdrawal."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parrhesia.accounts.models import User
from parrhesia.agenda import search
from parrhesia.agenda.actions import Action
from parrhesia.agenda.models import (
    AgendaItem,
    LinkKind,
    Question,
    QuestionLink,
    QuestionStatus,
)
from parrhesia.agenda.rules import question_stands
from parrhesia.agenda.selectors import link_target_item
from parrhesia.agenda.services._shared import (
    ARGUMENT_TEXT_MAX,
    REASON_MAX,
    AgendaError,
    text_checked,
)
from parrhesia.agenda.texts import markdown_html
from parrhesia.kernel.access import member_for
from parrhesia.kernel.cells import web_address
from parrhesia.methods.record.sealed import Sealed
from parrhesia.orgs.models import Membership, Organisation
from parrhesia.record.services import record_append

# Only a web address may become a link on the question's page (no javascript:, data:, //host).
ANSWER_LINK_ERROR = gettext_lazy(
    "The link to the answer must be a web address starting with https:// or http://."
)


def question_file(
    *,
    user: User,
    organisation: Organisation,
    title: str,
    text: str = "",
    links: list[tuple[str, int]] | None = None,
) -> Question:
    title = text_checked(title, limit=300, what=_("question"))
    text = text_checked(text, limit=ARGUMENT_TEXT_MAX, what=_("details"), required=False)
    with transaction.atomic():
        member = member_for(user, organisation, "agenda.file_question")
        question = Question.objects.create(
            organisation=organisation, title=title, text=text, html=markdown_html(text),
            author=member,
        )  # fmt: skip
        record_append(
            organisation=organisation,
            actor=member,
            action=Action.QUESTION_FILED,
            subject=("question", question.pk),
            payload={"title": Sealed(title), "text": Sealed(text)},
        )
        search.index_put(organisation, "question", question.pk, title, text)
        for kind, target_id in links or []:
            _question_link(question, member, kind, target_id)
    return question


def _link_item(organisation: Organisation, kind: str, target_id: int) -> AgendaItem | None:
    """The agenda item a link target belongs to; refused if there is no such target in the
    organisation."""
    if kind not in LinkKind.values:
        raise AgendaError(_("Choose what the question is linked to."))
    try:
        return link_target_item(organisation, kind, target_id)
    except LookupError:
        raise AgendaError(_("There is nothing with this number in the organisation.")) from None


def _question_link(question: Question, member: Membership, kind: str, target_id: int) -> None:
    item = _link_item(question.organisation, kind, target_id)
    _link, created = QuestionLink.objects.get_or_create(
        question=question, kind=kind, target_id=target_id, defaults={"item": item}
    )
    if not created:
        raise AgendaError(_("The question is already linked to it."))
    record_append(
        organisation=question.organisation,
        actor=member,
        action=Action.QUESTION_LINKED,
        subject=("question", question.pk),
        payload={"kind": kind, "id": target_id},
    )


def question_link(*, user: User, question: Question, kind: str, target_id: int) -> Question:
    with transaction.atomic():
        member = member_for(user, question, "agenda.file_question")
        _question_link(question, member, kind, target_id)
        Question.objects.filter(pk=question.pk).update(touched_at=timezone.now())
    return question


def question_status_set(
    *, user: User, question: Question, status: str, reason: str = "", answer_link: str = ""
) -> Question:
    """Open, being studied (by the one who says so), answered (with a link), set aside (reason)."""
    reason = text_checked(
        reason, limit=REASON_MAX, what=_("reason"), required=status == QuestionStatus.SET_ASIDE
    )
    answer_link = text_checked(
        answer_link,
        limit=500,
        what=_("link to the answer"),
        required=status == QuestionStatus.ANSWERED,
    )
    if status not in QuestionStatus.values:
        raise AgendaError(_("Choose a status."))
    if status == QuestionStatus.ANSWERED and not web_address(answer_link):
        raise AgendaError(ANSWER_LINK_ERROR)
    permission = (
        "agenda.set_aside_question"
        if status == QuestionStatus.SET_ASIDE
        else "agenda.study_question"
    )
    with transaction.atomic():
        member = member_for(user, question, permission)
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.status == status and status != QuestionStatus.STUDYING:
            raise AgendaError(_("The question already has this status."))
        question.status, question.status_reason = status, reason
        question.studied_by = member if status == QuestionStatus.STUDYING else None
        question.answer_link = answer_link if status == QuestionStatus.ANSWERED else ""
        question.touched_at = timezone.now()
        question.save()
        record_append(
            organisation=question.organisation,
            actor=member,
            action=Action.QUESTION_STATUS_CHANGED,
            subject=("question", question.pk),
            payload={"status": status, "reason": Sealed(reason), "answer": answer_link},
        )
    return question


def question_withdraw(*, user: User, question: Question) -> Question:
    """Its author withdraws a question; a tombstone keeps its place in the register."""
    with transaction.atomic():
        member = member_for(user, question, "agenda.withdraw_question")
        question = Question.objects.select_for_update().get(pk=question.pk)
        if not question_stands(user, question):
            raise AgendaError(_("This question was already withdrawn."))
        question.withdrawn_at = question.touched_at = timezone.now()
        question.save(update_fields=["withdrawn_at", "touched_at"])
        record_append(
            organisation=question.organisation,
            actor=member,
            action=Action.QUESTION_WITHDRAWN,
            subject=("question", question.pk),
            payload={},
        )
        search.index_drop("question", question.pk)
    return question
