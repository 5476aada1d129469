"""Every read on proxies, topic delegations and mandates (docs/voting.md, "Proxies, delegation
and mandates"): the rules a ballot fixes at its opening, the delegation graph in force, who holds
whose proxy, a member's delegations and who delegates to them.

A ballot's *area* is the item type of the agenda item it decides (or is held in); a ballot with
no agenda item has none, and only delegations for the whole organisation apply to it. For one
ballot each delegator has at most one delegate: their delegation for its area if they have one,
else their delegation for the whole organisation.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q

from parrhesia.agenda.models import AgendaItem
from parrhesia.decisions import counting
from parrhesia.decisions.models import (
    Ballot,
    DecisionPolicy,
    Delegation,
    Mandate,
    Proxy,
    Secrecy,
    Vote,
)
from parrhesia.decisions.selectors import policy_of
from parrhesia.methods.voting.delegation import delegation_cap, delegation_standing
from parrhesia.orgs.models import Membership, MembershipStatus, Organisation

WHOLE = ""  # the area of a delegation for the whole organisation
# A renewal reminder (a notice, and a row of the to-do) comes this long before one expires.
RENEWAL_NOTICE = timedelta(days=14)


def ballot_delegation_cap(policy: DecisionPolicy, electorate_size: int) -> int:
    """The most delegated weight one delegate may carry in a ballot of this electorate: the
    policy's percentage of it or its maximum, whichever is smaller, and at least 1."""
    return delegation_cap(
        electorate_size, percent=policy.delegation_cap_percent, most=policy.delegation_cap_max
    )


def delegation_rules_at_opening(ballot: Ballot, policy: DecisionPolicy) -> dict[str, Any] | None:
    """What a ballot fixes of delegation when it opens: None where delegation does not apply
    (it is off, the ballot is secret, or its choices are hidden while it runs, so that
    delegators could not see their delegate's vote and override it)."""
    if not policy.delegation_enabled or ballot.secrecy != Secrecy.OPEN or ballot.results_hidden:
        return None
    return {
        "area": ballot.area,
        "transitive": policy.delegation_transitive,
        "cap": ballot_delegation_cap(policy, len(ballot.electorate)),
    }


def weights_of(member_ids: Iterable[int]) -> dict[int, int]:
    """The voting weight (mandates) of each of these memberships that does not weigh 1."""
    return dict(
        Mandate.objects.filter(membership_id__in=list(member_ids))
        .exclude(weight=1)
        .values_list("membership_id", "weight")
    )


def in_force(organisation: Organisation, at: datetime) -> Q:
    """Delegations in force at ``at``: not ended nor expired, between two active members (a
    membership's end ends them, ``services.leavers``; this keeps older rows right too)."""
    return Q(
        organisation=organisation,
        ended_at__isnull=True,
        expires_at__gt=at,
        given_at__lte=at,
        delegator__status=MembershipStatus.ACTIVE,
        delegate__status=MembershipStatus.ACTIVE,
    )


def delegation_edges(
    organisation: Organisation, area: str, at: datetime, members: Iterable[int] | None = None
) -> list[tuple[int, int]]:
    """``(delegator, delegate)`` in force for a ballot of ``area`` at ``at``, in record order
    (the order the delegations were given: a renewal keeps its place); each delegator's
    delegation for the area wins over their delegation for the whole organisation. Only
    between ``members`` (a ballot's electorate) when given."""
    rows = Delegation.objects.filter(in_force(organisation, at), area__in={WHOLE, area})
    chosen: dict[int, tuple[int, int]] = {}  # delegator → (row id, delegate)
    for pk, delegator, delegate, row_area in rows.values_list(
        "pk", "delegator_id", "delegate_id", "area"
    ):
        if row_area == area or delegator not in chosen:
            chosen[delegator] = (pk, delegate)
    allowed = None if members is None else set(members)
    pairs = sorted((pk, delegator, delegate) for delegator, (pk, delegate) in chosen.items())
    return [
        (delegator, delegate)
        for _pk, delegator, delegate in pairs
        if allowed is None or (delegator in allowed and delegate in allowed)
    ]


def areas_of(organisation: Organisation) -> list[str]:
    """The areas one may delegate for: the organisation's item types (its agenda policies and
    the items opened so far)."""
    types = set(
        AgendaItem.objects.filter(organisation=organisation).values_list("item_type", flat=True)
    )
    types |= set(organisation.agenda_policies.values_list("item_type", flat=True))
    return sorted(types)


def delegations_given(membership: Membership, at: datetime) -> list[Delegation]:
    """A member's delegations in force (expired ones too, until they end, to be renewed)."""
    return list(
        Delegation.objects.filter(delegator=membership, ended_at__isnull=True)
        .select_related("delegate__user")
        .order_by("area")
    )


