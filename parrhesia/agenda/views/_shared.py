"""What the deliberation pages share: the page's context (with a hidden motion's title), the
objects a URL names, the one form page, and the POST buttons' way to a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from parrhesia.agenda.models import AgendaItem, Argument, Challenge, Motion, Question, Suggestion
from parrhesia.kernel.errors import DomainError
from parrhesia.kernel.pages import page_context
from parrhesia.orgs.models import Organisation
from parrhesia.tribunal.selectors import hidden_measures


def agenda_context(
    request: HttpRequest, organisation: Organisation, **extra: Any
) -> dict[str, Any]:
    """:func:`kernel.pages.page_context`, and for a page about a motion the tribunal's measure
    on it: a hidden motion is named by its number (``motion_title``), never by its title."""
    motion = extra.get("motion")
    if isinstance(motion, Motion):
        measures = hidden_measures("motion", [motion.pk])
        measure = measures.get(str(motion.pk))
        extra.setdefault("motion_measures", measures)
        extra.setdefault("motion_measure", measure)
        extra.setdefault(
            "motion_title",
            _("Motion #%(number)s") % {"number": motion.pk} if measure else motion.title,
        )
    return page_context(request, organisation, **extra)


def item_get(organisation: Organisation, item_id: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("opened_by__user", "organisation"),
        pk=item_id,
        organisation=organisation,
    )


def motion_get(organisation: Organisation, motion_id: int) -> Motion:
    return get_object_or_404(
        Motion.objects.select_related("item__organisation", "author__user"),
        pk=motion_id,
        item__organisation=organisation,
    )


def suggestion_get(organisation: Organisation, suggestion_id: int) -> Suggestion:
    return get_object_or_404(
        Suggestion.objects.select_related("motion__item__organisation", "author__user"),
        pk=suggestion_id,
        motion__item__organisation=organisation,
    )


def argument_get(organisation: Organisation, argument_id: int) -> Argument:
    return get_object_or_404(
        Argument.objects.select_related("motion__item__organisation", "author__user", "parent"),
        pk=argument_id,
        motion__item__organisation=organisation,
    )


def challenge_get(organisation: Organisation, challenge_id: int) -> Challenge:
    return get_object_or_404(
        Challenge.objects.select_related("argument__motion__item__organisation", "author__user"),
        pk=challenge_id,
        argument__motion__item__organisation=organisation,
    )


def question_get(organisation: Organisation, question_id: int) -> Question:
    return get_object_or_404(
        Question.objects.select_related("author__user", "studied_by__user"),
        pk=question_id,
        organisation=organisation,
    )


def form_page(
    request: HttpRequest,
    organisation: Organisation,
    form: Any,
    *,
    heading: str,
    submit: str,
    back: str,
    **extra: Any,
) -> HttpResponse:
    """The page of one form: 400 once a submitted form was refused, 200 otherwise."""
    return render(
        request,
        "agenda/form.html",
        agenda_context(
            request, organisation, form=form, heading=heading, submit=submit, back=back, **extra
        ),
        status=400 if form.errors else 200,
    )


def service_said(
    request: HttpRequest, service: Callable[..., Any], /, *, done: str, **arguments: Any
) -> bool:
    """A button's way to a service (no form to show again): ``done`` as a success message once
    the service ran, or its domain error as an error message. Whether it ran."""
    try:
        service(**arguments)
    except DomainError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, done)
    return True
