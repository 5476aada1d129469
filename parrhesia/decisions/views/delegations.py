"""Topic delegation's pages: a member's delegations and proxies (give, revoke, renew) and who
delegates to them; the delegation graph of an area (SVG with a table of the same); the admins'
rules for proxies and delegation, and the mandates (voting weights)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parrhesia.decisions import charts, services
from parrhesia.decisions import delegation_selectors as reads
from parrhesia.decisions.delegation_forms import DelegationForm, DelegationPolicyForm, MandateForm
from parrhesia.decisions.models import Delegation
from parrhesia.decisions.services import BallotError
from parrhesia.kernel.access import active_membership
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import org_page, page_context


@login_required
@require_http_methods(["GET", "POST"])
def delegations_mine(request: HttpRequest, slug: str) -> HttpResponse:
    """A member's delegations (and the form to give one), their proxies in open ballots, and
    who delegates to them with what weight."""
    organisation = org_page(request, slug, "decisions.manage_own_delegations")
    membership = active_membership(request.user, organisation)
    assert membership is not None  # the permission asks for an active membership
    now = timezone.now()
    may_delegate = request.user.has_perm("decisions.delegate", organisation)
    form = DelegationForm(
        request.POST or None,
        members=reads.delegation_candidates(membership),
        areas=reads.areas_of(organisation),
    )
    # Delegation switched off (or not for this member): the page, saying so, with a 403.
    refused = request.method == "POST" and not may_delegate
    if refused:
        messages.error(request, _("Delegation is switched off in this organisation."))
    elif request.method == "POST":
        submitted = form_submit(
            form,
            services.delegation_give,
            data=lambda cleaned: {"delegate": form.member(), "area": cleaned["area"]},
            user=request.user,
            organisation=organisation,
        )
        if submitted:
            messages.success(request, _("Your delegation is given and on the public record."))
            return redirect("decisions:delegations", slug=slug)
    context = page_context(
        request,
        organisation,
        form=form if may_delegate else None,
        policy=reads.delegation_policy(organisation),
        given=reads.delegations_given(membership, now),
        received=reads.delegations_received(membership, now),
        proxies=reads.proxies_of(membership),
        now=now,
    )
    status = 403 if refused else 400 if form.errors else 200
    return render(request, "decisions/delegations.html", context, status=status)


def _own_delegation(request: HttpRequest, slug: str, delegation_id: int) -> Delegation:
    organisation = org_page(request, slug, "decisions.manage_own_delegations")
    membership = active_membership(request.user, organisation)
    return get_object_or_404(
        Delegation, pk=delegation_id, organisation=organisation, delegator=membership
    )


@login_required
@require_POST
def delegation_revoke(request: HttpRequest, slug: str, delegation_id: int) -> HttpResponse:
    delegation = _own_delegation(request, slug, delegation_id)
    try:
        services.delegation_revoke(user=request.user, delegation=delegation)
    except BallotError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your delegation is revoked; your vote counts alone again."))
    return redirect("decisions:delegations", slug=slug)


@login_required
@require_POST
def delegation_renew(request: HttpRequest, slug: str, delegation_id: int) -> HttpResponse:
    delegation = _own_delegation(request, slug, delegation_id)
    if not request.user.has_perm("decisions.delegate", delegation.organisation):
        messages.error(request, _("Delegation is switched off in this organisation."))
        return redirect("decisions:delegations", slug=slug)
    try:
        services.delegation_renew(user=request.user, delegation=delegation)
    except BallotError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your delegation is renewed."))
    return redirect("decisions:delegations", slug=slug)


@require_GET
def delegation_graph(request: HttpRequest, slug: str) -> HttpResponse:
    """Who delegates to whom in one area (``?area=``), public like the open votes it weighs:
    names to whoever may see the member list, member numbers to the others."""
    organisation = org_page(request, slug, "decisions.view_delegations")
    areas = reads.areas_of(organisation)
    area = request.GET.get("area", reads.WHOLE)
    if area and area not in areas:
        raise Http404
    graph = reads.area_standing(organisation, area, timezone.now())
    pairs, standing = graph["pairs"], graph["standing"]
    ids = {member for pair in pairs for member in pair}
    if request.user.has_perm("orgs.view_members", organisation):
        names = reads.member_names(ids)
    else:
        names = {member: _("member %(id)s") % {"id": member} for member in ids}
    rows = [
        {
            "name": names[delegate],
            "weight": standing.potential[delegate],
            "givers": [names[giver] for giver in standing.givers[delegate]],
            "returned": [names[giver] for giver in standing.returned.get(delegate, ())],
        }
        for delegate in sorted(standing.potential, key=lambda d: (-standing.potential[d], d))
    ]
    context = page_context(
        request,
        organisation,
        areas=areas,
        area=area,
        rows=rows,
        cap=graph["cap"],
        policy=reads.delegation_policy(organisation),
        chart=charts.delegation_graph(pairs, names, standing.potential),
    )
    return render(request, "decisions/delegation_graph.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def delegation_settings(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "decisions.change_policy")
    policy = reads.delegation_policy(organisation)
    fields = DelegationPolicyForm.base_fields
    form = DelegationPolicyForm(
        request.POST or None, initial={name: getattr(policy, name) for name in fields}
    )
    if form_submit(
        form, services.delegation_policy_change, user=request.user, organisation=organisation
    ):
        messages.success(
            request, _("The rules of proxies and delegation are changed and recorded.")
        )
        return redirect("decisions:delegations_settings", slug=slug)
    context = page_context(request, organisation, form=form)
    status = 400 if form.errors else 200
    return render(request, "decisions/delegation_settings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def mandates(request: HttpRequest, slug: str) -> HttpResponse:
    """The memberships that carry a voting weight other than 1, and the admins' form."""
    organisation = org_page(request, slug, "decisions.change_mandates")
    members = reads.delegation_candidates_all(organisation)
    form = MandateForm(request.POST or None, members=members)
    if form_submit(
        form,
        services.mandate_set,
        data=lambda cleaned: {
            "membership": form.member(),
            "weight": cleaned["weight"],
            "reason": cleaned["reason"],
        },
        user=request.user,
    ):
        messages.success(request, _("The voting weight is changed and on the public record."))
        return redirect("decisions:mandates", slug=slug)
    context = page_context(
        request, organisation, form=form, mandates=reads.mandates_of(organisation)
    )
    status = 400 if form.errors else 200
    return render(request, "decisions/mandates.html", context, status=status)
