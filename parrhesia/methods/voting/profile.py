"""A preference profile: weighted weak orders over named alternatives.

Every ballot is stored as a row of *tiers*: ``ranks[i, a]`` is the tier of alternative ``a`` on
ballot ``i`` (0 = most preferred, equal numbers = tied). Alternatives a ballot does not rank get
the tier ``UNRANKED`` (= the number of alternatives), so that, as the issue asks, unranked
alternatives count as ranked equally last. Identical ballots are grouped into one row with a
count, which is what makes counting a million ballots cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Profile:
    """Grouped ballots: ``ranks`` (rows × alternatives) and ``counts`` (one per row)."""

    alternatives: tuple[str, ...]
    ranks: IntArray
    counts: IntArray

    @property
    def num_alternatives(self) -> int:
        return len(self.alternatives)

    @property
    def unranked(self) -> int:
        """The tier given to unranked alternatives (below every real tier)."""
        return len(self.alternatives)

    @property
    def num_ballots(self) -> int:
        return int(self.counts.sum())

    @classmethod
    def from_rankings(
        cls,
        alternatives: Sequence[str],
        rankings: Iterable[Sequence[Sequence[int]]],
        counts: Iterable[int] | None = None,
    ) -> Profile:
        """Build a profile from rankings given as lists of tiers of alternative indices.

        ``[[0], [2, 1]]`` means: alternative 0 first, then 1 and 2 tied; others unranked.
        """
        m = len(alternatives)
        rows: list[list[int]] = []
        for ranking in rankings:
            row = [m] * m
            for tier, members in enumerate(ranking):
                for a in members:
                    row[a] = tier
            rows.append(row)
        ranks = np.array(rows, dtype=np.int64).reshape(len(rows), m)
        weights = np.ones(len(rows), np.int64) if counts is None else np.array(list(counts))
        return cls(tuple(alternatives), ranks, weights.astype(np.int64)).grouped()

    def grouped(self) -> Profile:
        """Merge identical ballots (after normalising tiers to 0, 1, 2, …).

        Raw rows are grouped first and only the distinct ones normalised (normalising sorts
        every row, the costly step), then grouped again as normalising can make rows equal.
        """
        keep = self.counts > 0
        raw, inverse = group_rows(self.ranks[keep])
        counts = np.bincount(inverse, weights=self.counts[keep], minlength=len(raw))
        unique, inverse = group_rows(normalise_tiers(raw, self.unranked))
        merged = np.bincount(inverse, weights=counts, minlength=len(unique))
        return Profile(self.alternatives, unique, np.rint(merged).astype(np.int64))

    def relabelled(self, permutation: Sequence[int]) -> Profile:
        """The same ballots with alternative ``permutation[i]`` renamed to position ``i``."""
        order = np.asarray(permutation)
        names = tuple(self.alternatives[i] for i in order)
        return Profile(names, self.ranks[:, order], self.counts)

    def strict_prefixes(self) -> IntArray:
        """Each row's ranking up to (not including) its first tied tier, padded with -1.

        This is what IRV and STV count. Scottish rules (SSI 2007/42, rule 2, "non-transferable
        ballot paper") stop a ballot where two or more candidates share the next preference; a
        tie in first place makes the ballot invalid, which here is an all -1 row.
        """
        m = self.num_alternatives
        order = np.argsort(self.ranks, axis=1, kind="stable")
        tiers = np.take_along_axis(self.ranks, order, axis=1)
        same_as_next = np.zeros_like(tiers, dtype=bool)
        same_as_next[:, :-1] = tiers[:, 1:] == tiers[:, :-1]
        same_as_prev = np.zeros_like(tiers, dtype=bool)
        same_as_prev[:, 1:] = same_as_next[:, :-1]
        usable = (tiers < m) & ~same_as_next & ~same_as_prev
        length = np.cumprod(usable, axis=1).sum(axis=1)
        prefixes = np.where(np.arange(m) < length[:, None], order, -1)
        return prefixes.astype(np.int64)


def normalise_tiers(ranks: IntArray, unranked: int) -> IntArray:
    """Renumber each row's ranked tiers as 0, 1, 2, … keeping order and ties.

    Most rows already are (a full ranking 0…m−1, or a ranking cut after its k-th tier): a row
    whose ranked tiers are exactly {0, …, K−1} is left as it is, found with one scatter instead
    of a sort; only the others are sorted.
    """
    if ranks.size == 0:
        return ranks.astype(np.int64)
    clipped = np.minimum(ranks, unranked).astype(np.int64)
    if clipped.min() < 0 or unranked > ranks.shape[1]:
        return _normalise_by_sorting(ranks, unranked)
    present = np.zeros((len(clipped), unranked + 1), dtype=bool)
    present[np.arange(len(clipped))[:, None], clipped] = True
    gapless = (present[:, 1:unranked] <= present[:, : unranked - 1]).all(axis=1)
    if not gapless.all():
        clipped[~gapless] = _normalise_by_sorting(ranks[~gapless], unranked)
    return clipped


def _normalise_by_sorting(ranks: IntArray, unranked: int) -> IntArray:
    order = np.argsort(ranks, axis=1, kind="stable")
    sorted_tiers = np.take_along_axis(ranks, order, axis=1)
    # A new tier starts wherever the sorted value changes; cumulative sum numbers the tiers.
    starts = np.ones_like(sorted_tiers, dtype=bool)
    starts[:, 1:] = sorted_tiers[:, 1:] != sorted_tiers[:, :-1]
    dense = np.cumsum(starts, axis=1) - 1
    dense[sorted_tiers >= unranked] = unranked
    normal = np.empty_like(dense)
    np.put_along_axis(normal, order, dense, axis=1)
    return normal.astype(np.int64)


def group_rows(rows: IntArray) -> tuple[IntArray, IntArray]:
    """Unique rows and, for each input row, the index of its unique row.

    Rows are first hashed to one 64-bit number and grouped by that, which is far faster than
    ``np.unique(axis=0)``; a hash collision is detected and then falls back to the exact
    method.
    """
    if len(rows) == 0:
        return rows, np.zeros(0, np.int64)
    hashes = _row_hashes(rows)
    _, first, inverse, sizes = np.unique(hashes, return_index=True, return_inverse=True,
                                         return_counts=True)
    if len(first) == len(rows):  # all hashes differ, so all rows do
        return rows, np.arange(len(rows), dtype=np.int64)
    unique = rows[first]
    shared = sizes[inverse] > 1  # only rows sharing a hash can be a collision
    if np.array_equal(unique[inverse[shared]], rows[shared]):
        return unique, inverse.astype(np.int64)
    unique, inverse = np.unique(rows, axis=0, return_inverse=True)
    return unique, inverse.reshape(-1).astype(np.int64)


_HASH_CHUNK_CELLS = 1 << 22  # bounds the floating-point copy of the rows
_MULTIPLIER_BITS = 20


def _row_hashes(rows: IntArray) -> IntArray:
    """A random linear hash of each row, identical for identical rows.

    When the values are small (tiers below 2**16, the usual case) two random linear forms are
    computed as one floating-point matrix product (BLAS): every product and partial sum is an
    integer below 2**53, so the result is exact whatever the summation order, and identical
    rows get identical hashes. The two forms are then mixed into one 64-bit number.
    Otherwise, one 64-bit linear form with wrapping integer arithmetic.
    """
    m = rows.shape[1]
    rng = np.random.default_rng(12345)
    small = rows.min() >= 0 and rows.max() < 2**16 and m < 2**(53 - 16 - _MULTIPLIER_BITS)
    if not small:
        multipliers = rng.integers(1, 2**62, m, dtype=np.int64)
        with np.errstate(over="ignore"):
            wide: IntArray = (rows.astype(np.int64) * multipliers).sum(axis=1)
        return wide
    forms = rng.integers(1, 2**_MULTIPLIER_BITS, (m, 2)).astype(np.float64)
    sums = np.empty((len(rows), 2), dtype=np.float64)
    step = max(1, _HASH_CHUNK_CELLS // m)
    for start in range(0, len(rows), step):
        np.matmul(rows[start : start + step].astype(np.float64), forms,
                  out=sums[start : start + step])
    exact = sums.astype(np.int64)
    with np.errstate(over="ignore"):
        mixed: IntArray = exact[:, 0] * np.int64(-7046029254386353131) + exact[:, 1]
    return mixed
