"""A member's own membership and their role: leaving, and an admin changing a role.

Nobody is removed by a button: only a tribunal's verdict expels (tribunal.services.verdicts).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.kernel.access import forget_memberships, member_for
from parrhesia.kernel.membership_hooks import membership_ended
from parrhesia.methods.record.sealed import Sealed
from parrhesia.orgs.actions import Action, member_facts
from parrhesia.orgs.models import Membership, MembershipStatus, Organisation, Role
from parrhesia.orgs.services._shared import MembershipError
from parrhesia.record.services import record_append


def _other_admins(membership: Membership) -> bool:
    return (
        Membership.objects.filter(
            organisation=membership.organisation, role=Role.ADMIN, status=MembershipStatus.ACTIVE
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def membership_leave(*, user: User, organisation: Organisation, reason: str = "") -> Membership:
    """Leave an organisation. Nobody can be removed by a button: only by a tribunal's verdict."""
    with transaction.atomic():
        membership = member_for(user, organisation, "orgs.leave")
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == Role.ADMIN and not _other_admins(membership):
            raise MembershipError(
                _("You are the last admin. Make another member admin before you leave.")
            )
        previous_role = membership.role
        membership.status = MembershipStatus.LEFT
        membership.left_at = now = timezone.now()
        membership.save(update_fields=["status", "left_at"])
        record_append(
            organisation=organisation,
            actor=membership,
            action=Action.MEMBERSHIP_LEFT,
            subject=("membership", membership.pk),
            payload=member_facts(membership, role=previous_role, reason=Sealed(reason)),
        )
        membership_ended(membership.pk, now)  # delegations, proxies
    forget_memberships(user)
    return membership


def membership_role_change(
    *, user: User, membership: Membership, role: str, reason: str
) -> Membership:
    if role not in Role.values:
        raise MembershipError(_("Unknown role."))
    if not reason.strip():
        raise MembershipError(_("A role change needs a stated reason."))
    organisation = membership.organisation
    with transaction.atomic():
        admin = member_for(user, organisation, "orgs.change_roles")
        membership = (
            Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
        )
        if not membership.is_active:
            raise MembershipError(_("This person is no longer a member."))
        if membership.role == role:
            raise MembershipError(_("This member already has that role."))
        if membership.role == Role.ADMIN and not _other_admins(membership):
            raise MembershipError(_("An organisation needs at least one admin."))
        previous = membership.role
        membership.role = role
        if previous == Role.MEMBER:
            # A new steward's two-factor grace period starts now (orgs.rules.is_steward).
            membership.role_since = timezone.now()
        membership.save(update_fields=["role", "role_since"])
        record_append(
            organisation=organisation,
            actor=admin,
            action=Action.MEMBERSHIP_ROLE_CHANGED,
            subject=("membership", membership.pk),
            payload={
                "member": membership.pk,
                # Named only where visitors see the member list (orgs.actions.member_facts).
                **(
                    {"display_name": Sealed(membership.user.public_name)}
                    if organisation.member_list_public
                    else {}
                ),
                "from": previous,
                "to": role,
                "reason": Sealed(reason),
            },
        )
    forget_memberships(membership.user)
    forget_memberships(user)
    return membership
