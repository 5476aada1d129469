"""Pairwise (head-to-head) counts: ``d[a, b]`` = number of ballots ranking a strictly above b."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from parrhesia.methods.voting.profile import IntArray, Profile

_CHUNK_CELLS = 4_000_000  # alternatives × ballots compared at once: bounds temporary memory
_BY_BALLOT_FROM = 64  # alternatives: from here on, one ballot at a time is faster
_UINT8_MAX = 255


def pairwise_matrix(profile: Profile) -> IntArray:
    """``d[a, b] = Σ_ballots count · [tier(a) < tier(b)]`` (Schulze 2011, §2.1, N[a, b]).

    Identical ballots are already grouped, so the work is rows × alternatives² comparisons
    whichever way it is done; what differs is how much of it numpy does per Python step. With
    few alternatives the rows are many and short, so the comparisons go one alternative at a
    time against all rows; with many alternatives, one ballot at a time against itself.
    """
    if profile.num_alternatives < _BY_BALLOT_FROM:
        return _by_alternative(profile)
    return _by_ballot(profile)


def _by_alternative(profile: Profile) -> IntArray:
    """One alternative against all others at a time, on an (alternatives × ballots) layout.

    Each comparison is one long vectorised operation followed by a matrix–vector product with
    the ballot counts (BLAS).
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
            # only a few rows need comparing.
            where = ranked[a]
            if where.mean() < 0.5:
                sub, sub_w = block[:, where], w[where]
            else:
                sub, sub_w = block, w
            totals[a] += (sub[a] < sub) @ sub_w
    # Counts are whole numbers below 2**53, so the float sums are exact.
    return np.rint(totals).astype(np.int64)


def _by_ballot(profile: Profile) -> IntArray:
    """One ballot at a time: ``d[ranked, :] += count · (tier[ranked, None] < tier[None, :])``.

    Only the alternatives a ballot ranks have anything below them, so a ballot ranking k of m
    alternatives costs k·m comparisons. Ballots cast once (the usual case when ballots are long
    and so rarely repeat) are summed into a byte-sized matrix, flushed into the total every
    255 ballots: the per-ballot work is then one comparison and one byte addition per cell,
    which is what makes 10^4 distinct full rankings of 1,000 alternatives cheap.
    """
    m = profile.num_alternatives
    small = m < np.iinfo(np.int16).max
    tiers: NDArray[np.signedinteger[Any]] = profile.ranks.astype(np.int16 if small else np.int32)
    ranked_counts = (tiers < m).sum(axis=1)
    totals = np.zeros((m, m), dtype=np.int64)
    singles = np.zeros((m, m), dtype=np.uint8)
    pending = 0
    whole = np.empty((m, m), dtype=bool)
    for tier, count, ranked in zip(tiers, profile.counts.tolist(), ranked_counts.tolist(),
                                   strict=True):
        if ranked == 0:
            continue
        rows: slice | IntArray
        if ranked == m:
            rows = slice(None)
            np.less(tier[:, None], tier[None, :], out=whole)
            above = whole
        else:
            rows = np.flatnonzero(tier < m)
            above = tier[rows, None] < tier[None, :]
        if count == 1:
            singles[rows] += above.view(np.uint8)
            pending += 1
            if pending == _UINT8_MAX:
                totals += singles
                singles.fill(0)
                pending = 0
        else:
            totals[rows] += above * count
    totals += singles
    return totals
