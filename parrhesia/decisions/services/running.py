"""The running count of an open ballot whose results are shown: started at the opening, updated
by each vote in its transaction, its result worded there when cheap and by the worker otherwise
(``decisions.running``; docs/voting.md, "Bounded cost"). Pages only read it.

Ballots whose results are hidden until the close (secret ones included) get none: nothing about
their choices is gathered before the close, as before."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F

from parrhesia.decisions import counting, running
from parrhesia.decisions.models import Ballot, RunningCount, Status, Vote
from parrhesia.decisions.selectors import ballot_facts
from parrhesia.decisions.tasks import running_count_task
from parrhesia.kernel.deferred import task_after_commit


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


def running_count_vote(*, ballot: Ballot, opened: dict[str, Any], before: Any, after: Any) -> None:
    """A vote (``before`` None) or a change of vote, in the vote's transaction: the voter's
    previous choices leave the count and the new ones enter it. The ballot's row is locked by
    the vote, so two votes never update the count at once."""
    stored = RunningCount.objects.filter(ballot=ballot).first()
    if stored is None:  # results hidden: no running count
        return
    count = _loaded(stored, opened)
    if before is not None:
        running.running_add(count, opened, before, -1)
    running.running_add(count, opened, after, 1)
    stored.version += 1
    stored.turnout, stored.scores, stored.valid = count.turnout, count.scores, count.valid
    if count.pairwise is not None:
        stored.pairwise = running.pairwise_bytes(count.pairwise)
    fields = ["version", "turnout", "scores", "valid", "pairwise"]
    if running.counted_inline(opened, count.turnout):
        stored.result, stored.result_version = _result(ballot, opened, count), stored.version
        fields += ["result", "result_version"]
    else:  # the worker's result, which may land meanwhile, is left alone
        task_after_commit(running_count_task, ballot.pk)
    stored.save(update_fields=fields)


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
        turnout=stored.turnout, scores=list(stored.scores), valid=stored.valid, pairwise=pairwise
    )


def _result(ballot: Ballot, opened: dict[str, Any], count: running.Running) -> dict[str, Any]:
    """The result if the vote closed now: from the running count, or (IRV, STV) a recount of
    the ballots, which are read after the count's version, so never fewer than it says."""
    result = running.running_result(opened, count)
    if result is None:
        choices = list(Vote.objects.filter(ballot=ballot).values_list("choices", flat=True))
        result = running.compact(counting.result_count(opened, choices))
    return result
