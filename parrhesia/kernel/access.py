"""Who is acting: the one check a service makes before it writes.

``member_for(user, obj, permission)`` asks the ``rules`` permission (the same one views and
templates ask through ``has_perm``, so the page never offers what the service refuses) and
returns the user's active membership of the organisation ``obj`` belongs to: the actor the
record names. Object- and phase-level conditions live in the permission's predicates, in the
owning app's ``rules.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.utils.functional import LazyObject, empty

from parrhesia.kernel.content import kind_for_model

if TYPE_CHECKING:
    from parrhesia.orgs.models import Membership, Organisation

ACTIVE = "active"  # orgs.models.MembershipStatus.ACTIVE (a test pins that they agree)


def member_for(user: Any, obj: Any, permission: str) -> Membership:
    """The user's active membership of ``obj``'s organisation, if they hold ``permission`` on
    ``obj``; :class:`PermissionDenied` otherwise.

    ``obj`` is the organisation itself or anything of it: a registered content kind (its
    ``organisation_of``), or a model with an ``organisation`` field.
    """
    if not user.has_perm(permission, obj):
        raise PermissionDenied
    membership = active_membership(user, organisation_of(obj))
    if membership is None:
        raise PermissionDenied
    return membership


def organisation_of(obj: Any) -> Organisation:
    """The organisation ``obj`` belongs to (``obj`` itself if it is one)."""
    if obj._meta.label == "orgs.Organisation":
        return obj  # type: ignore[no-any-return]
    kind = kind_for_model(type(obj))
    if kind is not None and kind.organisation_of is not None:
        return kind.organisation_of(obj)
    return obj.organisation  # type: ignore[no-any-return]


def active_membership(user: Any, organisation: Organisation | None) -> Membership | None:
    """The user's active membership of the organisation, cached on the user for the request."""
    if organisation is None or user is None or not user.is_authenticated:
        return None
    user = _unwrapped(user)
    cache: dict[int, Membership | None] = user.__dict__.setdefault("_parrhesia_memberships", {})
    if organisation.pk not in cache:
        membership = apps.get_model("orgs", "Membership")
        cache[organisation.pk] = (
            membership.objects.filter(organisation=organisation, user=user, status=ACTIVE)
            .select_related("organisation")
            .first()
        )
    return cache[organisation.pk]


def forget_memberships(user: Any) -> None:
    """Drop the cached memberships after a service changed them."""
    _unwrapped(user).__dict__.pop("_parrhesia_memberships", None)


def _unwrapped(user: Any) -> Any:
    """The user itself, not ``request.user``'s lazy wrapper: permission checks receive the real
    user and services the wrapper, and both must share one cache."""
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user
