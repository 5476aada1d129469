"""Pairwise (head-to-head) counts: ``d[a, b]`` = number of ballots ranking a strictly above b."""

from __future__ import annotations

import numpy as np

from parrhesia.methods.voting.profile import IntArray, Profile

_CHUNK_CELLS = 4_000_000  # alternatives × ballots compared at once: bounds temporary memory


def pairwise_matrix(profile: Profile) -> IntArray:
    """``d[a, b] = Σ_ballots count · [tier(a) < tier(b)]`` (Schulze 2011, §2.1, N[a, b]).

    Identical ballots are already grouped, so the work is rows × alternatives² comparisons.
    They are done one alternative against all others at a time on a (alternatives × ballots)
    layout, so that each comparison is one long vectorised numpy operation followed by a
    matrix–vector product with the ballot counts (BLAS).
    """
    m = profile.num_alternatives
    tiers = np.ascontiguousarray(profile.ranks.T.astype(np.int32))  # (m, rows)
    weights = profile.counts.astype(np.float64)
    totals = np.zeros((m, m), dtype=np.float64)
    rows = tiers.shape[1]
    step = max(1, _CHUNK_CELLS // max(m, 1))
    for start in range(0, rows, step):
        block = tiers[:, start : start + step]
        w = weights[start : start + step]
        ranked = block < m
        for a in range(m):
            # A ballot that leaves a unranked prefers a to nothing: with truncated ballots
            # (typical when there are many alternatives) only a few rows need comparing.
            where = ranked[a]
            if where.mean() < 0.5:
                sub, sub_w = block[:, where], w[where]
            else:
                sub, sub_w = block, w
            totals[a] += (sub[a] < sub) @ sub_w
    # Counts are whole numbers below 2**53, so the float sums are exact.
    return np.rint(totals).astype(np.int64)
