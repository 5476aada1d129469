"""Agenda items, motions, arguments and open questions; supporting a motion, adding an argument,
filing a question. A piece of content the tribunal hid is named by its number, never by its
words, as the pages do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status

from parrhesia.agenda import forms, selectors, services
from parrhesia.agenda.models import AgendaItem, Argument, Motion, Question
from parrhesia.api.auth import organisation_for, writer_organisation
from parrhesia.api.endpoints.orgs import Limit
from parrhesia.api.forms import valid
from parrhesia.api.paging import page_of
from parrhesia.api.schemas import (
    AgendaItemDetail,
    AgendaItemPage,
    ArgumentIn,
    ArgumentOut,
    ArgumentPage,
    MotionOut,
    QuestionIn,
    QuestionOut,
    QuestionPage,
    SupportOut,
)
from parrhesia.orgs.models import Organisation
from parrhesia.tribunal.selectors import hidden_measures

router = Router(tags=["agenda"])
VIEW = "agenda.view"


def item_out(item: AgendaItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "item_type": item.item_type,
        "phase": item.phase,
        "opened_at": item.opened_at,
        "phase_ends_at": item.phase_ends_at,
        "outcome": item.outcome,
    }


def motion_out(motion: Motion, hidden: bool) -> dict[str, Any]:
    current = getattr(motion, "current", None)
    return {
        "id": motion.pk,
        "item_id": motion.item_id,
        "title": _("Motion #%(number)s") % {"number": motion.pk} if hidden else motion.title,
        "html": None if hidden or current is None else current.html,
        "hidden": hidden,
        "status": motion.status,
        "is_alternative": motion.is_alternative,
        "version": motion.version,
        "author_id": motion.author_id,
        "supporters": getattr(motion, "supporters", 0),
        "created_at": motion.created_at,
    }


def argument_out(argument: Argument, hidden: bool) -> dict[str, Any]:
    return {
        "id": argument.pk,
        "motion_id": argument.motion_id,
        "parent_id": argument.parent_id,
        "stance": argument.stance,
        "text": None if hidden or argument.is_withdrawn else argument.text,
        "hidden": hidden,
        "withdrawn": argument.is_withdrawn,
        "author_id": argument.author_id,
        "created_at": argument.created_at,
    }


def question_out(question: Question, hidden: bool) -> dict[str, Any]:
    return {
        "id": question.pk,
        "title": None if hidden else question.title,
        "text": None if hidden else question.text,
        "hidden": hidden,
        "status": question.status,
        "author_id": question.author_id,
        "answer_link": question.answer_link,
        "answer_url": question.answer_url,
        "created_at": question.created_at,
    }


def item_of(organisation: Organisation, item_id: int) -> AgendaItem:
    return get_object_or_404(AgendaItem, pk=item_id, organisation=organisation)


def motion_of(organisation: Organisation, motion_id: int) -> Motion:
    motion = get_object_or_404(
        Motion.objects.select_related("item__organisation"),
        pk=motion_id,
        item__organisation=organisation,
    )
    found = [m for m in selectors.motions_of(motion.item) if m.pk == motion.pk]
    return found[0] if found else motion


@router.get("/orgs/{slug}/agenda/items", response=AgendaItemPage)
def agenda_item_list(
    request: HttpRequest, slug: str, cursor: str | None = None, limit: int = Limit
) -> dict[str, Any]:
    organisation = organisation_for(request, slug, VIEW)
    rows = selectors.items_of(organisation)
    found, following = page_of(request, rows, cursor=cursor, limit=limit)
    return {"items": [item_out(item) for item in found], "next": following}


@router.get("/orgs/{slug}/agenda/items/{item_id}", response=AgendaItemDetail)
def agenda_item_detail(request: HttpRequest, slug: str, item_id: int) -> dict[str, Any]:
    organisation = organisation_for(request, slug, VIEW)
    item = item_of(organisation, item_id)
    motions = selectors.motions_of(item)
    hidden = hidden_measures("motion", [m.pk for m in motions])
    return {
        **item_out(item),
        "motions": [motion_out(m, str(m.pk) in hidden) for m in motions],
    }


@router.get("/orgs/{slug}/agenda/motions/{motion_id}", response=MotionOut)
def motion_detail(request: HttpRequest, slug: str, motion_id: int) -> dict[str, Any]:
    organisation = organisation_for(request, slug, VIEW)
    motion = motion_of(organisation, motion_id)
    return motion_out(motion, bool(hidden_measures("motion", [motion.pk])))


@router.post("/orgs/{slug}/agenda/motions/{motion_id}/support", response=SupportOut)
def motion_support(request: HttpRequest, slug: str, motion_id: int) -> dict[str, Any]:
    """Support a motion (the ``vote`` scope: a member's voice on what comes to the vote)."""
    organisation = writer_organisation(request, slug, "vote", "agenda.take_part")
    motion = motion_of(organisation, motion_id)
    services.motion_support(user=request.user, motion=motion)
    return {
        "motion_id": motion.pk,
        "supporters": selectors.supporters_of(motion).count(),
    }


@router.get("/orgs/{slug}/agenda/motions/{motion_id}/arguments", response=ArgumentPage)
def argument_list(
    request: HttpRequest, slug: str, motion_id: int, cursor: str | None = None, limit: int = Limit
) -> dict[str, Any]:
    organisation = organisation_for(request, slug, VIEW)
    motion = motion_of(organisation, motion_id)
    rows = Argument.objects.filter(motion=motion)
    found, following = page_of(request, rows, cursor=cursor, limit=limit)
    hidden = hidden_measures("argument", [a.pk for a in found])
    return {
        "items": [argument_out(a, str(a.pk) in hidden) for a in found],
        "next": following,
    }


@router.post("/orgs/{slug}/agenda/motions/{motion_id}/arguments", response={201: ArgumentOut})
def argument_add(
    request: HttpRequest, slug: str, motion_id: int, body: ArgumentIn
) -> Status[dict[str, Any]]:
    organisation = writer_organisation(request, slug, "post", "agenda.take_part")
    motion = motion_of(organisation, motion_id)
    cleaned = valid(forms.ArgumentForm(body.dict()))
    argument = services.argument_add(user=request.user, motion=motion, **cleaned)
    return Status(201, argument_out(argument, False))


@router.get("/orgs/{slug}/agenda/questions", response=QuestionPage)
def question_list(
    request: HttpRequest, slug: str, cursor: str | None = None, limit: int = Limit
) -> dict[str, Any]:
    organisation = organisation_for(request, slug, VIEW)
    rows = selectors.questions_register(organisation)
    found, following = page_of(request, rows, cursor=cursor, limit=limit)
    hidden = hidden_measures("question", [q.pk for q in found])
    return {
        "items": [question_out(q, str(q.pk) in hidden) for q in found],
        "next": following,
    }


@router.get("/orgs/{slug}/agenda/questions/{question_id}", response=QuestionOut)
def question_detail(request: HttpRequest, slug: str, question_id: int) -> dict[str, Any]:
    organisation = organisation_for(request, slug, VIEW)
    question = get_object_or_404(Question, pk=question_id, organisation=organisation)
    return question_out(question, bool(hidden_measures("question", [question.pk])))


@router.post("/orgs/{slug}/agenda/questions", response={201: QuestionOut})
def question_file(request: HttpRequest, slug: str, body: QuestionIn) -> Status[dict[str, Any]]:
    organisation = writer_organisation(request, slug, "post", "agenda.file_question")
    cleaned = valid(forms.QuestionForm({"title": body.title, "text": body.text}))
    question = services.question_file(
        user=request.user, organisation=organisation, title=cleaned["title"], text=cleaned["text"]
    )
    return Status(201, question_out(question, False))
