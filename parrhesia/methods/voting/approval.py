"""Plurality (first preferences) and approval voting, single or multiple winners.

Plurality: a ballot counts for its first preference if that is a single alternative (a ballot
tying several alternatives first has no first preference and is not counted). Approval: a ballot
approves the alternatives in its top tier — for a CSV approval ballot, the ones marked 1; for a
PrefLib ballot, its first choice or the alternatives tied first. Winners are the ``seats``
highest scores; equal scores are ordered by position in the file.
"""

from __future__ import annotations

import numpy as np

from parrhesia.methods.voting.profile import IntArray, Profile
from parrhesia.methods.voting.result import TallyResult

_CHUNK_ROWS = 200_000


def approval_scores(profile: Profile) -> IntArray:
    """``score[a] = Σ count · [tier(a) = 0]``, computed in chunks with a BLAS product."""
    scores = np.zeros(profile.num_alternatives, dtype=np.float64)
    weights = profile.counts.astype(np.float64)
    for start in range(0, len(weights), _CHUNK_ROWS):
        top = profile.ranks[start : start + _CHUNK_ROWS] == 0
        scores += weights[start : start + _CHUNK_ROWS] @ top.astype(np.float64)
    return np.rint(scores).astype(np.int64)


def plurality_scores(profile: Profile) -> tuple[IntArray, int]:
    """First-preference counts, and the number of ballots with a single first preference."""
    top = profile.ranks == 0
    single = top.sum(axis=1) == 1
    first = np.argmax(top[single], axis=1)
    scores = np.bincount(first, weights=profile.counts[single], minlength=profile.num_alternatives)
    return np.rint(scores).astype(np.int64), int(profile.counts[single].sum())


def by_scores(
    alternatives: tuple[str, ...],
    method: str,
    scores: IntArray | list[int],
    seats: int,
    *,
    ballots: int,
    valid: int,
) -> TallyResult:
    """The ``seats`` highest scores win; equal scores go by position in the file. The scores
    are all the count reads, so a running count that keeps them gets the same result."""
    m = len(alternatives)
    if not 1 <= seats <= m:
        raise ValueError(f"seats must be between 1 and {m}")
    ranking = sorted(range(m), key=lambda a: (-int(scores[a]), a))
    tie_breaks = []
    if seats < len(ranking) and scores[ranking[seats - 1]] == scores[ranking[seats]]:
        tie_breaks.append("equal scores at the last seat: chose by position in the file")
    return TallyResult(
        method=method,
        alternatives=alternatives,
        seats=seats,
        winners=ranking[:seats],
        ranking=ranking,
        ballots=ballots,
        valid_ballots=valid,
        scores=[int(s) for s in scores],
        tie_breaks=tie_breaks,
    )


def plurality(profile: Profile, seats: int = 1) -> TallyResult:
    """The ``seats`` alternatives with most first preferences."""
    scores, valid = plurality_scores(profile)
    return by_scores(
        profile.alternatives, "plurality", scores, seats, ballots=profile.num_ballots, valid=valid
    )


def approval(profile: Profile, seats: int = 1) -> TallyResult:
    """The ``seats`` alternatives approved by most ballots."""
    valid = int(profile.counts[(profile.ranks == 0).any(axis=1)].sum())
    scores = approval_scores(profile)
    return by_scores(
        profile.alternatives, "approval", scores, seats, ballots=profile.num_ballots, valid=valid
    )
