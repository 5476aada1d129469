"""Reads on organisations: their members, requests to join, invitations and codes of conduct."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from parrhesia.accounts.two_factor import has_two_factor, two_factor_deadline, two_factor_required
from parrhesia.methods.record.sealed import pointer_get
from parrhesia.orgs.models import (
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
from parrhesia.record.models import RecordEntry
from parrhesia.record.services import sealed_values


def organisations_of(user: Any) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    # A subquery, not a join on memberships: the join would narrow the count to the viewer's own.
    mine = Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
    return Organisation.objects.filter(pk__in=mine.values("organisation")).annotate(
        member_count=_active_count()
    )


def organisations_public() -> QuerySet[Organisation]:
    return Organisation.objects.filter(visibility=Visibility.PUBLIC).annotate(
        member_count=_active_count()
    )


def _active_count() -> Count:
    return Count(
        "memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE), distinct=True
    )


def members_active(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation, status=MembershipStatus.ACTIVE)
        .select_related("user")
        .order_by("user__display_name", "user__username")
    )


def member_active_get(organisation: Organisation, membership_id: int) -> Membership:
    """An active membership of the organisation, with its user; 404 otherwise."""
    return get_object_or_404(
        Membership.objects.select_related("user"),
        pk=membership_id,
        organisation=organisation,
        status=MembershipStatus.ACTIVE,
    )


def join_request_get(organisation: Organisation, request_id: int) -> JoinRequest:
    """A request to join the organisation, whatever its state; 404 otherwise."""
    return get_object_or_404(JoinRequest, pk=request_id, organisation=organisation)


def join_request_with_requester_get(organisation: Organisation, request_id: int) -> JoinRequest:
    """A request to join the organisation with who asked (the page names them); 404 otherwise."""
    return get_object_or_404(
        JoinRequest.objects.select_related("user"), pk=request_id, organisation=organisation
    )


def join_request_own_get(user: Any, organisation: Organisation, request_id: int) -> JoinRequest:
    """The user's own request to join the organisation; 404 for anyone else's."""
    return get_object_or_404(JoinRequest, pk=request_id, organisation=organisation, user=user)


def join_requests_pending(organisation: Organisation) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(
        organisation=organisation, status=JoinRequestStatus.PENDING
    ).select_related("user")


def join_requests_decided(organisation: Organisation, limit: int = 50) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(organisation=organisation)
        .exclude(status=JoinRequestStatus.PENDING)
        .select_related("user", "decided_by__user")[:limit]
    )


def join_request_pending_of(user: Any, organisation: Organisation) -> JoinRequest | None:
    if not user.is_authenticated:
        return None
    return join_requests_pending(organisation).filter(user=user).first()


def invitations_of(organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation=organisation).select_related("created_by__user")


def invitation_get(organisation: Organisation, invitation_id: int) -> Invitation:
    """An invitation of the organisation, with who created it; 404 otherwise."""
    return get_object_or_404(
        Invitation.objects.select_related("created_by__user"),
        pk=invitation_id,
        organisation=organisation,
    )


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation an invitation link names, with its organisation (None if none does)."""
    return Invitation.objects.select_related("organisation").filter(token=token).first()


def conduct_code_current(organisation: Organisation) -> ConductCode | None:
    """The version of the code of conduct in force (None only before the founding commits)."""
    return organisation.conduct_codes.order_by("-version").first()


def conduct_codes_of(organisation: Organisation) -> QuerySet[ConductCode]:
    """Every version of the code of conduct, newest first, with who adopted it."""
    return organisation.conduct_codes.select_related("created_by__user").order_by("-version")


def roles_awaiting_two_factor(user: Any) -> list[Membership]:
    """The user's steward and admin roles that need two-factor authentication they have not
    set up (none if they have it, or if the site does not require it); each membership's
    ``two_factor_deadline`` says until when the role holds without it (orgs.rules.is_steward)."""
    if not user.is_authenticated or not two_factor_required() or has_two_factor(user):
        return []
    memberships = list(
        Membership.objects.filter(
            user=user,
            status=MembershipStatus.ACTIVE,
            role__in=[Role.STEWARD, Role.ADMIN],
            organisation__is_demo=False,
        ).select_related("organisation")
    )
    for membership in memberships:
        membership.two_factor_deadline = two_factor_deadline(membership.role_since)
    return memberships


def erasure_entry_get(organisation: Organisation, seq: int) -> RecordEntry:
    """The record entry a steward may erase values of (404 if the record has no such entry)."""
    return get_object_or_404(RecordEntry, organisation=organisation, seq=seq)


def erasable_values(organisation: Organisation, entry: RecordEntry) -> list[tuple[str, str]]:
    """``(pointer, the value as text)`` of each sealed value of the entry still disclosed."""
    document = {"payload": entry.payload}
    values = []
    for _seq, pointer in sealed_values(organisation, seqs=[entry.seq]):
        value = pointer_get(document, pointer)
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        values.append((pointer, text))
    return values
