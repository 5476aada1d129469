"""What every organisation page starts with: the organisation, if the visitor may see it, and
the context every template of it expects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from parrhesia.kernel.access import active_membership

if TYPE_CHECKING:
    from parrhesia.orgs.models import Organisation


def organisation_visible(user: Any, slug: str) -> Organisation:
    """The organisation if the user may see it; otherwise 404, whether it exists or not.

    A members-only organisation must not leak even its existence to outsiders.
    """
    model = apps.get_model("orgs", "Organisation")
    organisation = model.objects.filter(slug=slug).first()
    if organisation is None or not user.has_perm("orgs.view_organisation", organisation):
        raise Http404
    return organisation  # type: ignore[no-any-return]


def org_page(
    request: HttpRequest, slug: str, permission: str | None = None, *, hidden: bool = False
) -> Organisation:
    """The organisation of a page: 404 if the visitor may not see it (as above); if they may
    see it but lack ``permission`` (a rules permission on it), 403, or 404 where ``hidden``
    (a part of the organisation that those without the permission must not know of)."""
    organisation = organisation_visible(request.user, slug)
    if permission and not request.user.has_perm(permission, organisation):
        raise Http404 if hidden else PermissionDenied
    return organisation


def page_context(request: HttpRequest, organisation: Organisation, **extra: Any) -> dict[str, Any]:
    """The context of an organisation page: the organisation, the visitor's membership (None
    for a visitor who is not a member), and the page's own ``extra``."""
    return {
        "organisation": organisation,
        "membership": active_membership(request.user, organisation),
        **extra,
    }


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx asked for a fragment (the page answers the whole page otherwise)."""
    return request.headers.get("HX-Request") == "true"
