"""The list of ballots, and the pages that open one or set the defaults for new ones."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from parrhesia.decisions import agenda_seam, selectors, services
from parrhesia.decisions.forms import AgendaBallotForm, BallotOpenForm, PolicyForm
from parrhesia.decisions.views.quick import mandates_warning, quick_page
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import org_page, page_context


@require_GET
def ballot_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "decisions.view_ballots")
    ballots = selectors.ballots_by_state(organisation, timezone.now())
    return render(
        request,
        "decisions/index.html",
        page_context(
            request,
            organisation,
            open_ballots=ballots["open"],
            closed_ballots=ballots["closed"],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def ballot_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Stewards open a vote with every setting; other members get the quick form."""
    organisation = org_page(request, slug)
    if not request.user.has_perm("decisions.open_ballot", organisation):
        return quick_page(request, organisation)
    policy = selectors.policy_of(organisation)
    form = BallotOpenForm(
        request.POST or None,
        initial={
            "threshold": policy.threshold,
            "reasons": policy.reasons,
            "quorum_percent": policy.quorum_percent,
        },
    )

    def opening(cleaned: dict[str, Any]) -> dict[str, Any]:
        return {**cleaned, "options": form.cleaned_options()}

    submitted = form_submit(
        form, services.ballot_open, data=opening, user=request.user, organisation=organisation
    )
    if submitted:
        ballot = submitted.value
        messages.success(request, _("The vote is open and on the public record."))
        return redirect("decisions:detail", slug=slug, ballot_id=ballot.pk)
    context = page_context(request, organisation, form=form, **mandates_warning(organisation))
    return render(request, "decisions/new.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_ballot(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    """A steward puts an agenda item's final motions to the vote."""
    organisation = org_page(request, slug, "decisions.open_ballot")
    item = agenda_seam.agenda_item_of(organisation, item_id)
    if item is None:
        raise Http404
    form = AgendaBallotForm(request.POST or None)
    submitted = form_submit(
        form, services.ballot_open_for_agenda_item, user=request.user, item=item
    )
    if submitted:
        ballot = submitted.value
        messages.success(request, _("The vote is open and on the public record."))
        return redirect("decisions:detail", slug=slug, ballot_id=ballot.pk)
    return render(
        request,
        "decisions/agenda_item.html",
        page_context(
            request,
            organisation,
            form=form,
            item=item,
            motions=agenda_seam.motions_on_ballot(item),
            **mandates_warning(organisation),
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "decisions.change_policy")
    policy = selectors.policy_of(organisation)
    form = PolicyForm(
        request.POST or None,
        initial={
            "threshold": policy.threshold,
            "reasons": policy.reasons,
            "quorum_percent": policy.quorum_percent,
            "minority_window_days": policy.minority_window_days,
            "min_anonymity": policy.min_anonymity,
            "quick_starters": policy.quick_starters,
        },
    )
    if form_submit(form, services.policy_change, user=request.user, organisation=organisation):
        messages.success(request, _("The defaults for new votes are changed and recorded."))
        return redirect("decisions:index", slug=slug)
    return render(request, "decisions/policy.html", page_context(request, organisation, form=form))
