"""The running count of an open ballot whose results are shown: started at the opening, updated
by each vote in its transaction, its result worded there when cheap and by the worker otherwise
(``decisions.running``; docs/voting.md, "Bounded cost"). Pages only read it.

Ballots whose results are hidden until the close (secret ones included) get none: nothing about
their choices is gathered before the close, as before."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Case, F, PositiveIntegerField, When
from django.utils import timezone

from parrhesia.decisions import counting, running
from parrhesia.decisions.delegation_selectors import delegation_edges
from parrhesia.decisions.models import Ballot, RunningCount, Status, Vote
from parrhesia.decisions.selectors import ballot_facts
from parrhesia.decisions.tasks import running_count_task
from parrhesia.kernel.deferred import task_after_commit
from parrhesia.orgs.models import Organisation


def running_count_start(*, ballot: Ballot, opened: dict[str, Any]) -> None:
    """At the opening (in its transaction): an empty running count, if the results are shown."""
    if ballot.hides_results:
        return
    empty = running.running_empty(opened)
    RunningCount.objects.create(
        ballot=ballot,
        scores=empty.scores,
        pairwise=None if empty.pairwise is None else running.pairwise_bytes(empty.pairwise),
        result=_result(ballot, opened, empty),
    )


def running_count_vote(
    *, ballot: Ballot, opened: dict[str, Any], before: Any, after: Any, voter: int | None = None
) -> None:
    """A vote (``before`` None) or a change of vote, in the vote's transaction: the voter's
    previous choices leave the count and the new ones enter it, ``voter``'s weight times on a
    weighted ballot. The ballot's row is locked by the vote, so two votes never update the
    count at once. Where delegation applies every vote may move weight (a delegate's vote
    carries their delegators', a delegator's takes it back): the count is made again from the
    votes and the delegations in force now (O(voters))."""
    stored = RunningCount.objects.filter(ballot=ballot).first()
    if stored is None:  # results hidden: no running count
        return
    if "delegation" in opened:
        count = _reweighed(ballot, opened, timezone.now())
    else:
        count = _loaded(stored, opened)
        weight = counting.own_weights(opened).get(voter, 1) if voter is not None else 1
        if before is not None:
            running.running_add(count, opened, before, -1, weight=weight)
        running.running_add(count, opened, after, 1, weight=weight)
    _store(ballot, opened, stored, count)


def running_counts_reweigh(*, organisation: Organisation, now: datetime) -> None:
    """A delegation was given, renewed or revoked (in its transaction): the running counts of
    the organisation's open ballots that take delegations are made again."""
    for ballot in Ballot.objects.select_for_update().filter(
        organisation=organisation, status=Status.OPEN, delegation__isnull=False
    ):
        stored = RunningCount.objects.filter(ballot=ballot).first()
        if stored is not None:
            opened = ballot_facts(ballot)
            _store(ballot, opened, stored, _reweighed(ballot, opened, now))


def _reweighed(ballot: Ballot, opened: dict[str, Any], now: datetime) -> running.Running:
    votes = list(Vote.objects.filter(ballot=ballot).values_list("member_id", "choices"))
    weights = _vote_weights(ballot, opened, [member for member, _ in votes], now)
    count = running.running_empty(opened)
    for member, choices in votes:
        running.running_add(count, opened, choices, 1, weight=weights[member])
    return count


def _vote_weights(
    ballot: Ballot, opened: dict[str, Any], voters: list[int], now: datetime
) -> dict[int, int]:
    """Each voter's weight if the ballot closed now (mandates, and what delegates carry)."""
    pairs: list[tuple[int, int]] = []
    if "delegation" in opened:
        pairs = delegation_edges(
            ballot.organisation, opened["delegation"]["area"], now, ballot.electorate
        )
    return counting.ballot_weighing(opened, voters=voters, delegations=pairs).weights


def _store(
    ballot: Ballot, opened: dict[str, Any], stored: RunningCount, count: running.Running
) -> None:
    stored.version += 1
    stored.turnout, stored.scores, stored.valid = count.turnout, count.scores, count.valid
    stored.represented = count.represented
    if count.pairwise is not None:
        stored.pairwise = running.pairwise_bytes(count.pairwise)
    fields = ["version", "turnout", "scores", "valid", "pairwise", "represented"]
    if running.counted_inline(opened, count.turnout):
        stored.result, stored.result_version = _result(ballot, opened, count), stored.version
        fields += ["result", "result_version"]
    else:  # the worker's result, which may land meanwhile, is left alone
        task_after_commit(running_count_task, ballot.pk)
    stored.save(update_fields=fields)


def running_count_touch(*, ballot_id: int) -> None:
    """Something the page shows beside the count changed (a vote's reason changed alone, or was
    erased): a new version, so that no page keeps the old one (its cached results fragment is
    keyed by the version). A result that was current stays current."""
    RunningCount.objects.filter(ballot_id=ballot_id).update(
        version=F("version") + 1,
        result_version=Case(
            When(result_version=F("version"), then=F("version") + 1),
            default=F("result_version"),
            output_field=PositiveIntegerField(),
        ),
    )


def running_count_refresh(*, ballot_id: int) -> bool:
    """The worker's part: word the result of the running count as it now stands. Several
    votes in quick succession queue several tasks; the first brings the count up to date and
    the others find nothing to do. Whether it stored a newer result."""
    stored = RunningCount.objects.filter(ballot_id=ballot_id).select_related("ballot").first()
    if stored is None or stored.result_version >= stored.version or not stored.ballot.is_open:
        return False
    opened = ballot_facts(stored.ballot)
    result = _result(stored.ballot, opened, _loaded(stored, opened))
    with transaction.atomic():
        # A later vote may have been counted meanwhile: a result never replaces a newer one.
        updated = RunningCount.objects.filter(
            ballot_id=ballot_id, result_version__lt=stored.version
        ).update(result=result, result_version=stored.version)
    return bool(updated)


def running_counts_refresh_due(*, now: datetime) -> int:
    """``parrhesia due``'s part: the running counts a lost task left behind, brought up to date
    (how many). ``now`` is unused: a count is due as soon as a vote is newer than its result."""
    behind = RunningCount.objects.filter(
        ballot__status=Status.OPEN, result_version__lt=F("version")
    ).values_list("ballot_id", flat=True)
    return sum(running_count_refresh(ballot_id=ballot_id) for ballot_id in list(behind))


def _loaded(stored: RunningCount, opened: dict[str, Any]) -> running.Running:
    size = len(opened["options"])
    pairwise = None if stored.pairwise is None else running.pairwise_of(stored.pairwise, size)
    return running.Running(
        turnout=stored.turnout,
        scores=list(stored.scores),
        valid=stored.valid,
        pairwise=pairwise,
        represented=stored.represented,
    )


def _result(ballot: Ballot, opened: dict[str, Any], count: running.Running) -> dict[str, Any]:
    """The result if the vote closed now: from the running count, or (IRV, STV) a recount of
    the ballots, which are read after the count's version, so never fewer than it says."""
    result = running.running_result(opened, count)
    if result is None:
        votes = list(Vote.objects.filter(ballot=ballot).values_list("member_id", "choices"))
        choices = [choice for _, choice in votes]
        weights = None
        if counting.is_weighted(opened):
            by_voter = _vote_weights(ballot, opened, [m for m, _ in votes], timezone.now())
            weights = [by_voter[member] for member, _ in votes]
        result = running.compact(counting.result_count(opened, choices, weights=weights))
    return result
