"""Quick proposals and polls: any member starts one where the decision policy allows, on its own
or inside an agenda item; it opens at once and runs like any ballot."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from parrhesia.agenda.models import AgendaItem
from parrhesia.decisions import agenda_seam, delegation_selectors, selectors, services
from parrhesia.decisions.forms import QuickBallotForm
from parrhesia.kernel.access import active_membership
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import org_page, page_context
from parrhesia.orgs.models import Organisation


@login_required
@require_http_methods(["GET", "POST"])
def quick_ballot_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a quick proposal or poll (``?item=N``: inside agenda item N)."""
    return quick_page(request, org_page(request, slug))


def quick_page(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The quick form, for whoever may start one; a member the policy leaves out is told why."""
    if not request.user.has_perm("decisions.start_quick_ballot", organisation):
        return _refused(request, organisation)
    item = _item_asked(request, organisation)
    form = QuickBallotForm(request.POST or None)
    submitted = form_submit(
        form,
        services.ballot_open_quick,
        data=lambda cleaned: form.opening(),
        user=request.user,
        organisation=organisation,
        agenda_item=item,
    )
    if submitted:
        ballot = submitted.value
        messages.success(request, _("It is open to every member and on the public record."))
        return redirect("decisions:detail", slug=organisation.slug, ballot_id=ballot.pk)
    return render(
        request,
        "decisions/quick_new.html",
        page_context(request, organisation, form=form, item=item, **mandates_warning(organisation)),
        status=400 if form.errors else 200,
    )


def mandates_warning(organisation: Organisation) -> dict[str, Any]:
    """What a page that may open a secret vote says of mandates (decisions/_mandates_warning.html):
    with weights other than 1, a weight cast by too few withholds the anonymous ballots."""
    return {
        "mandates_exist": bool(delegation_selectors.mandates_of(organisation)),
        "min_anonymity": selectors.policy_of(organisation).min_anonymity,
    }


def _item_asked(request: HttpRequest, organisation: Organisation) -> AgendaItem | None:
    """The agenda item named by ``?item=``, of this organisation (404 otherwise)."""
    asked = request.GET.get("item", "")
    if not asked:
        return None
    item = agenda_seam.agenda_item_of(organisation, int(asked)) if asked.isdigit() else None
    if item is None:
        raise Http404
    return item


def _refused(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """A member whom the policy leaves out learns that it is the policy, and what to do."""
    member = active_membership(request.user, organisation)
    if member is None or selectors.quick_open_to_members(organisation):
        raise PermissionDenied
    return render(
        request, "decisions/quick_refused.html", page_context(request, organisation), status=403
    )
