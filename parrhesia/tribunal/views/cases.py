"""A case's page: its notice, the defence, the juries and their verdicts, and the forms of what
the visitor may do there, each offered where its permission holds (rules.py).

Each action posts to its own URL, calls one service, and comes back to the case page; a refused
action shows the case page again with the error on its form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import page_context
from parrhesia.tribunal import selectors, services
from parrhesia.tribunal.models import Case
from parrhesia.tribunal.views.case_actions import CASE_ACTIONS, CaseAction


def case_of(request: HttpRequest, slug: str, number: int) -> Case:
    """The case, if the visitor may see it (``tribunal.view_case``: whoever may see its
    organisation, and its accused even once no longer a member, to appeal); 404 otherwise."""
    case = selectors.case_find(slug, number)
    if case is None or not request.user.has_perm("tribunal.view_case", case):
        raise Http404
    return case


def _offered(name: str, action: CaseAction, user: Any, case: Case) -> Form | bool | None:
    """The blank form of the action (True for a plain button) if the user may take it here."""
    if not user.has_perm(action.permission, case):
        return None if action.form else False
    return action.form_for(case, prefix=name) if action.form else True


def case_page(request: HttpRequest, case: Case, **bound: Form) -> HttpResponse:
    """The case page; ``bound`` holds a refused action's form, shown with its errors."""
    user = request.user
    jury = selectors.jury_current(case)
    context = page_context(
        request,
        case.organisation,
        case=case,
        juries=list(case.juries.all()),
        rules=selectors.case_rules_cited(case),
        target_url=selectors.case_target_url(case),
        measures=selectors.case_measures(case),
        defence=getattr(case, "defence", None),
        is_accused=user.has_perm("tribunal.is_accused", case),
        is_reporter=user.has_perm("tribunal.is_reporter", case),
        is_juror=user.has_perm("tribunal.post_in_room", case),
        reporter_visible=user.has_perm("tribunal.view_reporter", case),
        accused_visible=user.has_perm("tribunal.view_accused", case),
        room=selectors.room_messages(jury)
        if jury is not None and user.has_perm("tribunal.read_room", case)
        else None,
        appeal_deadline=selectors.case_facts_for(case, user).appeal_deadline,
        forms={
            name: bound.get(name) or _offered(name, action, user, case)
            for name, action in CASE_ACTIONS.items()
        },
    )
    return render(request, "tribunal/case.html", context)


@require_GET
def case_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    return case_page(request, case_of(request, slug, number))


def case_action_view(name: str) -> Callable[..., HttpResponse]:
    """The POST-only view of the action ``name``: its form to its service, back to the case."""
    action = CASE_ACTIONS[name]

    @login_required
    @require_POST
    def view(request: HttpRequest, slug: str, number: int) -> HttpResponse:
        case = case_of(request, slug, number)
        if action.form is None:
            try:
                action.service(user=request.user, case=case)
            except services.TribunalError as error:
                messages.error(request, str(error))
                return redirect("tribunal:case", slug=slug, number=number)
        else:
            form = action.form_for(case, request.POST, prefix=name)
            done = form_submit(form, action.service, data=action.data, user=request.user, case=case)
            if not done:
                fresh = selectors.case_get(case.organisation, number)
                return case_page(request, fresh, **{name: form})
        messages.success(request, action.success)
        return redirect("tribunal:case", slug=slug, number=number)

    view.__name__ = f"case_{name}"
    return view


case_dismiss = case_action_view("dismiss")
case_jury_request = case_action_view("jury_request")
case_interim = case_action_view("interim")
case_defence = case_action_view("defence")
case_extend = case_action_view("extend")
case_step_down = case_action_view("step_down")
case_conflict = case_action_view("conflict")
case_recuse = case_action_view("recuse")
case_room = case_action_view("room")
case_confirm = case_action_view("confirm")
case_anonymity = case_action_view("anonymity")
case_vote = case_action_view("vote")
case_appeal = case_action_view("appeal")
