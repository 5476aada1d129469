"""Ranked pairs (Tideman 1987) with winning votes.

Source: T. N. Tideman, "Independence of clones as a criterion for voting rules", Social Choice
and Welfare 4 (1987) 185–206. Majorities are taken in order of strength — winning votes, then
fewer losing votes (same order as :func:`~parrhesia.methods.voting.schulze.defeat_strengths`),
then, for a deterministic result, by position in the file of the winner and then of the loser —
and each is locked in unless it would close a cycle with those already locked.
"""

from __future__ import annotations

import numpy as np

from parrhesia.methods.voting.pairwise import pairwise_matrix
from parrhesia.methods.voting.profile import IntArray, Profile
from parrhesia.methods.voting.result import TallyResult
from parrhesia.methods.voting.schulze import defeat_strengths


def ranked_pairs(profile: Profile) -> TallyResult:
    """Ranked-pairs winner and the ranking given by the locked graph."""
    return ranked_pairs_from_pairwise(
        profile.alternatives, pairwise_matrix(profile), profile.num_ballots
    )


def ranked_pairs_from_pairwise(
    alternatives: tuple[str, ...], d: IntArray, voters: int
) -> TallyResult:
    """Ranked pairs from the pairwise matrix ``d`` of ``voters`` ballots (all it reads)."""
    m = len(alternatives)
    strength = defeat_strengths(d, voters)
    winners_idx, losers_idx = np.nonzero(strength)
    order = np.lexsort((losers_idx, winners_idx, -strength[winners_idx, losers_idx]))
    # reach[x, y]: y is reachable from x through locked pairs (transitive closure, reflexive)
    reach = np.eye(m, dtype=bool)
    locked: list[tuple[int, int]] = []
    tied_strengths = len(np.unique(strength[winners_idx, losers_idx])) < len(order)
    for index in order:
        a, b = int(winners_idx[index]), int(losers_idx[index])
        if reach[b, a]:
            continue  # would close a cycle
        locked.append((a, b))
        if not reach[a, b]:
            reach |= np.outer(reach[:, a], reach[b, :])
    # Each alternative comes after everything that reaches it: sort by number of ancestors.
    ancestors = reach.sum(axis=0) - 1
    ranking = sorted(range(m), key=lambda x: (int(ancestors[x]), x))
    defeats = reach & ~np.eye(m, dtype=bool)
    tie_breaks = []
    if tied_strengths:
        tie_breaks.append("pairs of equal strength were taken in file order of winner, then loser")
    if m > 1 and not defeats[ranking[0], ranking[1]]:
        tie_breaks.append("several alternatives are unbeaten; chose the earliest in the file")
    return TallyResult(
        method="ranked-pairs",
        alternatives=alternatives,
        seats=1,
        winners=[ranking[0]],
        ranking=ranking,
        ballots=voters,
        valid_ballots=voters,
        pairwise=d,
        defeats=defeats,
        locked_pairs=locked,
        tie_breaks=tie_breaks,
    )
