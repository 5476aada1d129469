"""What deliberation puts on the record and what of it the tribunal can judge (docs/tribunal.md
§1); all of it can be hidden."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from parrhesia.agenda.actions import Action
from parrhesia.agenda.exports import agenda_download_part
from parrhesia.agenda.models import (
    AgendaItem,
    Argument,
    Challenge,
    FollowUp,
    Motion,
    Question,
    Suggestion,
)
from parrhesia.agenda.services.erasure import (
    argument_revisions_erase,
    motion_versions_erase,
    question_search_erase,
)
from parrhesia.kernel.content import (
    RecordValue,
    content_register,
    copy_erase,
    download_part_register,
    one_line,
    record_value_eraser_register,
    text_eraser,
)
from parrhesia.orgs.models import Organisation


def _link(name: str):  # type: ignore[no-untyped-def]
    return lambda organisation, pk: reverse(name, args=[organisation.slug, int(pk)])


def _motion_url(motion: Motion) -> str:
    return reverse("agenda:motion", args=[motion.item.organisation.slug, motion.pk])


def _argument_url(argument: Argument) -> str:
    organisation = argument.motion.item.organisation
    return reverse("agenda:argument", args=[organisation.slug, argument.pk])


def _suggestion_link(organisation: Organisation, pk: str) -> str | None:
    motion_id = Suggestion.objects.filter(pk=pk).values_list("motion_id", flat=True).first()
    if motion_id is None:
        return None
    return reverse("agenda:motion", args=[organisation.slug, motion_id]) + f"#suggestion-{pk}"


def _challenge_link(organisation: Organisation, pk: str) -> str | None:
    argument_id = Challenge.objects.filter(pk=pk).values_list("argument_id", flat=True).first()
    if argument_id is None:
        return None
    return reverse("agenda:argument", args=[organisation.slug, argument_id]) + f"#challenge-{pk}"


def _challenge_summary(challenge: Challenge) -> str:
    kind = challenge.get_kind_display()
    return one_line(f"{kind}: {challenge.text}" if challenge.text else kind)


content_register(
    "agenda_item",
    model=AgendaItem,
    organisation_of=lambda item: item.organisation,
    link=_link("agenda:item"),
)
content_register(
    "agenda_policy",
    link=lambda organisation, _id: reverse("agenda:policy", args=[organisation.slug]),
)
content_register(
    "motion",
    model=Motion,
    organisation_of=lambda motion: motion.item.organisation,
    link=_link("agenda:motion"),
    author_of=lambda motion: motion.author,
    summary_of=lambda motion: one_line(motion.title),
    url_of=_motion_url,
    label=pgettext_lazy("content kind", "Motion"),
    erase=text_eraser("title", related=motion_versions_erase),
)
content_register(
    "suggestion",
    model=Suggestion,
    organisation_of=lambda suggestion: suggestion.motion.item.organisation,
    link=_suggestion_link,
    author_of=lambda suggestion: suggestion.author,
    summary_of=lambda suggestion: one_line(suggestion.explanation or suggestion.text),
    url_of=lambda suggestion: f"{_motion_url(suggestion.motion)}#suggestion-{suggestion.pk}",
    label=pgettext_lazy("content kind", "Suggestion"),
    erase=text_eraser("text", "explanation"),
)
content_register(
    "argument",
    model=Argument,
    organisation_of=lambda argument: argument.motion.item.organisation,
    link=_link("agenda:argument"),
    author_of=lambda argument: argument.author,
    summary_of=lambda argument: one_line(argument.text),
    url_of=_argument_url,
    label=pgettext_lazy("content kind", "Argument"),
    erase=text_eraser("text", html=("html",), related=argument_revisions_erase),
)
content_register(
    "challenge",
    model=Challenge,
    organisation_of=lambda challenge: challenge.argument.motion.item.organisation,
    link=_challenge_link,
    author_of=lambda challenge: challenge.author,
    summary_of=_challenge_summary,
    url_of=lambda challenge: f"{_argument_url(challenge.argument)}#challenge-{challenge.pk}",
    label=pgettext_lazy("content kind", "Challenge"),
    erase=text_eraser("text"),
)
content_register(
    "question",
    model=Question,
    organisation_of=lambda question: question.organisation,
    link=_link("agenda:question"),
    author_of=lambda question: question.author,
    summary_of=lambda question: one_line(question.title),
    url_of=lambda question: reverse(
        "agenda:question", args=[question.organisation.slug, question.pk]
    ),
    label=pgettext_lazy("content kind", "Open question"),
    erase=text_eraser("title", "text", html=("html",), related=question_search_erase),
)
download_part_register(agenda_download_part)


# The pages show copies of these sealed values: erasing the record's erases the page's. (A
# content's own text goes with its erase hook, when the steward says so.)
_COPIES = {  # action: (model, pointer, field, the subject's field)
    Action.QUESTION_STATUS_CHANGED: (Question, "/payload/reason", "status_reason", "pk"),
    Action.SUGGESTION_ADOPTED: (Suggestion, "/payload/reason", "decided_reason", "pk"),
    Action.SUGGESTION_DECLINED: (Suggestion, "/payload/reason", "decided_reason", "pk"),
    Action.CHALLENGE_ANSWERED: (Challenge, "/payload/answer", "answer", "pk"),
    Action.MOTION_WITHDRAWN: (Motion, "/payload/reason", "status_reason", "pk"),
    Action.FOLLOW_UP_LOGGED: (FollowUp, "/payload/text", "text", "item_id"),
}


def _copy_erase(value: RecordValue, replacement: str) -> None:
    model, pointer, field, subject = _COPIES[value.action]
    if value.pointer == pointer and str(value.subject_id).isdigit():
        where = {subject: int(value.subject_id)}
        copy_erase(model, field, value.value, replacement, **where)


for _action in _COPIES:
    record_value_eraser_register(_action, _copy_erase)
