"""Ballot pages. Views turn requests into service calls and service errors into form errors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parrhesia.decisions import charts, selectors, services
from parrhesia.decisions.forms import (
    AgendaBallotForm,
    BallotOpenForm,
    BlockAnswerForm,
    MinorityReportForm,
    PolicyForm,
    VoteForm,
)
from parrhesia.decisions.models import MOTION_LABELS, Ballot, MinorityReport
from parrhesia.decisions.services import BallotError
from parrhesia.kernel.pages import org_page
from parrhesia.orgs.models import Organisation
from parrhesia.orgs.rules import active_membership
from parrhesia.tribunal.selectors import hidden_measures
from parrhesia.web.forms import form_submit


def _org(request: HttpRequest, slug: str, permission: str | None = None) -> Organisation:
    return org_page(request, slug, permission)


def _context(request: HttpRequest, organisation: Organisation, **extra: Any) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "membership": active_membership(request.user, organisation),
        **extra,
    }


@require_GET
def ballot_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "decisions.view_ballots")
    services.ballots_close_due(now=timezone.now())
    ballots = list(selectors.ballots_of(organisation))
    return render(
        request,
        "decisions/index.html",
        _context(
            request,
            organisation,
            open_ballots=[b for b in ballots if b.is_open],
            closed_ballots=[b for b in ballots if not b.is_open],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def ballot_new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "decisions.open_ballot")
    policy = services.policy_of(organisation)
    form = BallotOpenForm(
        request.POST or None,
        initial={
            "threshold": policy.threshold,
            "reasons": policy.reasons,
            "quorum_percent": policy.quorum_percent,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["options"] = form.cleaned_options()
        try:
            ballot = services.ballot_open(user=request.user, organisation=organisation, **data)
        except BallotError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The vote is open and on the public record."))
            return redirect("decisions:detail", slug=slug, ballot_id=ballot.pk)
    return render(request, "decisions/new.html", _context(request, organisation, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_ballot(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    """A steward puts an agenda item's final motions to the vote."""
    from parrhesia.agenda import services as agenda
    from parrhesia.agenda.models import AgendaItem
    from parrhesia.decisions.agenda_seam import ballot_open_for_agenda_item

    organisation = _org(request, slug, "decisions.open_ballot")
    item = get_object_or_404(AgendaItem, pk=item_id, organisation=organisation)
    form = AgendaBallotForm(request.POST or None)
    submitted = form_submit(
        form, BallotError, ballot_open_for_agenda_item, user=request.user, item=item
    )
    if submitted:
        ballot = submitted.value
        messages.success(request, _("The vote is open and on the public record."))
        return redirect("decisions:detail", slug=slug, ballot_id=ballot.pk)
    return render(
        request,
        "decisions/agenda_item.html",
        _context(
            request, organisation, form=form, item=item, motions=agenda.motions_on_ballot(item)
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "decisions.change_policy")
    policy = services.policy_of(organisation)
    form = PolicyForm(
        request.POST or None,
        initial={
            "threshold": policy.threshold,
            "reasons": policy.reasons,
            "quorum_percent": policy.quorum_percent,
            "minority_window_days": policy.minority_window_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.policy_change(user=request.user, organisation=organisation, **form.cleaned_data)
        messages.success(request, _("The defaults for new votes are changed and recorded."))
        return redirect("decisions:index", slug=slug)
    return render(request, "decisions/policy.html", _context(request, organisation, form=form))


def _ballot(request: HttpRequest, slug: str, ballot_id: int) -> tuple[Organisation, Ballot]:
    organisation = _org(request, slug, "decisions.view_ballots")
    return organisation, selectors.ballot_visible(organisation, ballot_id)


@require_GET
def ballot_detail(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    organisation, ballot = _ballot(request, slug, ballot_id)
    if ballot.is_open and services.ballot_close_if_due(ballot_id=ballot.pk, now=timezone.now()):
        ballot = selectors.ballot_visible(organisation, ballot_id)
    return _detail(request, organisation, ballot)


def _detail(
    request: HttpRequest,
    organisation: Organisation,
    ballot: Ballot,
    form: VoteForm | None = None,
    receipt: services.VoteOutcome | None = None,
    status: int = 200,
) -> HttpResponse:
    membership = active_membership(request.user, organisation)
    reports = list(selectors.minority_reports(ballot))
    can_vote = bool(
        ballot.is_open and membership is not None and membership.pk in ballot.electorate
    )
    if can_vote and form is None:
        form = VoteForm(ballot=ballot)
    context = _context(
        request,
        organisation,
        ballot=ballot,
        form=form if can_vote else None,
        vote_errors=form.non_field_errors() if form is not None and not can_vote else [],
        receipt=receipt,
        my_vote=selectors.vote_of(ballot, membership),
        participated=ballot.is_secret and selectors.has_participated(ballot, membership),
        turnout=selectors.turnout_of(ballot),
        is_author=membership is not None and membership.pk in ballot.authors,
        has_blocks=ballot.method == "motion" and services.ballot_has_blocks(ballot),
        can_close=(
            ballot.is_open
            and request.user.has_perm("decisions.close_ballot_early", organisation)
            and (ballot.early_close_allowed or timezone.now() >= ballot.closes_at)
        ),
        reports=reports,
        report_measures=hidden_measures("minority_report", [r.pk for r in reports]),
        may_dissent=(
            not ballot.is_open
            and timezone.now() <= ballot.minority_window_ends
            and services.minority_eligible(ballot, membership)
        ),
        membership_id=membership.pk if membership else None,
        **_results(ballot),
    )
    return render(request, "decisions/detail.html", context, status=status)


def _results(ballot: Ballot) -> dict[str, Any]:
    if not selectors.results_visible(ballot):
        return {"show_results": False}
    labels = {option.key: option.label for option in ballot.options.all()}
    choices = selectors.ballot_choices(ballot)  # read once: the count, the reasons, the list
    result = ballot.result or _live_result(ballot, choices)
    tally = result.get("tally") or {}
    context: dict[str, Any] = {
        "show_results": True,
        "result": result,
        "tally": tally,
        "reasons": selectors.reasons_by_choice(ballot, labels, choices),
        "ballot_list": [
            {**item, "summary": selectors.choice_summary(ballot, item["choices"], labels)}
            for item in choices
        ],
        "labels": labels,
    }
    if ballot.method == "motion":
        counts = result.get("counts", {})
        context["bars"] = charts.bars(
            [(selectors.motion_choice_label(k), counts.get(k, 0)) for k in MOTION_LABELS]
        )
    elif tally.get("scores"):
        context["bars"] = charts.bars([(n, tally["scores"][n]) for n in tally["ranking"]])
    if tally.get("pairwise"):
        context["heat"] = charts.heat_map(tally)
    if tally.get("rounds"):
        context["rounds"] = charts.rounds(tally)
        first = tally["rounds"][0]["tallies"]
        context["bars"] = charts.bars(sorted(first.items(), key=lambda item: -item[1]))
    return context


def _live_result(ballot: Ballot, choices: list[dict[str, Any]]) -> dict[str, Any]:
    """The running count of an open ballot whose results are not hidden."""
    from parrhesia.decisions.counting import result_count

    ballots = [item["choices"] for item in choices]
    return {**result_count(services.ballot_facts(ballot), ballots), "live": True}


def _idempotency_key(request: HttpRequest, form: VoteForm) -> str:
    return (request.headers.get("Idempotency-Key") or form.cleaned_data["idempotency_key"])[:100]


@login_required
@require_POST
def ballot_vote(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    organisation, ballot = _ballot(request, slug, ballot_id)
    if not request.user.has_perm("decisions.vote", organisation):
        raise PermissionDenied
    form = VoteForm(request.POST, ballot=ballot)
    if not form.is_valid():
        return _detail(request, organisation, ballot, form=form, status=400)
    try:
        outcome = services.ballot_vote(
            user=request.user,
            ballot=ballot,
            choices=form.choices(),
            reason=form.cleaned_data.get("reason", ""),
            idempotency_key=_idempotency_key(request, form),
            receipt_code=form.cleaned_data.get("receipt_code", ""),
        )
    except BallotError as error:
        form.add_error(None, str(error))
        return _detail(request, organisation, ballot, form=form, status=400)
    if ballot.is_secret:
        # The receipt is shown in this response only: it is stored nowhere on the server's side
        # that a member can be linked to (not in the session, not in a message).
        return _detail(request, organisation, ballot, form=VoteForm(ballot=ballot), receipt=outcome)
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
    organisation, ballot = _ballot(request, slug, ballot_id)
    if not request.user.has_perm("decisions.close_ballot_early", organisation):
        raise PermissionDenied
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
    organisation, ballot = _ballot(request, slug, ballot_id)
    membership = active_membership(request.user, organisation)
    if membership is None or membership.pk not in ballot.authors:
        raise PermissionDenied
    form = BlockAnswerForm(request.POST or None, initial={"text": ballot.block_answer})
    submitted = form_submit(
        form, BallotError, services.ballot_block_answer, user=request.user, ballot=ballot
    )
    if submitted:
        messages.success(request, _("Your answer is published with the vote."))
        return redirect("decisions:detail", slug=slug, ballot_id=ballot.pk)
    return render(
        request, "decisions/answer.html", _context(request, organisation, ballot=ballot, form=form),
        status=400 if form.errors else 200,
    )


def _closed(request: HttpRequest, slug: str, ballot_id: int) -> Ballot:
    _organisation, ballot = _ballot(request, slug, ballot_id)
    if ballot.is_open:
        raise Http404(_("The ballots are published when the vote closes."))
    return ballot


@require_GET
def ballots_csv(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    ballot = _closed(request, slug, ballot_id)
    response = HttpResponse(selectors.ballots_csv(ballot), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ballot-{ballot.pk}.csv"'
    return response


@require_GET
def ballots_preflib(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    ballot = _closed(request, slug, ballot_id)
    if ballot.method == "motion":
        raise Http404
    response = HttpResponse(
        selectors.ballots_preflib(ballot), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="ballot-{ballot.pk}.toi"'
    return response


@require_GET
def ballot_json(request: HttpRequest, slug: str, ballot_id: int) -> JsonResponse:
    """The ballot, its result (when visible) and its minority reports, for programs."""
    _organisation, ballot = _ballot(request, slug, ballot_id)
    return JsonResponse(ballot_document(ballot), json_dumps_params={"ensure_ascii": False})


def ballot_document(ballot: Ballot) -> dict[str, Any]:
    visible = selectors.results_visible(ballot) and not ballot.is_open
    return {
        "id": ballot.pk,
        **services.ballot_facts(ballot),
        "status": ballot.status,
        "closed_at": ballot.closed_at.isoformat() if ballot.closed_at else None,
        "result": ballot.result if visible else None,
        "ballots": selectors.ballot_choices(ballot) if visible else None,
        "block_answer": ballot.block_answer,
        "minority_reports": [
            {
                "id": report.pk,
                "author": report.author_id,
                "title": report.title,
                "text": report.text,
                "filed_at": report.filed_at.isoformat(),
                "cosigners": [c.member_id for c in report.cosigners.all()],
            }
            for report in selectors.minority_reports(ballot)
        ],
    }


@login_required
@require_http_methods(["GET", "POST"])
def minority_report_new(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    organisation, ballot = _ballot(request, slug, ballot_id)
    if not request.user.has_perm("decisions.file_minority_report", organisation):
        raise PermissionDenied
    form = MinorityReportForm(request.POST or None)
    submitted = form_submit(
        form, BallotError, services.minority_report_file, user=request.user, ballot=ballot
    )
    if submitted:
        messages.success(request, _("Your minority report is published beside the result."))
        return redirect("decisions:detail", slug=slug, ballot_id=ballot.pk)
    return render(
        request,
        "decisions/minority.html",
        _context(request, organisation, ballot=ballot, form=form),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def minority_report_cosign(
    request: HttpRequest, slug: str, ballot_id: int, report_id: int
) -> HttpResponse:
    organisation, ballot = _ballot(request, slug, ballot_id)
    if not request.user.has_perm("decisions.file_minority_report", organisation):
        raise PermissionDenied
    report = get_object_or_404(MinorityReport, pk=report_id, ballot=ballot)
    try:
        services.minority_report_cosign(user=request.user, report=report)
    except BallotError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You co-signed the minority report."))
    return redirect("decisions:detail", slug=slug, ballot_id=ballot.pk)
