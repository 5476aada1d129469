"""The tribunal's docket and its cases, as the pages show them: a party's name only to whoever
the case page names it to (a hidden reporter, a pseudonymous accused stay so)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from parrhesia.api.auth import organisation_for
from parrhesia.api.endpoints.orgs import Limit
from parrhesia.api.paging import page_of
from parrhesia.api.schemas import CaseOut, CasePage
from parrhesia.tribunal import selectors
from parrhesia.tribunal.models import Case

router = Router(tags=["tribunal"])


def case_out(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "kind": case.kind,
        "summary": case.summary,
        "rules_cited": list(case.rules_cited),
        "code_version": case.code_version,
        "phase": case.phase,
        "opened_at": case.opened_at,
        "defence_deadline": case.defence_deadline,
        "decided_at": case.decided_at,
        "dismissal_reason": case.dismissal_reason,
    }


@router.get("/orgs/{slug}/tribunal/cases", response=CasePage)
def case_list(
    request: HttpRequest, slug: str, cursor: str | None = None, limit: int = Limit
) -> dict[str, Any]:
    """The docket (404 to whoever may not see it, as the page)."""
    organisation = organisation_for(request, slug, "tribunal.view_docket", hidden=True)
    rows = selectors.cases_docket(organisation)
    found, following = page_of(request, rows, cursor=cursor, limit=limit, key="number")
    return {"items": [case_out(case) for case in found], "next": following}


@router.get("/orgs/{slug}/tribunal/cases/{number}", response=CaseOut)
def case_detail(request: HttpRequest, slug: str, number: int) -> dict[str, Any]:
    organisation_for(request, slug, "tribunal.view_docket", hidden=True)
    case = selectors.case_find(slug, number)
    if case is None or not request.user.has_perm("tribunal.view_case", case):
        raise Http404
    out = case_out(case)
    if case.accused is not None:
        out["accused"] = (
            case.accused.user.public_name
            if request.user.has_perm("tribunal.view_accused", case)
            else case.accused_pseudonym or None
        )
    if request.user.has_perm("tribunal.view_reporter", case):
        out["reporter"] = case.reporter.user.public_name
    return out
