"""A ballot's proxies: give one's vote in it to another member, revoke it; and what the
ballot's page shows of proxies and of the weight delegates carry."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from parrhesia.decisions import delegation_selectors as reads
from parrhesia.decisions import services
from parrhesia.decisions.delegation_forms import ProxyGiveForm
from parrhesia.decisions.models import Ballot
from parrhesia.decisions.services import BallotError
from parrhesia.decisions.views._shared import ballot_page
from parrhesia.kernel.access import active_membership
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import page_context
from parrhesia.orgs.models import Membership


def proxy_context(request: HttpRequest, ballot: Ballot, names: bool) -> dict[str, Any]:
    """The ballot page's part: the proxy the visitor gave, those they hold (each a "vote for
    <giver>" choice of the vote form), the form to give theirs, and on an open ballot that
    takes delegations, the weight each delegate carries and from whom."""
    membership = active_membership(request.user, ballot.organisation)
    context: dict[str, Any] = {
        "proxy_given": reads.proxy_given(ballot, membership),
        "proxies_held": reads.proxies_held(ballot, membership),
        "carried": _carried(ballot, names),
    }
    if membership is not None and request.user.has_perm("decisions.give_proxy_now", ballot):
        if len(ballot.electorate) <= PROXY_FORM_ON_PAGE_UP_TO:
            context["proxy_form"] = ProxyGiveForm(
                members=reads.proxy_candidates(ballot, membership)
            )
        else:
            context["proxy_link"] = True
    return context


# The form lists every member of the electorate: on the ballot's page (which every voter
# opens) only for a small electorate; beyond, a link to the form on a page of its own, so that
# the ballot's page costs the same with 5,000 members as with 5 (issue 15).
PROXY_FORM_ON_PAGE_UP_TO = 50


def _carried(ballot: Ballot, names: bool) -> list[dict[str, Any]] | None:
    summary = reads.ballot_carried(ballot, timezone.now())
    if summary is None:
        return None
    ids = {row["delegate"] for row in summary["carried"]}
    ids |= {giver for row in summary["carried"] for giver in row["givers"]}
    known = reads.member_names(ids) if names else {}

    def name(member: int) -> str:
        return known.get(member) or _("member %(id)s") % {"id": member}

    return [
        {
            "delegate": name(row["delegate"]),
            "weight": row["weight"],
            "givers": [name(giver) for giver in row["givers"]],
        }
        for row in summary["carried"]
    ]


def proxy_giver(request: HttpRequest, ballot: Ballot, form: forms.Form) -> Membership | None:
    """The member the vote form says the visitor votes for (``for``), if one of the proxies
    they hold in the ballot; None for their own vote (no ``for``). Anything but a member
    number is an error of ``form`` (so it is not submitted)."""
    chosen = request.POST.get("for", "")
    if not chosen:
        return None
    if not (chosen.isascii() and chosen.isdigit()):  # "²".isdigit(), but int("²") fails
        form.is_valid()  # the form's own errors first (add_error needs them), then this one
        form.add_error(None, _("Choose the member you vote for from the list."))
        return None
    membership = active_membership(request.user, ballot.organisation)
    proxy = next(
        (p for p in reads.proxies_held(ballot, membership) if p.giver_id == int(chosen)), None
    )
    if proxy is None:
        raise PermissionDenied
    return proxy.giver


@login_required
@require_http_methods(["GET", "POST"])
def proxy_give(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    """GET: the form on a page of its own (the ballot's page links to it when the electorate
    is large); POST: give the proxy, then back to the ballot's page."""
    organisation, ballot = ballot_page(request, slug, ballot_id)
    membership = active_membership(request.user, organisation)
    if membership is None or not request.user.has_perm("decisions.vote", ballot):
        raise PermissionDenied
    members = reads.proxy_candidates(ballot, membership)
    if request.method == "GET":
        form = ProxyGiveForm(members=members)
        context = page_context(request, organisation, ballot=ballot, proxy_form=form)
        return render(request, "decisions/proxy.html", context)
    form = ProxyGiveForm(request.POST, members=members)
    submitted = form_submit(
        form,
        services.proxy_give,
        data=lambda cleaned: {"holder": form.member()},
        user=request.user,
        ballot=ballot,
    )
    if submitted:
        messages.success(request, _("Your vote in this ballot is given; it is on the record."))
    else:
        errors = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, " ".join(errors) or _("Choose a member."))
    return redirect("decisions:detail", slug=slug, ballot_id=ballot.pk)


@login_required
@require_POST
def proxy_revoke(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    _organisation, ballot = ballot_page(request, slug, ballot_id)
    if not request.user.has_perm("decisions.vote", ballot):
        raise PermissionDenied
    try:
        services.proxy_revoke(user=request.user, ballot=ballot)
    except BallotError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your proxy is revoked: vote yourself, or give it again."))
    return redirect("decisions:detail", slug=slug, ballot_id=ballot.pk)
