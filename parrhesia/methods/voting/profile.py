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
    """Renumber each row's ranked tiers as 0, 1, 2, … keeping order and ties."""
    if ranks.size == 0:
        return ranks.astype(np.int64)
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

    Rows are first hashed to one 64-bit number (a random linear hash) and grouped by that, which
    is far faster than ``np.unique(axis=0)``; a hash collision is detected and then falls back
    to the exact method.
    """
    if len(rows) == 0:
        return rows, np.zeros(0, np.int64)
    multipliers = np.random.default_rng(12345).integers(1, 2**62, rows.shape[1], dtype=np.int64)
    with np.errstate(over="ignore"):
        hashes = (rows * multipliers).sum(axis=1)
    _, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
    unique = rows[first]
    if np.array_equal(unique[inverse], rows):
        return unique, inverse.astype(np.int64)
    unique, inverse = np.unique(rows, axis=0, return_inverse=True)
    return unique, inverse.reshape(-1).astype(np.int64)
