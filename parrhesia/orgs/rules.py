"""Who may do what in an organisation (rules predicates)."""

from __future__ import annotations

from typing import Any

import rules

from parrhesia.accounts.two_factor import two_factor_overdue
from parrhesia.kernel.access import active_membership
from parrhesia.orgs.models import JoinRequest, Membership, Organisation, Role


@rules.predicate
def is_member(user: Any, organisation: Organisation | None) -> bool:
    return active_membership(user, organisation) is not None


def role_in_force(user: Any, membership: Membership) -> bool:
    """A steward's or admin's powers, once the two-factor grace period is over, need a second
    factor (accounts.two_factor); the demo organisation, whose passwords are public, is exempt."""
    if membership.organisation.is_demo:
        return True
    return not two_factor_overdue(user, membership.role_since)


def holds_steward_powers(user: Any, membership: Membership | None) -> bool:
    """The membership is a steward's or admin's, its powers in force (``is_steward`` on the
    membership itself: the to-do asks it of every organisation at once)."""
    return (
        membership is not None
        and membership.role in (Role.STEWARD, Role.ADMIN)
        and role_in_force(user, membership)
    )


@rules.predicate
def is_steward(user: Any, organisation: Organisation | None) -> bool:
    return holds_steward_powers(user, active_membership(user, organisation))


@rules.predicate
def is_admin(user: Any, organisation: Organisation | None) -> bool:
    membership = active_membership(user, organisation)
    return (
        membership is not None and membership.role == Role.ADMIN and role_in_force(user, membership)
    )


@rules.predicate
def is_public(user: Any, organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.is_public


@rules.predicate
def is_signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated)


@rules.predicate
def is_requester(user: Any, join_request: JoinRequest | None) -> bool:
    """The one who asked to join (no member yet: the check is on the request itself)."""
    return join_request is not None and user is not None and join_request.user_id == user.pk


@rules.predicate
def member_list_public(user: Any, organisation: Organisation | None) -> bool:
    """An admin chose to show the member list to visitors of a public-read organisation."""
    return organisation is not None and organisation.member_list_public


can_view = is_public | is_member

rules.add_perm("orgs.view_organisation", can_view)
# Members always; visitors of a public-read organisation only if an admin chose so (they
# otherwise see the count): the record's pages name actors to the same people.
rules.add_perm("orgs.view_members", is_member | is_public & member_list_public)
rules.add_perm("orgs.create_organisation", is_signed_in)
# Not a member yet: a way in (an invitation link, a request) is for them; a member is sent home.
rules.add_perm("orgs.join", is_signed_in & ~is_member)
rules.add_perm("orgs.request_to_join", is_signed_in & is_public & ~is_member)
rules.add_perm("orgs.withdraw_join_request", is_requester)
rules.add_perm("orgs.leave", is_member)
rules.add_perm("orgs.manage_invitations", is_steward)
rules.add_perm("orgs.decide_join_requests", is_steward)
rules.add_perm("orgs.change_roles", is_admin)
rules.add_perm("orgs.change_settings", is_admin)
rules.add_perm("orgs.change_conduct_code", is_admin)
# a lawful erasure request (the record, and the content it is about): docs/privacy.md
rules.add_perm("orgs.erase_personal_data", is_steward)
