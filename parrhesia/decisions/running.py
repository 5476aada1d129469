"""An open ballot's running count, kept up to date vote by vote — pure Python, no Django.

The page of an open ballot whose results are shown must never count the ballots: with hundreds
of options and a thousand full rankings that is seconds of CPU per visit (issue 13, finding 10).
So each vote, in its own transaction, adds its choices to what the count reads (and takes the
voter's previous choices away): a motion's counts of each choice, the scores of plurality and
approval, the pairwise matrix of competing motions — O(options), or O(options²) for the
matrix. The result is then worded from these by the same functions the close uses
(``counting.result_of``, ``voting.schulze_from_pairwise``…), so it equals a count of the ballots.

IRV and STV read whole ballots round after round: their running count is a recount of the
ballots, made in the vote's transaction while the ballot is small (:func:`counted_inline`) and by
the worker beyond, as are Schulze's strongest paths (O(options³)) and ranked pairs on many
options. The stored count is a cache: the close always counts the ballots themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from parrhesia.decisions import counting
from parrhesia.methods import voting

MATRIX_METHODS = ("schulze", "ranked-pairs")
SCORE_METHODS = ("plurality", "approval")
# Up to this many options a ranked method's result is worded in the vote's transaction (a few
# milliseconds: docs/benchmarks.md); beyond, by the worker, and the page says "as of vote N".
INLINE_OPTIONS = 30
# IRV and STV recount the ballots: in the vote's transaction only while ballots × options is
# below this.
INLINE_CELLS = 30_000
# A pairwise matrix is drawn on the page (and kept in the running result) up to this many
# options; a larger one is a table nobody reads and megabytes of page (the close's result on
# the record keeps it whole, in the JSON download).
MATRIX_DRAWN_UP_TO = 40
PAIRWISE_DTYPE = "<i4"


@dataclass
class Running:
    """What the count reads, for the ballots counted so far."""

    turnout: int = 0
    # motion: the count of each of counting.MOTION_CHOICES; plurality, approval: per option.
    scores: list[int] = field(default_factory=list)
    # approval: the ballots approving at least one option (the others are not "valid").
    valid: int = 0
    pairwise: Any = None  # competing motions: d[a, b], ballots ranking a above b
    # weighted ballots (counting.is_weighted): the weight of the ballots counted so far
    represented: int = 0


def running_empty(opened: Mapping[str, Any]) -> Running:
    """The running count of a ballot no one has voted on yet."""
    method, size = opened["method"], len(opened["options"])
    if method == "motion":
        return Running(scores=[0] * len(counting.MOTION_CHOICES))
    if method in SCORE_METHODS:
        return Running(scores=[0] * size)
    if method in MATRIX_METHODS:
        return Running(pairwise=np.zeros((size, size), dtype=np.int64))
    return Running()


def running_add(
    running: Running, opened: Mapping[str, Any], choices: Any, sign: int, weight: int = 1
) -> None:
    """Add one ballot's (checked) choices to the count (``sign`` 1), or take them away (-1),
    counted ``weight`` times (a weighted ballot's weight, own and carried)."""
    method = opened["method"]
    running.turnout += sign
    running.represented += sign * weight
    sign *= weight  # what the ballot adds to every score below
    if method == "motion":
        running.scores[counting.MOTION_CHOICES.index(choices)] += sign
        return
    index = counting.option_index(opened)
    if method == "plurality":
        running.scores[index[choices]] += sign
        running.valid += sign
    elif method == "approval":
        for key in choices:
            running.scores[index[key]] += sign
        running.valid += sign if choices else 0
    elif method in MATRIX_METHODS:
        size = len(index)
        tiers = np.full(size, size, dtype=np.int32)  # unranked: equally last
        for number, tier in enumerate(choices):
            tiers[[index[key] for key in tier]] = number
        above = tiers[:, None] < tiers[None, :]
        running.pairwise += sign * above.astype(np.int64)


def counted_inline(opened: Mapping[str, Any], turnout: int) -> bool:
    """Whether the result is worded in the vote's transaction (cheap) or by the worker."""
    method, size = opened["method"], len(opened["options"])
    if method == "motion" or method in SCORE_METHODS:
        return True
    if method in MATRIX_METHODS:
        return size <= INLINE_OPTIONS
    return size <= INLINE_OPTIONS and turnout * size <= INLINE_CELLS


def running_result(opened: Mapping[str, Any], running: Running) -> dict[str, Any] | None:
    """The result if the vote closed now, from the running count alone; None for IRV and STV,
    whose result only a recount of the ballots gives."""
    method, turnout = opened["method"], running.turnout
    # a weighted ballot's tally counts weight: its "ballots" are the weight cast
    weight = running.represented if counting.is_weighted(opened) else None
    ballots = turnout if weight is None else weight
    if method == "motion":
        counts = dict(zip(counting.MOTION_CHOICES, running.scores, strict=True))
        return compact(counting.result_of(opened, turnout, counts, weight))
    if turnout == 0:
        return counting.result_of(opened, 0, None, weight)
    if method not in SCORE_METHODS and method not in MATRIX_METHODS:
        return None
    labels = tuple(option["label"] for option in opened["options"])
    tally: voting.TallyResult
    if method in SCORE_METHODS:
        tally = voting.by_scores(
            labels, method, running.scores, opened["seats"], ballots=ballots, valid=running.valid
        )
    elif method == "schulze":
        tally = voting.schulze_from_pairwise(labels, running.pairwise, ballots)
    else:
        tally = voting.ranked_pairs_from_pairwise(labels, running.pairwise, ballots)
    return compact(counting.result_of(opened, turnout, tally, weight))


def compact(result: dict[str, Any]) -> dict[str, Any]:
    """The result without a matrix too large to draw (kept beside it, in the running count)."""
    tally = result.get("tally") or {}
    if len(tally.get("alternatives") or ()) <= MATRIX_DRAWN_UP_TO:
        return result
    small = {k: v for k, v in tally.items() if k not in ("pairwise", "strongest_paths")}
    return {**result, "tally": small}


def pairwise_bytes(pairwise: Any) -> bytes:
    return bytes(np.ascontiguousarray(pairwise, dtype=PAIRWISE_DTYPE).tobytes())


def pairwise_of(data: bytes | memoryview, size: int) -> Any:
    """The matrix stored by :func:`pairwise_bytes`, as int64 (sums of ballots never wrap)."""
    return np.frombuffer(bytes(data), dtype=PAIRWISE_DTYPE).reshape(size, size).astype(np.int64)
