"""Ballots moving between candidates' piles, shared by IRV and STV.

Each row is a group of identical ballots: its strict preference prefix (see
``Profile.strict_prefixes``), how many ballots it stands for, the value of each of those ballots
(an integer number of ``unit``s; STV values have five decimals, so unit = 100 000) and the
position of the preference it currently counts for. Identical ballots are always transferred
together at the same value, so the groups never need splitting.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from parrhesia.methods.voting.profile import IntArray, Profile

EXHAUSTED = -1


class BallotPiles:
    """Who each group of ballots counts for, and at what value."""

    def __init__(self, profile: Profile, unit: int) -> None:
        prefixes = profile.strict_prefixes()
        valid = prefixes[:, 0] >= 0 if prefixes.shape[1] else np.zeros(len(prefixes), bool)
        padding = np.full((int(valid.sum()), 1), EXHAUSTED, dtype=np.int64)
        self.prefs: IntArray = np.hstack([prefixes[valid], padding])
        self.counts: IntArray = profile.counts[valid].astype(np.int64)
        self.values: IntArray = np.full(len(self.counts), unit, dtype=np.int64)
        self.position: IntArray = np.zeros(len(self.counts), dtype=np.int64)
        self.holder: IntArray = self.prefs[:, 0].copy()
        self.continuing = np.ones(profile.num_alternatives, dtype=bool)
        self.num_candidates = profile.num_alternatives
        self.valid_ballots = int(self.counts.sum())
        self.invalid_ballots = profile.num_ballots - self.valid_ballots

    def totals(self) -> IntArray:
        """Sum of ballot values held by each candidate (exhausted ballots excluded)."""
        held = self.holder >= 0
        # Float sums of integers below 2**53 are exact.
        sums = np.bincount(
            self.holder[held],
            weights=(self.counts[held] * self.values[held]).astype(np.float64),
            minlength=self.num_candidates,
        )
        return np.rint(sums).astype(np.int64)

    def rows_held_by(self, candidate: int) -> IntArray:
        return np.flatnonzero(self.holder == candidate)

    def move_on(self, rows: IntArray) -> IntArray:
        """Pass ``rows`` to their next continuing preference; returns the rows that exhausted."""
        position = self.position[rows] + 1
        while True:
            nxt = self.prefs[rows, position]
            skip = (nxt >= 0) & ~self.continuing[np.maximum(nxt, 0)]
            if not skip.any():
                break
            position[skip] += 1
        self.position[rows] = position
        self.holder[rows] = nxt
        exhausted: IntArray = rows[nxt == EXHAUSTED]
        return exhausted


def break_tie(
    tied: Sequence[int], history: Sequence[IntArray], lowest: bool, lot: random.Random
) -> tuple[int, str]:
    """Pick one of ``tied`` by the most recent earlier stage where they differ, else by lot.

    SSI 2007/42 rules 49(2) and 51(2): look back to the most recent preceding stage at which
    the tied candidates had unequal votes and take the one with the most (surplus) or fewest
    (exclusion) votes there; if several still tie, keep looking further back among them; if
    they were equal at every stage, draw lots (``lot`` is a seeded ``random.Random``, so the
    draw is reproducible). Returns the choice and how it was made.
    """
    remaining = sorted(tied)
    for snapshot in reversed(history):
        values = snapshot[remaining]
        extreme = values.min() if lowest else values.max()
        narrowed = [c for c, v in zip(remaining, values, strict=True) if v == extreme]
        if len(narrowed) < len(remaining):
            remaining = narrowed
            if len(remaining) == 1:
                return remaining[0], "earlier stage"
    return lot.choice(remaining), "lot"
