"""Who may do what in an organisation (rules predicates)."""

from __future__ import annotations

from typing import Any

import rules
from django.utils.functional import LazyObject, empty

from parrhesia.orgs.models import Membership, MembershipStatus, Organisation, Role


def active_membership(user: Any, organisation: Organisation | None) -> Membership | None:
    """The user's active membership of the organisation, cached on the user for the request."""
    if organisation is None or user is None or not user.is_authenticated:
        return None
    user = _unwrapped(user)
    cache: dict[int, Membership | None] = user.__dict__.setdefault("_parrhesia_memberships", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = (
            Membership.objects.filter(
                organisation=organisation, user=user, status=MembershipStatus.ACTIVE
            )
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


@rules.predicate
def is_member(user: Any, organisation: Organisation | None) -> bool:
    return active_membership(user, organisation) is not None


@rules.predicate
def is_steward(user: Any, organisation: Organisation | None) -> bool:
    membership = active_membership(user, organisation)
    return membership is not None and membership.role in (Role.STEWARD, Role.ADMIN)


@rules.predicate
def is_admin(user: Any, organisation: Organisation | None) -> bool:
    membership = active_membership(user, organisation)
    return membership is not None and membership.role == Role.ADMIN


@rules.predicate
def is_public(user: Any, organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.is_public


@rules.predicate
def is_signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated)


can_view = is_public | is_member

rules.add_perm("orgs.view_organisation", can_view)
rules.add_perm("orgs.view_members", can_view)
rules.add_perm("orgs.create_organisation", is_signed_in)
rules.add_perm("orgs.request_to_join", is_signed_in & is_public & ~is_member)
rules.add_perm("orgs.leave", is_member)
rules.add_perm("orgs.manage_invitations", is_steward)
rules.add_perm("orgs.decide_join_requests", is_steward)
rules.add_perm("orgs.change_roles", is_admin)
rules.add_perm("orgs.change_settings", is_admin)
rules.add_perm("orgs.change_conduct_code", is_admin)