def delegations_received(membership: Membership, at: datetime) -> list[dict[str, Any]]:
    """Who delegates to the member, by area, with each delegator's weight (their mandates)."""
    rows = list(
        Delegation.objects.filter(in_force(membership.organisation, at), delegate=membership)
        .select_related("delegator__user")
        .order_by("area", "delegator_id")
    )
    weights = weights_of(row.delegator_id for row in rows)
    return [{"delegation": row, "weight": weights.get(row.delegator_id, 1)} for row in rows]


def proxy_given(ballot: Ballot, member: Membership | None) -> Proxy | None:
    """The proxy the member gave in this ballot, if any."""
    if member is None:
        return None
    return Proxy.objects.filter(ballot=ballot, giver=member).select_related("holder__user").first()


def proxies_held(ballot: Ballot, member: Membership | None) -> list[Proxy]:
    """The proxies the member holds in this ballot, in the order given."""
    if member is None:
        return []
    return list(Proxy.objects.filter(ballot=ballot, holder=member).select_related("giver__user"))


def proxies_of(membership: Membership) -> dict[str, list[Proxy]]:
    """The member's proxies in ballots still open: given and held."""
    open_proxies = Proxy.objects.filter(ballot__status="open").select_related(
        "ballot", "giver__user", "holder__user"
    )
    return {
        "given": list(open_proxies.filter(giver=membership)),
        "held": list(open_proxies.filter(holder=membership)),
    }


def proxy_candidates(ballot: Ballot, member: Membership) -> list[Membership]:
    """The members of the ballot's electorate one may give a proxy to (not oneself)."""
    return list(
        Membership.objects.filter(pk__in=ballot.electorate, status=MembershipStatus.ACTIVE)
        .exclude(pk=member.pk)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )


def delegation_candidates(membership: Membership) -> list[Membership]:
    """The active members one may delegate to (not oneself)."""
    return list(
        Membership.objects.filter(
            organisation_id=membership.organisation_id, status=MembershipStatus.ACTIVE
        )
        .exclude(pk=membership.pk)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )


def mandates_of(organisation: Organisation) -> list[Mandate]:
    """The memberships whose voting weight is not 1, with their reasons."""
    return list(
        Mandate.objects.filter(membership__organisation=organisation)
        .exclude(weight=1)
        .select_related("membership__user")
        .order_by("membership_id")
    )


def delegation_policy(organisation: Organisation) -> DecisionPolicy:
    return policy_of(organisation)


def active_member_ids(organisation: Organisation) -> list[int]:
    return list(
        Membership.objects.filter(
            organisation=organisation, status=MembershipStatus.ACTIVE
        ).values_list("pk", flat=True)
    )


def area_standing(organisation: Organisation, area: str, at: datetime) -> dict[str, Any]:
    """The delegation graph of ``area`` now, among active members, and what each delegate
    would carry if they voted and none of their delegators did (after the cap, with the
    organisation's current rules): ``pairs`` in record order, ``standing``, ``cap``."""
    policy = policy_of(organisation)
    members = active_member_ids(organisation)
    pairs = delegation_edges(organisation, area, at, members)
    cap = ballot_delegation_cap(policy, len(members))
    standing = delegation_standing(
        pairs, weights_of(members), transitive=policy.delegation_transitive, cap=cap
    )
    return {"pairs": pairs, "standing": standing, "cap": cap}


def ballot_carried(ballot: Ballot, at: datetime) -> dict[str, Any] | None:
    """For an open ballot that takes delegations: what each delegate carries and from whom —
    as fixed at the close, or, while it runs, if it closed now (so that delegators see it in
    time to vote themselves). None for other ballots."""
    if ballot.delegation is None:
        return None
    if ballot.carried is not None or not ballot.is_open:
        return ballot.carried
    voters = list(Vote.objects.filter(ballot=ballot).values_list("member_id", flat=True))
    pairs = delegation_edges(ballot.organisation, ballot.delegation["area"], at, ballot.electorate)
    facts = {
        "weights": ballot.weights,
        "delegation": ballot.delegation,
        "electorate": ballot.electorate,
    }
    return counting.ballot_weighing(facts, voters=voters, delegations=pairs).delegation


def member_names(ids: Iterable[int]) -> dict[int, str]:
    return {
        m.pk: m.user.public_name
        for m in Membership.objects.filter(pk__in=set(ids)).select_related("user")
    }


def delegation_candidates_all(organisation: Organisation) -> list[Membership]:
    """The organisation's active members (an admin gives mandates to one of them)."""
    return list(
        Membership.objects.filter(organisation=organisation, status=MembershipStatus.ACTIVE)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )
