"""When a membership ends (the member left, or a verdict expelled them): what others gave them
to carry, and what they gave others, ends with it (docs/voting.md, "Proxies, delegation and
mandates").

A departed member can no longer vote, revoke or renew, so their topic delegations end, both
those they gave and those given to them, and their proxies not yet used in open ballots are
revoked, both given and held; a proxy already used stays, like the vote it cast. Each ending is
on the record with the entry a member's own revocation writes (``delegation.revoked``,
``proxy.revoked``), its actor ``null`` and ``"why": "membership_ended"``; the member on the
other side is told. Run by the kernel's membership-end hook (``kernel.membership_hooks``), in
the transaction that ended the membership.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.urls import reverse

from parrhesia.decisions.actions import Action
from parrhesia.decisions.models import Ballot, Delegation, Proxy, Status
from parrhesia.decisions.services.running import running_counts_reweigh
from parrhesia.notifications.services import notify
from parrhesia.orgs.models import Membership, MembershipStatus
from parrhesia.record.services import record_append

WHY = "membership_ended"  # the record's reason for an ending nobody asked for


def _other_side(ended: Membership, one: Membership, other: Membership) -> Membership | None:
    """Whichever of the two is not the member who left, if still an active member."""
    side = other if one.pk == ended.pk else one
    return side if side.status == MembershipStatus.ACTIVE else None


def membership_hand_overs_end(*, membership_id: int, now: datetime) -> None:
    """End the member's delegations and revoke their unused proxies in open ballots."""
    member = Membership.objects.select_related("organisation", "user").get(pk=membership_id)
    organisation = member.organisation
    delegations = list(
        Delegation.objects.select_for_update()
        .filter(Q(delegator=member) | Q(delegate=member), ended_at__isnull=True)
        .select_related("delegator__user", "delegate__user")
        .order_by("given_at", "pk")
    )
    for delegation in delegations:
        delegation.ended_at = now
        delegation.save(update_fields=["ended_at"])
        record_append(
            organisation=organisation,
            actor=None,
            action=Action.DELEGATION_REVOKED,
            subject=("membership", delegation.delegator_id),
            payload={
                "delegator": delegation.delegator_id,
                "delegate": delegation.delegate_id,
                "area": delegation.area,
                "expires_at": delegation.expires_at.isoformat(),
                "why": WHY,
            },
        )
        other = _other_side(member, delegation.delegator, delegation.delegate)
        if other is not None:
            notify(
                [other.user],
                organisation=organisation,
                kind="delegation_ended",
                params={"name": member.user.public_name},
                url=reverse("decisions:delegations", args=[organisation.slug]),
            )
    _proxies_revoke(member)
    if delegations:
        running_counts_reweigh(organisation=organisation, now=now)


def _proxies_revoke(member: Membership) -> None:
    """The member's unused proxies in open ballots, given and held, revoked (each ballot locked
    first, as a vote locks it, so that no proxy is used while it is revoked)."""
    ballot_ids = sorted(
        set(
            Proxy.objects.filter(
                Q(giver=member) | Q(holder=member), ballot__status=Status.OPEN
            ).values_list("ballot_id", flat=True)
        )
    )
    for ballot in Ballot.objects.select_for_update().filter(pk__in=ballot_ids).order_by("pk"):
        if ballot.status != Status.OPEN:  # closed meanwhile: its proxies are history
            continue
        proxies = Proxy.objects.filter(
            Q(giver=member) | Q(holder=member), ballot=ballot, used_at__isnull=True
        ).select_related("giver__user", "holder__user")
        for proxy in proxies:
            record_append(
                organisation=member.organisation,
                actor=None,
                action=Action.PROXY_REVOKED,
                subject=("ballot", ballot.pk),
                payload={"giver": proxy.giver_id, "holder": proxy.holder_id, "why": WHY},
            )
            other = _other_side(member, proxy.giver, proxy.holder)
            proxy.delete()
            if other is not None:
                notify(
                    [other.user],
                    organisation=member.organisation,
                    kind="proxy_ended",
                    params={"name": member.user.public_name, "ballot": ballot.title},
                    url=reverse("decisions:detail", args=[member.organisation.slug, ballot.pk]),
                )
