"""The decisions app's part of a member's to-do (kernel.todo): open ballots they may vote in and
have not, by each ballot's closing time; delegations about to expire, to renew."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parrhesia.decisions.delegation_selectors import RENEWAL_NOTICE
from parrhesia.decisions.models import Ballot, Delegation, Participation, Status, Vote
from parrhesia.kernel.todo import Todo, todo_register
from parrhesia.orgs.models import Membership


def ballots_to_vote(memberships: Sequence[Membership], now: datetime) -> Iterable[Todo]:
    """Three queries: the open ballots of the member's organisations, then which of them they
    voted in (open ballots keep the vote, secret ones only the participation)."""
    member_of = {membership.organisation_id: membership for membership in memberships}
    ballots = [
        ballot
        for ballot in Ballot.objects.filter(
            organisation_id__in=member_of, status=Status.OPEN, closes_at__gt=now
        ).defer("description", "result", "published_ballots", "block_answer")
        if member_of[ballot.organisation_id].pk in ballot.electorate
    ]
    if not ballots:
        return []
    members = [membership.pk for membership in memberships]
    ids = [ballot.pk for ballot in ballots]
    done = set(
        Vote.objects.filter(ballot_id__in=ids, member_id__in=members).values_list(
            "ballot_id", flat=True
        )
    ) | set(
        Participation.objects.filter(ballot_id__in=ids, member_id__in=members).values_list(
            "ballot_id", flat=True
        )
    )
    rows = []
    for ballot in ballots:
        if ballot.pk in done:
            continue
        organisation = member_of[ballot.organisation_id].organisation
        rows.append(
            Todo(
                uid=f"ballot-{ballot.pk}",
                organisation=organisation,
                kind="ballot",
                title=ballot.title,
                action=_("Vote"),
                url=reverse("decisions:detail", args=[organisation.slug, ballot.pk]),
                deadline=ballot.closes_at,
            )
        )
    return rows


todo_register(ballots_to_vote)


def delegations_to_renew(memberships: Sequence[Membership], now: datetime) -> Iterable[Todo]:
    """One query: the member's delegations that expire within the renewal notice (or have
    expired without ending), to renew or let go."""
    member_of = {membership.pk: membership for membership in memberships}
    rows = Delegation.objects.filter(
        delegator_id__in=member_of,
        ended_at__isnull=True,
        expires_at__lte=now + RENEWAL_NOTICE,
    ).select_related("delegate__user")
    todo = []
    for delegation in rows:
        organisation = member_of[delegation.delegator_id].organisation
        todo.append(
            Todo(
                uid=f"delegation-{delegation.pk}",
                organisation=organisation,
                kind="delegation",
                title=_("Your delegation to %(name)s")
                % {"name": delegation.delegate.user.public_name},
                action=_("Renew or let it expire"),
                url=reverse("decisions:delegations", args=[organisation.slug]),
                deadline=delegation.expires_at,
            )
        )
    return todo


todo_register(delegations_to_renew)
