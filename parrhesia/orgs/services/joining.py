"""The two ways in: an invitation link a steward sends, and a request to join a steward
answers (with a stated reason when refused)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.kernel.access import active_membership, member_for
from parrhesia.methods.record.sealed import Sealed
from parrhesia.orgs.actions import Action, requester_facts
from parrhesia.orgs.models import (
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipStatus,
    Organisation,
)
from parrhesia.orgs.notices import join_answered_notify, join_requested_notify
from parrhesia.orgs.services._shared import EXPELLED_MESSAGE, MembershipError, membership_admit
from parrhesia.record.services import record_append


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
        steward = member_for(user, organisation, "orgs.manage_invitations")
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
            action=Action.INVITATION_CREATED,
            subject=("invitation", invitation.pk),
            payload={
                "expires_at": invitation.expires_at.isoformat(),
                "single_use": single_use,
                "note": Sealed(note),
            },
        )
    return invitation


def invitation_revoke(*, user: User, invitation: Invitation) -> Invitation:
    organisation = invitation.organisation
    with transaction.atomic():
        steward = member_for(user, organisation, "orgs.manage_invitations")
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.revoked_at:
            raise MembershipError(_("This invitation was already revoked."))
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = steward
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        record_append(
            organisation=organisation,
            actor=steward,
            action=Action.INVITATION_REVOKED,
            subject=("invitation", invitation.pk),
            payload={},
        )
    return invitation


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
        membership = membership_admit(
            organisation=invitation.organisation,
            user=user,
            payload={"via": "invitation", "invitation": invitation.pk},
        )
        invitation.uses += 1
        invitation.save(update_fields=["uses"])
    return membership


def join_request_create(
    *, user: User, organisation: Organisation, message: str = ""
) -> JoinRequest:
    with transaction.atomic():
        # Asking to join needs no membership: it is for those who are not members yet.
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
            action=Action.MEMBERSHIP_JOIN_REQUESTED,
            subject=("join_request", request.pk),
            # The message is for the stewards unless an admin chose to publish it: people write
            # where they live or work in it ("block A, flat 12").
            payload=requester_facts(
                user,
                organisation,
                **({"message": Sealed(message)} if organisation.join_messages_public else {}),
            ),
        )
        join_requested_notify(organisation)
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
        # The requester is no member: the permission is on the request, not the organisation.
        if not user.has_perm("orgs.withdraw_join_request", join_request):
            raise PermissionDenied
        join_request = _pending(join_request)
        join_request.status = JoinRequestStatus.WITHDRAWN
        join_request.decided_at = timezone.now()
        join_request.save(update_fields=["status", "decided_at"])
        record_append(
            organisation=join_request.organisation,
            actor=None,
            action=Action.MEMBERSHIP_JOIN_REQUEST_WITHDRAWN,
            subject=("join_request", join_request.pk),
            payload=requester_facts(user, join_request.organisation),
        )
    return join_request


def join_request_accept(*, user: User, join_request: JoinRequest, reason: str = "") -> Membership:
    organisation = join_request.organisation
    with transaction.atomic():
        join_request = _decide(
            user, join_request, JoinRequestStatus.ACCEPTED, reason,
            Action.MEMBERSHIP_JOIN_REQUEST_ACCEPTED,
        )  # fmt: skip
        return membership_admit(
            organisation=organisation,
            user=join_request.user,
            payload={"via": "join_request", "join_request": join_request.pk},
        )


def join_request_refuse(*, user: User, join_request: JoinRequest, reason: str) -> JoinRequest:
    """Refuse a join request; the stated reason is public on the record."""
    if not reason.strip():
        raise MembershipError(_("Refusing a request needs a stated reason."))
    with transaction.atomic():
        join_request = _decide(
            user, join_request, JoinRequestStatus.REFUSED, reason,
            Action.MEMBERSHIP_JOIN_REQUEST_REFUSED,
        )  # fmt: skip
    return join_request


def _decide(
    user: User, join_request: JoinRequest, status: str, reason: str, action: Action
) -> JoinRequest:
    """A steward's decision on a pending request, with its public reason, on the record."""
    organisation = join_request.organisation
    steward = member_for(user, organisation, "orgs.decide_join_requests")
    join_request = _pending(join_request)
    join_request.status = status
    join_request.decided_by = steward
    join_request.decided_at = timezone.now()
    join_request.reason = reason
    join_request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    record_append(
        organisation=organisation,
        actor=steward,
        action=action,
        subject=("join_request", join_request.pk),
        payload=requester_facts(join_request.user, organisation, reason=Sealed(reason)),
    )
    answer = "join_accepted" if status == JoinRequestStatus.ACCEPTED else "join_refused"
    join_answered_notify(join_request.user, organisation, answer, reason)
    return join_request
