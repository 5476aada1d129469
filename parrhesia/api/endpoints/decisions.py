"""Ballots: their list, each one's document (facts, result when visible, published ballots,
minority reports), the PrefLib file of a closed one, and voting."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from ninja import Router

from parrhesia.api.auth import organisation_for, writer_organisation
from parrhesia.api.endpoints.orgs import Limit
from parrhesia.api.forms import valid
from parrhesia.api.paging import page_of
from parrhesia.api.schemas import BallotDetail, BallotPage, BallotVoteIn, BallotVoteOut
from parrhesia.decisions import selectors, services
from parrhesia.decisions.forms import VoteForm
from parrhesia.decisions.models import Ballot

router = Router(tags=["decisions"])
VIEW = "decisions.view_ballots"


def ballot_out(ballot: Ballot) -> dict[str, Any]:
    return {
        "id": ballot.pk,
        "title": ballot.title,
        "method": ballot.method,
        "is_secret": ballot.is_secret,
        "is_open": ballot.is_open,
        "opened_at": ballot.opened_at,
        "closes_at": ballot.closes_at,
        "closed_at": ballot.closed_at,
    }


@router.get("/orgs/{slug}/ballots", response=BallotPage)
def ballot_list(
    request: HttpRequest, slug: str, cursor: str | None = None, limit: int = Limit
) -> dict[str, Any]:
    organisation = organisation_for(request, slug, VIEW)
    rows = Ballot.objects.filter(organisation=organisation)
    found, following = page_of(request, rows, cursor=cursor, limit=limit)
    return {"items": [ballot_out(b) for b in found], "next": following}


@router.get("/orgs/{slug}/ballots/{ballot_id}", response=BallotDetail)
def ballot_detail(request: HttpRequest, slug: str, ballot_id: int) -> dict[str, Any]:
    """The ballot as its JSON download has it; voters named only to whoever may see the
    member list."""
    organisation = organisation_for(request, slug, VIEW)
    ballot = selectors.ballot_visible(organisation, ballot_id)
    names = request.user.has_perm("orgs.view_members", organisation)
    return {**ballot_out(ballot), "document": selectors.ballot_document(ballot, names)}


@router.get(
    "/orgs/{slug}/ballots/{ballot_id}/preflib",
    response={200: str},
    openapi_extra={"responses": {200: {"content": {"text/plain": {"schema": {"type": "string"}}}}}},
)
def ballot_preflib(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    """The closed ballot's ballots as a PrefLib file (.toi); 404 while it is open, and for a
    motion (yes/no) ballot."""
    organisation = organisation_for(request, slug, VIEW)
    ballot = selectors.ballot_visible(organisation, ballot_id)
    if ballot.is_open or ballot.method == "motion":
        raise Http404
    return HttpResponse(selectors.ballots_preflib(ballot), content_type="text/plain; charset=utf-8")


def vote_form_data(ballot: Ballot, body: BallotVoteIn) -> QueryDict:
    """The body as the page's vote form would have posted it."""
    data = QueryDict(mutable=True)
    if body.choice is not None:
        data["choice"] = body.choice
    if body.approved is not None:
        data.setlist("approved", [str(key) for key in body.approved])
    for key, rank in (body.ranks or {}).items():
        data[f"rank_{key}"] = str(rank)
    data["reason"] = body.reason
    data["receipt_code"] = body.receipt_code
    return data


@router.post("/orgs/{slug}/ballots/{ballot_id}/vote", response=BallotVoteOut)
def ballot_vote(
    request: HttpRequest, slug: str, ballot_id: int, body: BallotVoteIn
) -> HttpResponse | dict[str, Any]:
    """Cast or change a vote; a retry with the same ``Idempotency-Key`` header changes
    nothing. A secret ballot answers its tracker and receipt code, this once."""
    organisation = writer_organisation(request, slug, "vote", VIEW)
    ballot = selectors.ballot_visible(organisation, ballot_id)
    if not request.user.has_perm("decisions.vote", ballot):
        raise PermissionDenied
    form = VoteForm(vote_form_data(ballot, body), ballot=ballot)
    cleaned = valid(form)
    outcome = services.ballot_vote(
        user=request.user,
        ballot=ballot,
        choices=form.choices(),
        reason=cleaned.get("reason", ""),
        idempotency_key=(request.headers.get("Idempotency-Key") or "")[:100],
        receipt_code=cleaned.get("receipt_code", ""),
    )
    return {
        "state": outcome.state,
        "tracker": outcome.tracker,
        "receipt_code": outcome.receipt_code,
    }
