"""Topic delegation: a member gives their vote, for the whole organisation or one area of the
agenda (an item type), to another member, until they revoke it or it expires (renewable); its
rules (on, transitive, the cap, how long) and the mandates (voting weights) are the admins'.
Each change goes on the public record: who delegates to whom is public by design, like the
open votes it applies to (docs/voting.md, "Proxies, delegation and mandates")."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.decisions.actions import Action
from parrhesia.decisions.delegation_selectors import (
    RENEWAL_NOTICE,
    WHOLE,
    area_standing,
    areas_of,
)
from parrhesia.decisions.models import Ballot, DecisionPolicy, Delegation, Mandate
from parrhesia.decisions.selectors import policy_of
from parrhesia.decisions.services._shared import BallotError
from parrhesia.decisions.services.running import running_counts_reweigh
from parrhesia.kernel.access import member_for
from parrhesia.methods.record.sealed import Sealed
from parrhesia.notifications.services import notify
from parrhesia.orgs.models import Membership, MembershipStatus, Organisation
from parrhesia.record.services import record_append


def _payload(delegation: Delegation) -> dict[str, object]:
    return {
        "delegator": delegation.delegator_id,
        "delegate": delegation.delegate_id,
        "area": delegation.area,
        "expires_at": delegation.expires_at.isoformat(),
    }


def delegation_give(
    *,
    user: User,
    organisation: Organisation,
    delegate: Membership,
    area: str = WHOLE,
    now: datetime | None = None,
) -> Delegation:
    """Delegate one's vote for ``area`` ("" for the whole organisation) to ``delegate``; it
    replaces one's delegation for that area, if any, and expires after the policy's days."""
    now = now or timezone.now()
    with transaction.atomic():
        member = member_for(user, organisation, "decisions.delegate")
        # Two submissions at once queue here, so the second replaces the first's delegation.
        Membership.objects.select_for_update().filter(pk=member.pk).first()
        if delegate.organisation_id != organisation.pk or delegate.status != (
            MembershipStatus.ACTIVE
        ):
            raise BallotError(_("Delegate only to an active member of this organisation."))
        if delegate.pk == member.pk:
            raise BallotError(_("You cannot delegate to yourself."))
        if area and area not in areas_of(organisation):
            raise BallotError(_("This is not an area of the agenda."))
        policy = policy_of(organisation)
        current = (
            Delegation.objects.select_for_update()
            .filter(delegator=member, area=area, ended_at__isnull=True)
            .first()
        )
        if current is not None:
            current.ended_at = now
            current.save(update_fields=["ended_at"])
        try:
            with transaction.atomic():  # a savepoint: where rows cannot be locked (SQLite)
                delegation = Delegation.objects.create(
                    organisation=organisation,
                    delegator=member,
                    delegate=delegate,
                    area=area,
                    given_at=now,
                    expires_at=now + timedelta(days=policy.delegation_days),
                )
        except IntegrityError:
            raise BallotError(
                _("You delegated for this area at the same moment; see your delegations.")
            ) from None
        record_append(
            organisation=organisation,
            actor=member,
            action=Action.DELEGATION_GIVEN,
            subject=("membership", member.pk),
            payload={**_payload(delegation), "transitive": policy.delegation_transitive},
        )
        running_counts_reweigh(organisation=delegation.organisation, now=now)
        _over_cap_notify(delegation, now)
        notify(
            [delegate.user],
            organisation=organisation,
            kind="delegation_received",
            params={"name": member.user.public_name, "area": area or _("every topic")},
            url=reverse("decisions:delegations", args=[organisation.slug]),
        )
    return delegation


def _over_cap_notify(delegation: Delegation, now: datetime) -> None:
    """Tell the delegator at once if the cap already returns their new delegation (their
    delegate carries the most one may): they can vote themselves or choose someone else."""
    standing = area_standing(delegation.organisation, delegation.area, now)["standing"]
    if delegation.delegator_id in standing.returned_givers():
        notify(
            [delegation.delegator.user],
            organisation=delegation.organisation,
            kind="delegation_over_cap",
            params={"name": delegation.delegate.user.public_name},
            url=reverse("decisions:delegations", args=[delegation.organisation.slug]),
        )


def delegation_revoke(
    *, user: User, delegation: Delegation, now: datetime | None = None
) -> Delegation:
    """End one's delegation now; one's own vote counts alone again from the next close."""
    now = now or timezone.now()
    with transaction.atomic():
        member = member_for(user, delegation.organisation, "decisions.manage_own_delegations")
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if delegation.delegator_id != member.pk:
            raise BallotError(_("Only the member who delegated may revoke this delegation."))
        if delegation.ended_at is not None:
            raise BallotError(_("This delegation has already ended."))
        delegation.ended_at = now
        delegation.save(update_fields=["ended_at"])
        record_append(
            organisation=delegation.organisation,
            actor=member,
            action=Action.DELEGATION_REVOKED,
            subject=("membership", member.pk),
            payload=_payload(delegation),
        )
        running_counts_reweigh(organisation=delegation.organisation, now=now)
    return delegation


def delegation_renew(
    *, user: User, delegation: Delegation, now: datetime | None = None
) -> Delegation:
    """Renew one's delegation for the policy's days from now (an expired one too, while it has
    not ended); it keeps its place in the order of delegations."""
    now = now or timezone.now()
    with transaction.atomic():
        member = member_for(user, delegation.organisation, "decisions.delegate")
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if delegation.delegator_id != member.pk:
            raise BallotError(_("Only the member who delegated may renew this delegation."))
        if delegation.ended_at is not None:
            raise BallotError(_("This delegation has ended; delegate again instead."))
        policy = policy_of(delegation.organisation)
        delegation.expires_at = now + timedelta(days=policy.delegation_days)
        delegation.reminded_at = delegation.expiry_counted_at = None
        delegation.save(update_fields=["expires_at", "reminded_at", "expiry_counted_at"])
        record_append(
            organisation=delegation.organisation,
            actor=member,
            action=Action.DELEGATION_RENEWED,
            subject=("membership", member.pk),
            payload=_payload(delegation),
        )
        running_counts_reweigh(organisation=delegation.organisation, now=now)
    return delegation


def delegations_remind(*, now: datetime) -> int:
    """Tell each delegator whose delegation expires within :data:`RENEWAL_NOTICE` (once per
    delegation and term); run by ``parrhesia due``. How many were told."""
    due = Delegation.objects.filter(
        ended_at__isnull=True,
        reminded_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + RENEWAL_NOTICE,
    ).select_related("organisation", "delegator__user", "delegate__user")
    told = 0
    for delegation in due:
        with transaction.atomic():
            notify(
                [delegation.delegator.user],
                organisation=delegation.organisation,
                kind="delegation_expiring",
                params={
                    "name": delegation.delegate.user.public_name,
                    "deadline": delegation.expires_at.isoformat(),
                },
                url=reverse("decisions:delegations", args=[delegation.organisation.slug]),
                key=f"delegation-{delegation.pk}-{delegation.expires_at.date().isoformat()}",
            )
            Delegation.objects.filter(pk=delegation.pk).update(reminded_at=now)
        told += 1
    return told


def delegations_expired_reweigh(*, now: datetime) -> int:
    """``parrhesia due``'s part: the running counts of the open ballots that take delegations,
    made again in each organisation where a delegation expired since the last look (its weight
    leaves them). The expiry itself was fixed when the delegation was given or renewed and is on
    the record there, so nothing is written on it now; an expired delegation stays renewable
    until it ends. How many expired delegations were seen."""
    expired = (
        Delegation.objects.filter(
            ended_at__isnull=True, expiry_counted_at__isnull=True, expires_at__lte=now
        )
        .values_list("organisation_id", "pk")
        .order_by("organisation_id", "pk")
    )
    by_organisation: dict[int, list[int]] = {}
    for organisation_id, pk in expired:
        by_organisation.setdefault(organisation_id, []).append(pk)
    counted = 0
    for organisation_id, pks in by_organisation.items():
        with transaction.atomic():
            seen = Delegation.objects.filter(
                pk__in=pks, ended_at__isnull=True, expiry_counted_at__isnull=True
            ).update(expiry_counted_at=now)
            if seen:  # another run may have taken them meanwhile
                organisation = Organisation.objects.get(pk=organisation_id)
                running_counts_reweigh(organisation=organisation, now=now)
            counted += seen
    return counted


def delegation_policy_change(
    *,
    user: User,
    organisation: Organisation,
    proxies_max: int,
    delegation_enabled: bool,
    delegation_transitive: bool,
    delegation_cap_percent: int,
    delegation_cap_max: int,
    delegation_days: int,
) -> DecisionPolicy:
    """The admins set how many proxies one member may hold, whether members may delegate by
    topic, transitively or not, the cap on what one delegate carries and how long a
    delegation lasts. Ballots already open keep the rules they opened with."""
    if proxies_max < 0 or delegation_cap_max < 1 or delegation_days < 1:
        raise BallotError(_("These numbers must be positive."))
    if not 0 < delegation_cap_percent <= 100:
        raise BallotError(_("The cap is a percentage of the electorate, from 1 to 100."))
    with transaction.atomic():
        admin = member_for(user, organisation, "decisions.change_policy")
        policy = policy_of(organisation)
        policy.proxies_max = proxies_max
        policy.delegation_enabled = delegation_enabled
        policy.delegation_transitive = delegation_transitive
        policy.delegation_cap_percent = delegation_cap_percent
        policy.delegation_cap_max = delegation_cap_max
        policy.delegation_days = delegation_days
        policy.save()
        record_append(
            organisation=organisation,
            actor=admin,
            action=Action.DELEGATION_POLICY_CHANGED,
            subject=("organisation", organisation.pk),
            payload={
                "proxies_max": proxies_max,
                "delegation_enabled": delegation_enabled,
                "delegation_transitive": delegation_transitive,
                "delegation_cap_percent": delegation_cap_percent,
                "delegation_cap_max": delegation_cap_max,
                "delegation_days": delegation_days,
            },
        )
    return policy


def mandate_set(
    *, user: User, membership: Membership, weight: int, reason: str, now: datetime | None = None
) -> Mandate:
    """An admin gives a membership its voting weight (a section's delegate carrying ``weight``
    mandates), with a reason (sealed on the record); ballots already open keep the weights they
    opened with."""
    now = now or timezone.now()
    reason = reason.strip()
    if not 1 <= weight <= 10000:
        raise BallotError(_("A voting weight is a whole number from 1 to 10000."))
    if not reason:
        raise BallotError(_("Say why this member carries this weight."))
    with transaction.atomic():
        admin = member_for(user, membership.organisation, "decisions.change_mandates")
        if membership.status != MembershipStatus.ACTIVE:
            raise BallotError(_("Only an active member carries mandates."))
        mandate, _created = Mandate.objects.update_or_create(
            membership=membership,
            defaults={"weight": weight, "reason": reason, "changed_at": now},
        )
        record_append(
            organisation=membership.organisation,
            actor=admin,
            action=Action.MANDATE_CHANGED,
            subject=("membership", membership.pk),
            payload={"member": membership.pk, "weight": weight, "reason": Sealed(reason)},
        )
    return mandate


def delegation_capped_record(ballot: Ballot, delegation: dict[str, Any]) -> None:
    """In a close's transaction: the cap returned these delegators' weight (it was not cast);
    on the record beside the count, and each of them is told, to vote themselves next time or
    choose another delegate."""
    returned = list(delegation["returned"])
    record_append(
        organisation=ballot.organisation,
        actor=None,
        action=Action.DELEGATION_CAPPED,
        subject=("ballot", ballot.pk),
        payload={"cap": delegation["cap"], "returned": returned},
    )
    members = Membership.objects.filter(pk__in=returned).select_related("user")
    notify(
        [member.user for member in members],
        organisation=ballot.organisation,
        kind="delegation_capped",
        params={"ballot": ballot.title, "cap": delegation["cap"]},
        url=reverse("decisions:detail", args=[ballot.organisation.slug, ballot.pk]),
    )
