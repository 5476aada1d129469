"""A ballot's page: its facts, the vote form while it takes votes, the result (or the running
count) with its charts, and what its authors and stewards may do: answer blocks, close it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parrhesia.decisions import selectors, services
from parrhesia.decisions.forms import BlockAnswerForm, TrackerForm, VoteForm
from parrhesia.decisions.models import Ballot
from parrhesia.decisions.services import BallotError
from parrhesia.decisions.views._shared import ballot_page
from parrhesia.decisions.views.proxies import proxy_context, proxy_giver
from parrhesia.decisions.views.results import ballot_results
from parrhesia.kernel.access import active_membership
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import page_context
from parrhesia.orgs.models import Organisation
from parrhesia.tribunal.selectors import hidden_measures


@require_GET
def ballot_detail(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    """Reads only: a ballot past its closing time is shown closed for voting while the close
    task (or ``parrhesia due``) makes the count."""
    organisation, ballot = ballot_page(request, slug, ballot_id)
    return ballot_detail_with(request, organisation, ballot)


def ballot_detail_with(
    request: HttpRequest,
    organisation: Organisation,
    ballot: Ballot,
    form: VoteForm | None = None,
    receipt: services.VoteOutcome | None = None,
    status: int = 200,
    tracker_form: TrackerForm | None = None,
    tracker_found: tuple[str, dict[str, Any] | None] | None = None,
) -> HttpResponse:
    """The ballot's page; with the vote form as submitted, a secret vote's receipt, or the
    result of a tracker search."""
    user = request.user
    membership = active_membership(user, organisation)
    # Minority reports are filed after the close: an open ballot's page does not ask.
    reports = [] if ballot.is_open else list(selectors.minority_reports(ballot))
    can_vote = user.has_perm("decisions.vote_now", ballot)
    # Voters, authors and signers by name only to whoever may see the member list.
    names_shown = user.has_perm("orgs.view_members", organisation)
    if can_vote and form is None:
        form = VoteForm(ballot=ballot)
    counting = selectors.ballot_overdue(ballot, timezone.now())
    results = ballot_results(ballot, names_shown, counting)
    if "turnout" not in results:  # the running count gives it, else one count
        results["turnout"] = selectors.turnout_of(ballot)
    context = page_context(
        request,
        organisation,
        ballot=ballot,
        form=form if can_vote else None,
        vote_errors=form.non_field_errors() if form is not None and not can_vote else [],
        receipt=receipt,
        my_vote=selectors.vote_of(ballot, membership),
        participated=ballot.is_secret and selectors.has_participated(ballot, membership),
        counting=counting,
        can_answer=user.has_perm("decisions.answer_block_now", ballot),
        has_blocks=selectors.blocks_shown(ballot),
        can_close=user.has_perm("decisions.close_ballot_early_now", ballot),
        reports=reports,
        report_measures=hidden_measures("minority_report", [r.pk for r in reports]),
        may_dissent=user.has_perm("decisions.file_minority_report_now", ballot),
        membership_id=membership.pk if membership else None,
        tracker_form=tracker_form or TrackerForm(),
        tracker_found=_tracker_found(ballot, tracker_found),
        names_shown=names_shown,
        **results,
        **proxy_context(request, ballot, names_shown),
    )
    return render(request, "decisions/detail.html", context, status=status)


def _tracker_found(
    ballot: Ballot, found: tuple[str, dict[str, Any] | None] | None
) -> dict[str, Any] | None:
    if found is None:
        return None
    tracker, item = found
    if item is None:
        return {"tracker": tracker, "summary": None}
    labels = {option.key: option.label for option in ballot.options.all()}
    summary = selectors.choice_summary(ballot, item["choices"], labels)
    return {"tracker": tracker, "summary": summary}


def _idempotency_key(request: HttpRequest, form: VoteForm) -> str:
    return (request.headers.get("Idempotency-Key") or form.cleaned_data["idempotency_key"])[:100]


@never_cache  # a secret vote's receipt is in this response: no cache may keep it
@login_required
@require_POST
def ballot_vote(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    organisation, ballot = ballot_page(request, slug, ballot_id)
    if not request.user.has_perm("decisions.vote", ballot):
        raise PermissionDenied
    form = VoteForm(request.POST, ballot=ballot)
    giver = proxy_giver(request, ballot, form)  # a proxy's holder voting for its giver

    def vote(cleaned: dict[str, Any]) -> dict[str, Any]:
        return {
            "choices": form.choices(),
            "reason": cleaned.get("reason", ""),
            "idempotency_key": _idempotency_key(request, form),
            "receipt_code": cleaned.get("receipt_code", ""),
            "for_member": giver,
        }

    submitted = form_submit(form, services.ballot_vote, data=vote, user=request.user, ballot=ballot)
    if not submitted:
        return ballot_detail_with(request, organisation, ballot, form=form, status=400)
    outcome = submitted.value
    if ballot.is_secret:
        # The receipt is shown in this response only: it is stored nowhere on the server's side
        # that a member can be linked to (not in the session, not in a message).
        return ballot_detail_with(
            request, organisation, ballot, form=VoteForm(ballot=ballot), receipt=outcome
        )
    messages.success(
        request,
        _("Your vote is counted and on the public record.")
        if outcome.state != "repeated"
        else _("This vote was already counted; nothing changed."),
    )
    return redirect("decisions:detail", slug=slug, ballot_id=ballot.pk)


@login_required
@require_POST
def ballot_close(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    """A steward's explicit close (no form: a refusal is a message on the ballot's page). It
    cannot be undone, so the steward ticks a box to confirm it (no JavaScript needed)."""
    _organisation, ballot = ballot_page(request, slug, ballot_id)
    if not request.user.has_perm("decisions.close_ballot_early", ballot):
        raise PermissionDenied
    if request.POST.get("confirm") != "on":
        messages.error(request, _("Tick the box to confirm: a closed vote cannot be reopened."))
        return redirect("decisions:detail", slug=slug, ballot_id=ballot.pk)
    try:
        services.ballot_close(user=request.user, ballot=ballot)
    except BallotError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The vote is closed; the result is on the public record."))
    return redirect("decisions:detail", slug=slug, ballot_id=ballot.pk)


@login_required
@require_http_methods(["GET", "POST"])
def block_answer(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    organisation, ballot = ballot_page(request, slug, ballot_id)
    if not request.user.has_perm("decisions.answer_block", ballot):
        raise PermissionDenied
    form = BlockAnswerForm(request.POST or None, initial={"text": ballot.block_answer})
    if form_submit(form, services.ballot_block_answer, user=request.user, ballot=ballot):
        messages.success(request, _("Your answer is published with the vote."))
        return redirect("decisions:detail", slug=slug, ballot_id=ballot.pk)
    return render(
        request,
        "decisions/answer.html",
        page_context(request, organisation, ballot=ballot, form=form),
        status=400 if form.errors else 200,
    )
