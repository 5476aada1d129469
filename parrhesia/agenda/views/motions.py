"""A motion's pages: reading it with its versions and suggestions, support, revision,
withdrawal, comparing versions, and the amendments (suggest, rate, decide, withdraw)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from parrhesia.accounts.models import User
from parrhesia.agenda import forms, selectors, services
from parrhesia.agenda.models import MotionVersion, Suggestion
from parrhesia.agenda.texts import diff_counts, diff_html
from parrhesia.agenda.views._shared import (
    agenda_context,
    form_page,
    motion_get,
    service_said,
    suggestion_get,
)
from parrhesia.kernel.access import active_membership
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import org_page
from parrhesia.tribunal.selectors import hidden_measures


@require_http_methods(["GET"])
def motion_detail(request: HttpRequest, slug: str, motion_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.view")
    motion = motion_get(organisation, motion_id)
    member = active_membership(request.user, organisation)
    versions = list(motion.versions.all())
    texts = {v.number: v.text for v in versions}
    suggestions = selectors.suggestions_of(motion, member)
    suggestion_measures = hidden_measures("suggestion", [s.pk for s in suggestions])
    for suggestion in suggestions:
        base = texts.get(suggestion.base_version, "")
        suggestion.diff = diff_html(base, suggestion.text)  # type: ignore[attr-defined]
        suggestion.hidden_measure = suggestion_measures.get(str(suggestion.pk))  # type: ignore[attr-defined]
    return render(
        request,
        "agenda/motion.html",
        agenda_context(
            request,
            organisation,
            item=motion.item,
            motion=motion,
            current=versions[-1],
            versions=versions,
            supporters=list(selectors.supporters_of(motion)),
            supports=selectors.supports(motion, member),
            suggestions=suggestions,
            suggestion_measures=suggestion_measures,
            rating_form=forms.RatingForm(),
        ),
    )


@login_required
@require_POST
def motion_support(request: HttpRequest, slug: str, motion_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.take_part")
    motion = motion_get(organisation, motion_id)
    service_said(
        request, services.motion_support, user=request.user, motion=motion,
        done=_("You support this motion."),
    )  # fmt: skip
    return redirect("agenda:motion", slug=slug, motion_id=motion.pk)


@login_required
@require_http_methods(["GET", "POST"])
def motion_revise(request: HttpRequest, slug: str, motion_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.take_part")
    motion = motion_get(organisation, motion_id)
    if not request.user.has_perm("agenda.revise_motion", motion):
        raise PermissionDenied
    current = motion.versions.get(number=motion.version)
    form = forms.ReviseForm(request.POST or None, initial={"text": current.text})
    if form_submit(form, services.motion_revise, user=request.user, motion=motion):
        messages.success(request, _("The new version is published; the old one is kept."))
        return redirect("agenda:motion", slug=slug, motion_id=motion.pk)
    return form_page(
        request, organisation, form,
        heading=_("Revise “%(title)s”") % {"title": motion.title},
        submit=_("Publish the new version"),
        back=reverse("agenda:motion", args=[slug, motion.pk]),
    )  # fmt: skip


@login_required
@require_POST
def motion_withdraw(request: HttpRequest, slug: str, motion_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.take_part")
    motion = motion_get(organisation, motion_id)
    if not request.user.has_perm("agenda.withdraw_motion", motion):
        raise PermissionDenied
    if request.POST.get("confirm") != "on":  # it cannot be undone: a ticked box confirms it
        messages.error(
            request, _("Tick the box to confirm: a withdrawn motion cannot be restored.")
        )
        return redirect("agenda:motion", slug=slug, motion_id=motion.pk)
    service_said(
        request, services.motion_withdraw, user=request.user, motion=motion,
        reason=request.POST.get("reason", ""),
        done=_("Your motion is withdrawn; it stays visible as withdrawn."),
    )  # fmt: skip
    return redirect("agenda:motion", slug=slug, motion_id=motion.pk)


@require_http_methods(["GET"])
def motion_diff(request: HttpRequest, slug: str, motion_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.view")
    motion = motion_get(organisation, motion_id)
    versions = {v.number: v for v in motion.versions.all()}
    in_order = sorted(versions.values(), key=lambda v: v.number)
    try:
        old = versions[int(request.GET.get("from", motion.version - 1 or 1))]
        new = versions[int(request.GET.get("to", motion.version))]
    except (KeyError, ValueError):
        return render(
            request, "agenda/diff.html",
            agenda_context(request, organisation, motion=motion, item=motion.item,
                           versions=in_order, error=_("There is no such version of this motion.")),
            status=400,
        )  # fmt: skip
    removed, added = diff_counts(old.text, new.text)
    return render(
        request,
        "agenda/diff.html",
        agenda_context(
            request, organisation, motion=motion, item=motion.item, old=old, new=new,
            versions=in_order, diff=diff_html(old.text, new.text), removed=removed, added=added,
        ),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_new(request: HttpRequest, slug: str, motion_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.take_part")
    motion = motion_get(organisation, motion_id)
    current = motion.versions.get(number=motion.version)
    form = forms.SuggestionForm(request.POST or None, initial={"text": current.text})
    submitted = form_submit(form, services.suggestion_file, user=request.user, motion=motion)
    if submitted:
        suggestion = submitted.value
        messages.success(request, _("Your suggestion is filed; the motion's supporters rate it."))
        return redirect(
            reverse("agenda:motion", args=[slug, motion.pk]) + f"#suggestion-{suggestion.pk}"
        )
    return form_page(
        request, organisation, form,
        heading=_("Suggest a change to “%(title)s”") % {"title": motion.title},
        submit=_("File the suggestion"), back=reverse("agenda:motion", args=[slug, motion.pk]),
    )  # fmt: skip


@login_required
@require_POST
def suggestion_rate(request: HttpRequest, slug: str, suggestion_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.take_part")
    suggestion = suggestion_get(organisation, suggestion_id)
    service_said(
        request, services.suggestion_rate, user=request.user, suggestion=suggestion,
        rating=request.POST.get("rating", ""), done=_("Your rating is recorded."),
    )  # fmt: skip
    url = reverse("agenda:motion", args=[slug, suggestion.motion_id])
    return redirect(f"{url}#suggestion-{suggestion.pk}")


def _suggestion_decide(
    *, user: User, suggestion: Suggestion, decision: str, reason: str
) -> MotionVersion | Suggestion:
    """The decision form's one service: adopt or decline, as the author chose."""
    decide = services.suggestion_adopt if decision == "adopt" else services.suggestion_decline
    return decide(user=user, suggestion=suggestion, reason=reason)


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_decide(request: HttpRequest, slug: str, suggestion_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.take_part")
    suggestion = suggestion_get(organisation, suggestion_id)
    motion = suggestion.motion
    if not request.user.has_perm("agenda.decide_suggestion", suggestion):
        raise PermissionDenied
    form = forms.SuggestionDecisionForm(request.POST or None)
    if form_submit(form, _suggestion_decide, user=request.user, suggestion=suggestion):
        messages.success(request, _("Your decision and its reason are public."))
        return redirect("agenda:motion", slug=slug, motion_id=motion.pk)
    base = motion.versions.get(number=suggestion.base_version)
    return form_page(
        request, organisation, form,
        heading=_("Adopt or decline suggestion #%(number)s") % {"number": suggestion.pk},
        submit=_("Decide"), back=reverse("agenda:motion", args=[slug, motion.pk]),
        diff=diff_html(base.text, suggestion.text),
    )  # fmt: skip


@login_required
@require_POST
def suggestion_withdraw(request: HttpRequest, slug: str, suggestion_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.take_part")
    suggestion = suggestion_get(organisation, suggestion_id)
    service_said(
        request, services.suggestion_withdraw, user=request.user, suggestion=suggestion,
        done=_("Your suggestion is withdrawn; a tombstone marks its place."),
    )  # fmt: skip
    return redirect(
        f"{reverse('agenda:motion', args=[slug, suggestion.motion_id])}#suggestion-{suggestion.pk}"
    )
