"""Every write on organisations and membership: one function per action.

Each runs in one transaction, checks permission, and appends its entry to the organisation's
public record in that same transaction.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from parrhesia.accounts.models import User
from parrhesia.kernel.access import active_membership, forget_memberships
from parrhesia.orgs.models import (
    RESERVED_SLUGS,
    ConductCode,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipStatus,
    Organisation,
    Role,
    Visibility,
)
from parrhesia.record.services import record_append


class MembershipError(Exception):
    """A membership action that cannot happen as asked; the message says why."""


EXPELLED_MESSAGE = _lazy("A verdict of the tribunal expelled you from this organisation.")


DEFAULT_CONDUCT_RULES = [
    "Argue with ideas, not with people: no insults, threats or harassment.",
    "Do not publish anyone's personal data without their consent.",
    "Do not post unlawful content.",
    "Say where a claim comes from when asked.",
]


def _require(user: User, permission: str, organisation: Organisation) -> Membership | None:
    if not user.has_perm(permission, organisation):
        raise PermissionDenied
    return active_membership(user, organisation)


def _member_facts(membership: Membership) -> dict[str, Any]:
    return {
        "member": membership.pk,
        "display_name": membership.user.public_name,
        "role": membership.role,
    }


def _numbered(rules: list[str]) -> list[dict[str, Any]]:
    return [{"number": number, "text": text} for number, text in enumerate(rules, start=1)]


def organisation_create(
    *,
    user: User,
    name: str,
    slug: str,
    description: str = "",
    visibility: str = Visibility.MEMBERS,
    conduct_rules: list[str] | None = None,
    is_demo: bool = False,
) -> Organisation:
    """Found an organisation; its founder becomes its first admin."""
    if not user.has_perm("orgs.create_organisation"):
        raise PermissionDenied
    if slug in RESERVED_SLUGS:
        raise MembershipError(_("This short name is reserved; choose another."))
    if Organisation.objects.filter(slug=slug).exists():
        raise MembershipError(_("This short name is already taken; choose another."))
    from parrhesia.record.checkpoints import signer_ensure

    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name=name,
                slug=slug,
                description=description,
                visibility=visibility,
                is_demo=is_demo,
            )
            signer = signer_ensure(organisation)
            record_append(
                organisation=organisation,
                actor=None,
                action="organisation.created",
                subject=("organisation", organisation.pk),
                payload={
                    "name": name,
                    "slug": slug,
                    "description": description,
                    "visibility": visibility,
                    "verifier_key": signer.verifier_key,
                },
            )
            founder = Membership.objects.create(
                organisation=organisation, user=user, role=Role.ADMIN
            )
            record_append(
                organisation=organisation,
                actor=founder,
                action="membership.founded",
                subject=("membership", founder.pk),
                payload=_member_facts(founder),
            )
            _conduct_code_add(
                organisation=organisation,
                by=founder,
                rules=conduct_rules if conduct_rules is not None else DEFAULT_CONDUCT_RULES,
                reason="",
            )
    except IntegrityError:
        raise MembershipError(_("This short name is already taken; choose another.")) from None
    forget_memberships(user)
    return organisation


def organisation_update(
    *,
    user: User,
    organisation: Organisation,
    name: str,
    description: str,
    visibility: str,
    reason: str = "",
) -> Organisation:
    with transaction.atomic():
        admin = _require(user, "orgs.change_settings", organisation)
        before = {
            "name": organisation.name,
            "description": organisation.description,
            "visibility": organisation.visibility,
        }
        after = {"name": name, "description": description, "visibility": visibility}
        changes = {
            field: {"from": before[field], "to": after[field]}
            for field in before
            if before[field] != after[field]
        }
        if not changes:
            return organisation
        organisation.name, organisation.description, organisation.visibility = (
            name,
            description,
            visibility,
        )
        organisation.save(update_fields=["name", "description", "visibility"])
        record_append(
            organisation=organisation,
            actor=admin,
            action="organisation.settings_changed",
            subject=("organisation", organisation.pk),
            payload={"changes": changes, "reason": reason},
        )
    return organisation


def _conduct_code_add(
    *, organisation: Organisation, by: Membership | None, rules: list[str], reason: str
) -> ConductCode:
    previous = organisation.conduct_codes.order_by("-version").first()
    code = ConductCode.objects.create(
        organisation=organisation,
        version=(previous.version + 1) if previous else 1,
        rules=_numbered(rules),
        reason=reason,
        created_by=by,
    )
    record_append(
        organisation=organisation,
        actor=by,
        action="conduct_code.adopted" if previous is None else "conduct_code.amended",
        subject=("conduct_code", code.version),
        payload={"version": code.version, "rules": code.rules, "reason": reason},
    )
    return code


def conduct_code_amend(
    *, user: User, organisation: Organisation, rules: list[str], reason: str
) -> ConductCode:
    """Adopt a new version of the code of conduct; older versions stay citable."""
    if not reason.strip():
        raise MembershipError(_("Say why the code of conduct changes."))
    if not rules:
        raise MembershipError(_("A code of conduct needs at least one rule."))
    with transaction.atomic():
        admin = _require(user, "orgs.change_conduct_code", organisation)
        current = conduct_code_current(organisation)
        if current is not None and [rule["text"] for rule in current.rules] == rules:
            raise MembershipError(_("The rules are unchanged."))
        return _conduct_code_add(organisation=organisation, by=admin, rules=rules, reason=reason)


def conduct_code_current(organisation: Organisation) -> ConductCode | None:
    return organisation.conduct_codes.order_by("-version").first()


def invitation_create(
    *,
    user: User,
    organisation: Organisation,
    days_valid: int = 7,
    single_use: bool = False,
    note: str = "",
) -> Invitation:
    if not 1 <= days_valid <= 90:
        raise MembershipError(_("An invitation is valid for 1 to 90 days."))
    with transaction.atomic():
        steward = _require(user, "orgs.manage_invitations", organisation)
        invitation = Invitation.objects.create(
            organisation=organisation,
            created_by=steward,
            expires_at=timezone.now() + timedelta(days=days_valid),
            single_use=single_use,
            note=note,
        )
        # The token is a secret: the record says that an invitation exists, not how to use it.
        record_append(
            organisation=organisation,
            actor=steward,
            action="invitation.created",
            subject=("invitation", invitation.pk),
            payload={
                "expires_at": invitation.expires_at.isoformat(),
                "single_use": single_use,
                "note": note,
            },
        )
    return invitation


def invitation_revoke(*, user: User, invitation: Invitation) -> Invitation:
    organisation = invitation.organisation
    with transaction.atomic():
        steward = _require(user, "orgs.manage_invitations", organisation)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.revoked_at:
            raise MembershipError(_("This invitation was already revoked."))
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = steward
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        record_append(
            organisation=organisation,
            actor=steward,
            action="invitation.revoked",
            subject=("invitation", invitation.pk),
            payload={},
        )
    return invitation


def _join(
    *, organisation: Organisation, user: User, action: str, payload: dict[str, Any]
) -> Membership:
    """Make the user an active member (again), recording how they came in."""
    membership, created = Membership.objects.select_for_update().get_or_create(
        organisation=organisation, user=user
    )
    if not created:
        if membership.is_active:
            raise MembershipError(_("You are already a member of this organisation."))
        if membership.status == MembershipStatus.EXPELLED:
            raise MembershipError(str(EXPELLED_MESSAGE))
        membership.status = MembershipStatus.ACTIVE
        membership.role = Role.MEMBER
        membership.joined_at = timezone.now()
        membership.left_at = None
        membership.save(update_fields=["status", "role", "joined_at", "left_at"])
    record_append(
        organisation=organisation,
        actor=membership,
        action=action,
        subject=("membership", membership.pk),
        payload={**_member_facts(membership), **payload},
    )
    forget_memberships(user)
    return membership


def invitation_accept(*, user: User, token: str) -> Membership:
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("organisation")
            .filter(token=token)
            .first()
        )
        if invitation is None:
            raise MembershipError(_("This invitation link is not valid. Ask for a new one."))
        state = invitation.state()
        if state != "open":
            messages = {
                "revoked": _("This invitation was revoked. Ask for a new one."),
                "used": _(
                    "This invitation was for one person and has been used. Ask for a new one."
                ),
                "expired": _("This invitation has expired. Ask for a new one."),
            }
            raise MembershipError(messages[state])
        membership = _join(
            organisation=invitation.organisation,
            user=user,
            action="membership.joined",
            payload={"via": "invitation", "invitation": invitation.pk},
        )
        invitation.uses += 1
        invitation.save(update_fields=["uses"])
    return membership


def join_request_create(
    *, user: User, organisation: Organisation, message: str = ""
) -> JoinRequest:
    with transaction.atomic():
        if not user.has_perm("orgs.request_to_join", organisation):
            if active_membership(user, organisation):
                raise MembershipError(_("You are already a member of this organisation."))
            raise PermissionDenied
        if Membership.objects.filter(
            organisation=organisation, user=user, status=MembershipStatus.EXPELLED
        ).exists():
            raise MembershipError(str(EXPELLED_MESSAGE))
        if JoinRequest.objects.filter(
            organisation=organisation, user=user, status=JoinRequestStatus.PENDING
        ).exists():
            raise MembershipError(_("You have already asked to join; your request is pending."))
        request = JoinRequest.objects.create(organisation=organisation, user=user, message=message)
        record_append(
            organisation=organisation,
            actor=None,
            action="membership.join_requested",
            subject=("join_request", request.pk),
            payload={"requester": user.public_name, "message": message},
        )
    return request


def _pending(join_request: JoinRequest) -> JoinRequest:
    locked = (
        JoinRequest.objects.select_for_update()
        .select_related("user", "organisation")
        .get(pk=join_request.pk)
    )
    if locked.status != JoinRequestStatus.PENDING:
        raise MembershipError(_("This request has already been decided or withdrawn."))
    return locked


def join_request_withdraw(*, user: User, join_request: JoinRequest) -> JoinRequest:
    with transaction.atomic():
        if join_request.user_id != user.pk:
            raise PermissionDenied
        join_request = _pending(join_request)
        join_request.status = JoinRequestStatus.WITHDRAWN
        join_request.decided_at = timezone.now()
        join_request.save(update_fields=["status", "decided_at"])
        record_append(
            organisation=join_request.organisation,
            actor=None,
            action="membership.join_request_withdrawn",
            subject=("join_request", join_request.pk),
            payload={"requester": user.public_name},
        )
    return join_request


def join_request_accept(*, user: User, join_request: JoinRequest, reason: str = "") -> Membership:
    organisation = join_request.organisation
    with transaction.atomic():
        steward = _require(user, "orgs.decide_join_requests", organisation)
        join_request = _pending(join_request)
        join_request.status = JoinRequestStatus.ACCEPTED
        join_request.decided_by = steward
        join_request.decided_at = timezone.now()
        join_request.reason = reason
        join_request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        record_append(
            organisation=organisation,
            actor=steward,
            action="membership.join_request_accepted",
            subject=("join_request", join_request.pk),
            payload={"requester": join_request.user.public_name, "reason": reason},
        )
        return _join(
            organisation=organisation,
            user=join_request.user,
            action="membership.joined",
            payload={"via": "join_request", "join_request": join_request.pk},
        )


def join_request_refuse(*, user: User, join_request: JoinRequest, reason: str) -> JoinRequest:
    """Refuse a join request; the stated reason is public on the record."""
    if not reason.strip():
        raise MembershipError(_("Refusing a request needs a stated reason."))
    organisation = join_request.organisation
    with transaction.atomic():
        steward = _require(user, "orgs.decide_join_requests", organisation)
        join_request = _pending(join_request)
        join_request.status = JoinRequestStatus.REFUSED
        join_request.decided_by = steward
        join_request.decided_at = timezone.now()
        join_request.reason = reason
        join_request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        record_append(
            organisation=organisation,
            actor=steward,
            action="membership.join_request_refused",
            subject=("join_request", join_request.pk),
            payload={"requester": join_request.user.public_name, "reason": reason},
        )
    return join_request


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
        membership = _require(user, "orgs.leave", organisation)
        assert membership is not None
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == Role.ADMIN and not _other_admins(membership):
            raise MembershipError(
                _("You are the last admin. Make another member admin before you leave.")
            )
        previous_role = membership.role
        membership.status = MembershipStatus.LEFT
        membership.left_at = timezone.now()
        membership.save(update_fields=["status", "left_at"])
        record_append(
            organisation=organisation,
            actor=membership,
            action="membership.left",
            subject=("membership", membership.pk),
            payload={**_member_facts(membership), "role": previous_role, "reason": reason},
        )
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
        admin = _require(user, "orgs.change_roles", organisation)
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
        membership.save(update_fields=["role"])
        record_append(
            organisation=organisation,
            actor=admin,
            action="membership.role_changed",
            subject=("membership", membership.pk),
            payload={
                "member": membership.pk,
                "display_name": membership.user.public_name,
                "from": previous,
                "to": role,
                "reason": reason,
            },
        )
    forget_memberships(membership.user)
    forget_memberships(user)
    return membership
