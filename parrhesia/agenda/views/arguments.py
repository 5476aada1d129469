"""The argument map and an argument's page: adding, replying, challenging and answering,
revising, withdrawing, endorsing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from parrhesia.agenda import cards, forms, selectors, services
from parrhesia.agenda.models import Argument
from parrhesia.agenda.views._shared import (
    agenda_context,
    argument_get,
    challenge_get,
    form_page,
    motion_get,
    service_said,
)
from parrhesia.kernel.access import active_membership
from parrhesia.kernel.errors import DomainError
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import is_htmx, org_page
from parrhesia.orgs.models import Organisation
from parrhesia.tribunal.selectors import hidden_measures


@require_http_methods(["GET", "POST"])
def argument_map(request: HttpRequest, slug: str, motion_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.view")
    motion = motion_get(organisation, motion_id)
    form = forms.ArgumentForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if not request.user.has_perm("agenda.take_part", organisation):
            raise PermissionDenied
        submitted = form_submit(form, services.argument_add, user=request.user, motion=motion)
        if submitted:
            messages.success(request, _("Your argument is on the map."))
            url = reverse("agenda:arguments", args=[slug, motion.pk])
            return redirect(f"{url}#argument-{submitted.value.pk}")
    member = active_membership(request.user, organisation)
    arguments = selectors.argument_map(motion, member)
    hidden = cards.hidden_on_map(arguments)
    words = cards.CardWords(
        request,
        slug,
        can_report=request.user.has_perm("tribunal.report", organisation),
        can_endorse=request.user.has_perm("agenda.endorse_now", motion),
    )
    member_id = member.pk if member else None
    return render(
        request,
        "agenda/arguments.html",
        agenda_context(
            request,
            organisation,
            item=motion.item,
            motion=motion,
            map=arguments,
            sides=[
                ("pro", cards.argument_cards(words, arguments.pro_flat, member_id, hidden)),
                ("con", cards.argument_cards(words, arguments.con_flat, member_id, hidden)),
            ],
            form=form,
        ),
        status=400 if form.errors else 200,
    )


def _argument_page(
    request: HttpRequest, organisation: Organisation, argument: Argument, status: int = 200,
    **forms_given: Any,
) -> HttpResponse:  # fmt: skip
    replies = list(argument.replies.select_related("author__user").order_by("id"))
    challenges = list(selectors.challenges_of(argument))
    measures = hidden_measures("argument", [argument.pk, *(reply.pk for reply in replies)])
    challenge_measures = hidden_measures("challenge", [c.pk for c in challenges])
    for challenge in challenges:
        challenge.hidden_measure = challenge_measures.get(str(challenge.pk))  # type: ignore[attr-defined]
    return render(
        request,
        "agenda/argument.html",
        agenda_context(
            request,
            organisation,
            item=argument.motion.item,
            motion=argument.motion,
            argument=argument,
            replies=replies,
            challenges=challenges,
            argument_measures=measures,
            argument_measure=measures.get(str(argument.pk)),
            challenge_measures=challenge_measures,
            revisions=argument.revisions.all(),
            endorsements=argument.endorsements.count(),
            reply_form=forms_given.get("reply_form") or forms.ReplyForm(),
            challenge_form=forms_given.get("challenge_form") or forms.ChallengeForm(),
            answer_form=forms_given.get("answer_form") or forms.AnswerForm(),
            answer_error_for=forms_given.get("answer_error_for"),
        ),
        status=status,
    )


@require_http_methods(["GET"])
def argument_detail(request: HttpRequest, slug: str, argument_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.view")
    return _argument_page(request, organisation, argument_get(organisation, argument_id))


@login_required
@require_POST
def argument_reply(request: HttpRequest, slug: str, argument_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.take_part")
    parent = argument_get(organisation, argument_id)
    form = forms.ReplyForm(request.POST)
    submitted = form_submit(
        form, services.argument_add, user=request.user, motion=parent.motion, parent=parent
    )
    if submitted:
        reply = submitted.value
        messages.success(request, _("Your reply is on the map."))
        return redirect("agenda:argument", slug=slug, argument_id=reply.pk)
    return _argument_page(request, organisation, parent, status=400, reply_form=form)


@login_required
@require_POST
def argument_challenge(request: HttpRequest, slug: str, argument_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.take_part")
    argument = argument_get(organisation, argument_id)
    form = forms.ChallengeForm(request.POST)
    if form_submit(form, services.argument_challenge, user=request.user, argument=argument):
        messages.success(request, _("Your challenge is attached; the author is told."))
        return redirect(reverse("agenda:argument", args=[slug, argument.pk]) + "#challenges")
    return _argument_page(request, organisation, argument, status=400, challenge_form=form)


@login_required
@require_POST
def challenge_answer(request: HttpRequest, slug: str, challenge_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.take_part")
    challenge = challenge_get(organisation, challenge_id)
    form = forms.AnswerForm(request.POST)
    if form_submit(form, services.challenge_answer, user=request.user, challenge=challenge):
        messages.success(request, _("Your answer is attached to the challenge."))
        url = reverse("agenda:argument", args=[slug, challenge.argument_id])
        return redirect(f"{url}#challenge-{challenge.pk}")
    return _argument_page(
        request, organisation, challenge.argument, status=400,
        answer_form=form, answer_error_for=challenge.pk,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def argument_revise(request: HttpRequest, slug: str, argument_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.take_part")
    argument = argument_get(organisation, argument_id)
    if not request.user.has_perm("agenda.revise_argument", argument):
        raise PermissionDenied
    form = forms.ArgumentReviseForm(request.POST or None, initial={"text": argument.text})
    if form_submit(form, services.argument_revise, user=request.user, argument=argument):
        messages.success(request, _("Your argument is revised; its history is kept."))
        return redirect("agenda:argument", slug=slug, argument_id=argument.pk)
    return form_page(
        request, organisation, form, heading=_("Revise your argument"),
        submit=_("Publish the revision"), back=reverse("agenda:argument", args=[slug, argument.pk]),
    )  # fmt: skip


@login_required
@require_POST
def argument_withdraw(request: HttpRequest, slug: str, argument_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.take_part")
    argument = argument_get(organisation, argument_id)
    service_said(
        request, services.argument_withdraw, user=request.user, argument=argument,
        done=_("Your argument is withdrawn; a tombstone marks its place."),
    )  # fmt: skip
    return redirect("agenda:argument", slug=slug, argument_id=argument.pk)


@login_required
@require_POST
def argument_endorse(request: HttpRequest, slug: str, argument_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.take_part")
    argument = argument_get(organisation, argument_id)
    strong = request.POST.get("strong", "1") != "0"
    error = None
    try:
        strong = services.argument_endorse(user=request.user, argument=argument, strong=strong)
    except DomainError as problem:  # the button says why, in place or as a message
        error, strong = str(problem), not strong
    if is_htmx(request):  # swap the one button in place
        words = cards.CardWords(request, slug, can_endorse=True)
        count = argument.endorsements.count()
        return HttpResponse(cards.endorse_form(words, argument.pk, strong, count, error or ""))
    if error:
        messages.error(request, error)
    url = reverse("agenda:arguments", args=[slug, argument.motion_id])
    return redirect(f"{url}#argument-{argument.pk}")
