"""The Schulze method with winning-votes defeat strength.

Source: Markus Schulze, "A new monotonic, clone-independent, reversal symmetric, and
Condorcet-consistent single-winner election method", Social Choice and Welfare 36 (2011)
267–303 — §2.1 (strongest paths), §2.2 (the Floyd–Warshall-style computation) and the
"winning votes" strength of a link: a defeat of b by a (d[a,b] > d[b,a]) is stronger the more
voters prefer a to b, and among equal winning votes, the fewer prefer b to a (as in Debian's
constitution A.6 and LiquidFeedback). Deterministic tie-break: see docs/voting.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parrhesia.methods.voting.pairwise import pairwise_matrix
from parrhesia.methods.voting.profile import IntArray, Profile
from parrhesia.methods.voting.result import TallyResult


def defeat_strengths(d: IntArray, voters: int) -> IntArray:
    """One integer per defeat, ordered as (winning votes ↑, losing votes ↓); 0 for no defeat.

    ``strength[a, b] = d[a,b]·(voters+1) + (voters − d[b,a])`` if ``d[a,b] > d[b,a]``, else 0:
    comparing these integers compares the (winning, −losing) pairs lexicographically.
    """
    wins = d > d.T
    encoded = d * (voters + 1) + (voters - d.T)
    return np.where(wins, encoded, 0).astype(np.int64)


def strongest_paths(strength: IntArray) -> IntArray:
    """Widest paths: ``p[a, b]`` = max over paths a→b of the weakest link (Schulze 2011, §2.3).

    Floyd–Warshall with one vectorised update per intermediate alternative k:
    ``p = max(p, min(p[:, k], p[k, :]))``. Strengths are first replaced by their rank among
    the distinct values (only their order matters), so the loop runs on the smallest integers
    that hold them: 16-bit ones whenever fewer than 32,768 strengths are distinct (always the
    case below 32,768 voters), which halves the memory traffic of the m³ loop.
    """
    values, ordinal = np.unique(strength, return_inverse=True)
    dtype: type[np.signedinteger[Any]] = np.int64
    for candidate in (np.int16, np.int32):
        if len(values) <= np.iinfo(candidate).max:
            dtype = candidate
            break
    paths = ordinal.reshape(strength.shape).astype(dtype)
    np.fill_diagonal(paths, 0)
    through_k = np.empty_like(paths)
    for k in range(len(paths)):
        np.minimum(paths[:, k : k + 1], paths[k : k + 1, :], out=through_k)
        np.maximum(paths, through_k, out=paths)
    np.fill_diagonal(paths, 0)
    widest: IntArray = values[paths].astype(np.int64)
    return widest


def schulze(profile: Profile) -> TallyResult:
    """Schulze winner and ranking of a profile: :func:`schulze_from_pairwise` of its matrix."""
    return schulze_from_pairwise(
        profile.alternatives, pairwise_matrix(profile), profile.num_ballots
    )


def schulze_from_pairwise(alternatives: tuple[str, ...], d: IntArray, voters: int) -> TallyResult:
    """Schulze winner and ranking from the pairwise matrix ``d`` of ``voters`` ballots.

    The matrix is all the method reads, so a running count that keeps ``d`` up to date as
    ballots arrive gets the same result as a count of the ballots themselves.
    a beats b when the strongest path a→b is stronger than b→a (a strict partial order). The
    ranking sorts by the number of alternatives beaten (more first; transitivity puts every
    potential winner ahead of those it beats), then by position in the file. The winner is the
    first of that ranking — an alternative no one beats.
    """
    paths = strongest_paths(defeat_strengths(d, voters))
    defeats = paths > paths.T
    beaten = defeats.sum(axis=1)
    ranking = sorted(range(len(alternatives)), key=lambda a: (-int(beaten[a]), a))
    unbeaten = [a for a in ranking if not defeats[:, a].any()]
    tie_breaks = []
    if len(unbeaten) > 1:
        tie_breaks.append(
            f"{len(unbeaten)} alternatives are unbeaten; chose the one beating most others, "
            "then the earliest in the file"
        )
    return TallyResult(
        method="schulze",
        alternatives=alternatives,
        seats=1,
        winners=[ranking[0]],
        ranking=ranking,
        ballots=voters,
        valid_ballots=voters,
        pairwise=d,
        defeats=defeats,
        strongest_paths=paths // (voters + 1),  # the winning votes of each path's weakest link
        tie_breaks=tie_breaks,
    )
