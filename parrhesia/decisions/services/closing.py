"""Closing a ballot: by a steward (early, where the ballot allows it, or once its time has
come), or by the close task and ``parrhesia due`` at its closing time. The count goes on the
record with the anonymous ballots of a secret vote (or the votes kept back while results were
hidden), decides the agenda item the ballot came from, and tells the electorate."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.decisions import counting
from parrhesia.decisions.actions import Action
from parrhesia.decisions.agenda_seam import agenda_item_conclude, ballot_closed_notify
from parrhesia.decisions.delegation_selectors import delegation_edges
from parrhesia.decisions.models import Ballot, Participation, SecretBallot, Status, Vote
from parrhesia.decisions.selectors import (
    ballot_closable,
    ballot_facts,
    ballot_has_blocks,
    too_few_to_close_early,
)
from parrhesia.decisions.services._shared import BallotError, ballot_locked
from parrhesia.decisions.services.delegations import delegation_capped_record
from parrhesia.kernel.access import member_for
from parrhesia.methods.record.sealed import Sealed
from parrhesia.orgs.models import Membership
from parrhesia.record.services import record_append


def ballot_close(*, user: User, ballot: Ballot, now: datetime | None = None) -> Ballot:
    """A steward closes a ballot early, if the ballot allows it (or after its closing time)."""
    now = now or timezone.now()
    with transaction.atomic():
        steward = member_for(user, ballot, "decisions.close_ballot_early")
        ballot = ballot_locked(ballot)
        if not ballot.is_open:
            raise BallotError(_("This vote is already closed."))
        if now < ballot.closes_at and ballot.early_close_allowed and too_few_to_close_early(ballot):
            raise BallotError(
                _(
                    "A secret vote closes early only once %(n)d members have voted: with fewer,"
                    " their ballots could be told apart."
                )
                % {"n": ballot.min_anonymity}
            )
        if not ballot_closable(ballot, now):
            raise BallotError(_("This vote may not be closed before its closing time."))
        # Where choices are hidden, blocks are answered after the close: refusing here would
        # tell the steward that someone blocked.
        if (
            now < ballot.closes_at
            and not ballot.hides_results
            and ballot_has_blocks(ballot)
            and not ballot.block_answer
        ):
            raise BallotError(
                _("The motion's authors must answer the blocks before an early close.")
            )
        return _close(ballot, steward, now)


def ballot_close_if_due(*, ballot_id: int, now: datetime) -> bool:
    """Close the ballot if its time has come; idempotent (False when nothing was to be done)."""
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().filter(pk=ballot_id).first()
        if ballot is None or not ballot.is_open or now < ballot.closes_at:
            return False
        _close(ballot, None, now)
    return True


def ballots_close_due(*, now: datetime) -> int:
    """Close every ballot past its closing time (catch-up for a worker that was down)."""
    due = Ballot.objects.filter(status=Status.OPEN, closes_at__lte=now).values_list("pk", flat=True)
    return sum(ballot_close_if_due(ballot_id=pk, now=now) for pk in list(due))


def _close(ballot: Ballot, closer: Membership | None, now: datetime) -> Ballot:
    facts = ballot_facts(ballot)
    payload: dict[str, Any] = {}
    weights: list[int] | None = None
    delegation: dict[str, Any] | None = None
    withheld = False
    if ballot.is_secret:
        published = _secret_ballots_publish(ballot)
        ballots = [item["choices"] for item in published]
        if counting.is_weighted(facts):
            weights = [item.get("weight", 1) for item in published]
        # too few voters to stay anonymous, or too few ballots of some weight (those would be
        # known as the ballots of the few who carry it): the ballots are destroyed, not published
        withheld = counting.weight_class_too_small(facts, weights or [])
        if withheld or counting.too_few_to_publish(facts, len(published)):
            SecretBallot.objects.filter(ballot=ballot).delete()
            published = []
        payload["ballots"] = published
        ballot.published_ballots = published
    else:
        votes = list(Vote.objects.filter(ballot=ballot).order_by("member_id"))
        ballots = [vote.choices for vote in votes]
        if ballot.results_hidden:
            payload["votes"] = [_hidden_vote(vote) for vote in votes]
        if counting.is_weighted(facts):
            weights, delegation = _weighing(ballot, facts, votes, now, payload)
    if counting.too_few_to_publish(facts, len(ballots)):
        result = counting.result_withheld(facts, len(ballots))
    else:
        result = counting.result_count(facts, ballots, weights=weights, delegation=delegation)
        if withheld:  # the count only (docs/privacy.md)
            result["ballots_withheld"] = counting.WEIGHT_CLASS_TOO_SMALL
    payload = {"result": result, **payload}
    ballot.status, ballot.closed_at, ballot.closed_by, ballot.result = (
        Status.CLOSED,
        now,
        closer,
        result,
    )
    ballot.carried = delegation
    ballot.save(
        update_fields=["status", "closed_at", "closed_by", "result", "published_ballots", "carried"]
    )
    record_append(
        organisation=ballot.organisation,
        actor=closer,
        action=Action.BALLOT_CLOSED,
        subject=("ballot", ballot.pk),
        payload=payload,
    )
    if delegation is not None and delegation["returned"]:
        delegation_capped_record(ballot, delegation)
    item = agenda_item_conclude(ballot)  # the vote decides the agenda item it came from, if any
    ballot_closed_notify(ballot, item)
    return ballot


def _hidden_vote(vote: Vote) -> dict[str, Any]:
    """A vote kept back while results were hidden, as the close publishes it: the member it
    counts for, and the proxy holder who cast it, if any."""
    cast_by = {"cast_by": vote.cast_by_id} if vote.cast_by_id is not None else {}
    return {
        "member": vote.member_id,
        "choices": vote.choices,
        "reason": Sealed(vote.reason),
        **cast_by,
    }


def _weighing(
    ballot: Ballot, facts: dict[str, Any], votes: list[Vote], now: datetime, payload: dict[str, Any]
) -> tuple[list[int], dict[str, Any] | None]:
    """The weight of each vote (mandates fixed at the opening, and what delegates carry): the
    delegation graph in force now is fixed in the close's entry (``delegations``, record
    order)."""
    pairs: list[tuple[int, int]] = []
    if "delegation" in facts:
        pairs = delegation_edges(
            ballot.organisation, facts["delegation"]["area"], now, ballot.electorate
        )
        payload["delegations"] = [list(pair) for pair in pairs]
    weighing = counting.ballot_weighing(
        facts, voters=[vote.member_id for vote in votes], delegations=pairs
    )
    return [weighing.weights[vote.member_id] for vote in votes], weighing.delegation


def _secret_ballots_publish(ballot: Ballot) -> list[dict[str, Any]]:
    """The anonymous ballots sorted by tracker; the rows are rewritten in that order.

    Rewriting erases whatever the storage kept of the order in which they were cast (row ids,
    PostgreSQL's per-row transaction ids and physical order).
    """
    rows = sorted(SecretBallot.objects.filter(ballot=ballot), key=lambda row: row.tracker)
    if len(rows) != Participation.objects.filter(ballot=ballot).count():
        raise BallotError("secret ballots and participations differ in number")  # never
    SecretBallot.objects.filter(ballot=ballot).delete()
    SecretBallot.objects.bulk_create(
        SecretBallot(
            ballot=ballot,
            choices=row.choices,
            reason=row.reason,
            tracker=row.tracker,
            change_hash=secrets.token_hex(32),  # no one may change a closed ballot
            weight=row.weight,
        )
        for row in rows
    )
    return [
        {
            "tracker": r.tracker,
            "choices": r.choices,
            "reason": r.reason,
            **({"weight": r.weight} if r.weight != 1 else {}),
        }
        for r in rows
    ]
