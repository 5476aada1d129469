"""What anyone who may see a ballot can download to recount it: its ballots (CSV, PrefLib)
once it is closed, and its document (JSON)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from parrhesia.decisions import selectors
from parrhesia.decisions.models import Ballot
from parrhesia.decisions.views._shared import ballot_page


def _closed(request: HttpRequest, slug: str, ballot_id: int) -> Ballot:
    _organisation, ballot = ballot_page(request, slug, ballot_id)
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
    """The ballot, its result (when visible) and its minority reports, for programs; voters by
    name only to whoever may see the member list."""
    organisation, ballot = ballot_page(request, slug, ballot_id)
    names = request.user.has_perm("orgs.view_members", organisation)
    return JsonResponse(
        selectors.ballot_document(ballot, names), json_dumps_params={"ensure_ascii": False}
    )
