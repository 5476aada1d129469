"""The register of open questions: the list, filing one, its page, its status and its links,
and its withdrawal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from parrhesia.agenda import forms, selectors, services
from parrhesia.agenda.models import Question, QuestionStatus
from parrhesia.agenda.views._shared import agenda_context, form_page, question_get, service_said
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import org_page
from parrhesia.orgs.models import Organisation
from parrhesia.tribunal.selectors import hidden_measures


@require_http_methods(["GET"])
def question_register(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.view")
    status = request.GET.get("status", "")
    if status not in QuestionStatus.values:
        status = ""
    questions = list(selectors.questions_register(organisation, status))
    return render(
        request,
        "agenda/questions.html",
        agenda_context(
            request,
            organisation,
            questions=questions,
            question_measures=hidden_measures("question", [q.pk for q in questions]),
            status=status,
            statuses=QuestionStatus.choices,
        ),
    )


def _question_filed(cleaned: dict[str, Any]) -> dict[str, Any]:
    """The question form's fields as the service takes them: at most one link, as a pair."""
    kind, target_id = cleaned["link_kind"], cleaned["link_id"]
    links = [(kind, target_id)] if kind else []
    return {"title": cleaned["title"], "text": cleaned["text"], "links": links}


@login_required
@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.file_question")
    initial = {"link_kind": request.GET.get("kind", ""), "link_id": request.GET.get("id")}
    form = forms.QuestionForm(request.POST or None, initial=initial)
    submitted = form_submit(
        form, services.question_file, data=_question_filed,
        user=request.user, organisation=organisation,
    )  # fmt: skip
    if submitted:
        messages.success(request, _("The question is in the register."))
        return redirect("agenda:question", slug=slug, question_id=submitted.value.pk)
    return form_page(
        request, organisation, form,
        heading=_("File an open question"), submit=_("File the question"),
        back=reverse("agenda:questions", args=[slug]),
        intro=_("Something the organisation does not know yet and should find out."),
    )  # fmt: skip


def _question_page(
    request: HttpRequest, organisation: Organisation, question: Question, status: int = 200,
    **forms_given: Any,
) -> HttpResponse:  # fmt: skip
    measures = hidden_measures("question", [question.pk])
    return render(
        request,
        "agenda/question.html",
        agenda_context(
            request,
            organisation,
            question=question,
            question_measures=measures,
            question_measure=measures.get(str(question.pk)),
            links=question.links.all(),
            status_form=forms_given.get("status_form") or forms.QuestionStatusForm(),
            link_form=forms_given.get("link_form") or forms.QuestionLinkForm(),
        ),
        status=status,
    )


@require_http_methods(["GET"])
def question_detail(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.view")
    return _question_page(request, organisation, question_get(organisation, question_id))


@login_required
@require_POST
def question_status(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.study_question")
    question = question_get(organisation, question_id)
    form = forms.QuestionStatusForm(request.POST)
    if form_submit(form, services.question_status_set, user=request.user, question=question):
        messages.success(request, _("The question's status is changed and recorded."))
        return redirect("agenda:question", slug=slug, question_id=question.pk)
    return _question_page(request, organisation, question, status=400, status_form=form)


@login_required
@require_POST
def question_link(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.file_question")
    question = question_get(organisation, question_id)
    form = forms.QuestionLinkForm(request.POST)
    if form_submit(form, services.question_link, user=request.user, question=question):
        messages.success(request, _("The link is added."))
        return redirect("agenda:question", slug=slug, question_id=question.pk)
    return _question_page(request, organisation, question, status=400, link_form=form)


@login_required
@require_POST
def question_withdraw(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.take_part")
    question = question_get(organisation, question_id)
    service_said(
        request, services.question_withdraw, user=request.user, question=question,
        done=_("Your question is withdrawn; a tombstone marks its place."),
    )  # fmt: skip
    return redirect("agenda:question", slug=slug, question_id=question.pk)
