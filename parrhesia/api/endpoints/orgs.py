"""Organisations and their members."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router

from parrhesia.api.auth import caller_of, organisation_for
from parrhesia.api.paging import LIMIT_DEFAULT, LIMIT_MAX, page_of
from parrhesia.api.schemas import MemberPage, OrganisationOut, OrganisationPage
from parrhesia.orgs import selectors
from parrhesia.orgs.models import Organisation

router = Router(tags=["organisations"])
Limit = Query(LIMIT_DEFAULT, ge=1, le=LIMIT_MAX)


def organisation_out(organisation: Organisation, member_count: int) -> dict[str, object]:
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "description": organisation.description,
        "visibility": organisation.visibility,
        "member_count": member_count,
        "created_at": organisation.created_at,
    }


@router.get("/orgs", response=OrganisationPage)
def organisation_list(
    request: HttpRequest, cursor: str | None = None, limit: int = Limit
) -> dict[str, object]:
    """The organisations the caller may read: the public ones, or a token's own."""
    token = caller_of(request).token
    if token is None:
        rows = selectors.organisations_public()
    else:
        rows = selectors.organisations_of(request.user).filter(pk=token.membership.organisation_id)
    found, following = page_of(request, rows, cursor=cursor, limit=limit)
    return {
        "items": [organisation_out(o, o.member_count) for o in found],
        "next": following,
    }


@router.get("/orgs/{slug}", response=OrganisationOut)
def organisation_detail(request: HttpRequest, slug: str) -> dict[str, object]:
    organisation = organisation_for(request, slug)
    return organisation_out(organisation, selectors.members_active(organisation).count())


@router.get("/orgs/{slug}/members", response=MemberPage)
def member_list(
    request: HttpRequest, slug: str, cursor: str | None = None, limit: int = Limit
) -> dict[str, object]:
    """The active members, to whoever may see the member list (the organisation's setting)."""
    organisation = organisation_for(request, slug)
    if not request.user.has_perm("orgs.view_members", organisation):
        raise PermissionDenied
    found, following = page_of(
        request, selectors.members_active(organisation), cursor=cursor, limit=limit
    )
    return {
        "items": [
            {"id": m.pk, "name": m.user.public_name, "role": m.role, "joined_at": m.joined_at}
            for m in found
        ],
        "next": following,
    }
