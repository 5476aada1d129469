"""Single transferable vote under the Scottish local government rules.

Source: The Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1, rules
45–52 (https://www.legislation.gov.uk/ssi/2007/42):

* rule 46 — quota = floor(valid first-preference votes / (seats + 1)) + 1;
* rule 47 — a candidate whose votes reach the quota is elected;
* rule 48 — weighted inclusive Gregory: every ballot held by an elected candidate passes to its
  next continuing preference at value ``surplus × value / total`` truncated to 5 decimals;
  ballots with no next preference are non-transferable;
* rule 49 — the largest surplus first; equal surpluses by the most recent earlier stage where
  the candidates differed, else by lot;
* rule 50 — with no surplus left, the candidate with the fewest votes is excluded and all their
  ballots pass on at their current value in one stage;
* rule 51 — ties for exclusion by earlier stages, else by lot;
* rule 52 — when the continuing candidates are as many as the seats left, they are elected.

Votes are held as integers of 1/100 000, so every step is exact.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np

from parrhesia.methods.voting._piles import BallotPiles, break_tie
from parrhesia.methods.voting.profile import IntArray, Profile
from parrhesia.methods.voting.result import TallyResult

UNIT = 100_000  # five decimal places (rule 48(3))
DEFAULT_SEED = 0


class _ScottishCount:
    """The state of one count: piles, elected candidates, stages and tie-break history."""

    def __init__(self, profile: Profile, seats: int, seed: int) -> None:
        self.names = profile.alternatives
        self.seats = seats
        self.piles = BallotPiles(profile, unit=UNIT)
        self.quota = self.piles.valid_ballots // (seats + 1) + 1
        self.lot = random.Random(seed)
        self.held = np.zeros(profile.num_alternatives, dtype=np.int64)  # after surplus transfer
        self.transferred = np.zeros(profile.num_alternatives, dtype=bool)
        self.elected: list[int] = []
        self.excluded: list[int] = []
        self.pending: list[int] = []  # elected, surplus not yet transferred
        self.non_transferable = 0
        self.history: list[IntArray] = []
        self.stages: list[dict[str, Any]] = []
        self.tie_breaks: list[str] = []

    # --- totals and stages -------------------------------------------------------------
    def totals(self) -> IntArray:
        return self.piles.totals() + self.held

    def continuing(self) -> list[int]:
        return [int(c) for c in np.flatnonzero(self.piles.continuing)]

    def record_stage(self, action: str, candidate: int | None, before: IntArray | None) -> None:
        totals = self.totals()
        self.history.append(totals)
        shown = sorted(set(self.continuing()) | set(self.elected))
        stage: dict[str, Any] = {
            "stage": len(self.stages) + 1,
            "action": action,
            "tallies": {self.names[c]: totals[c] / UNIT for c in shown},
            "non_transferable": self.non_transferable / UNIT,
            "elected": [],
        }
        if candidate is not None:
            stage["candidate"] = self.names[candidate]
        if before is not None:
            delta = totals - before
            stage["transfers"] = {self.names[c]: delta[c] / UNIT for c in shown if delta[c]}
        self.stages.append(stage)

    # --- the rules ---------------------------------------------------------------------
    def elect(self, candidates: list[int]) -> None:
        for c in sorted(candidates):
            self.piles.continuing[c] = False
            self.elected.append(c)
            self.pending.append(c)
            self.stages[-1]["elected"].append(self.names[c])

    def surplus(self, candidate: int) -> int:
        return int(self.totals()[candidate]) - self.quota * UNIT

    def transfer_surplus(self, candidate: int) -> None:
        """Rule 48: every ballot passes on at surplus × value / total, truncated."""
        before = self.totals()
        total = int(before[candidate])
        surplus = total - self.quota * UNIT
        rows = self.piles.rows_held_by(candidate)
        values = (surplus * self.piles.values[rows]) // total
        kept = self.piles.counts[rows] * (self.piles.values[rows] - values)
        self.piles.values[rows] = values
        exhausted = self.piles.move_on(rows)
        # Exhausted ballots now carry their transfer value, which is lost (rule 48(1)(b)).
        lost = self.piles.counts[exhausted] * self.piles.values[exhausted]
        self.non_transferable += int(lost.sum())
        self.held[candidate] = int(kept.sum())
        self.pending.remove(candidate)
        self.record_stage("surplus", candidate, before)

    def exclude(self, candidate: int) -> None:
        """Rule 50: all the candidate's ballots pass on at their current value."""
        before = self.totals()
        self.piles.continuing[candidate] = False
        self.excluded.append(candidate)
        exhausted = self.piles.move_on(self.piles.rows_held_by(candidate))
        self.non_transferable += int(
            (self.piles.counts[exhausted] * self.piles.values[exhausted]).sum()
        )
        self.record_stage("exclusion", candidate, before)

    def choose(self, tied: list[int], lowest: bool, what: str) -> int:
        if len(tied) == 1:
            return tied[0]
        choice, how = break_tie(tied, self.history, lowest, self.lot)
        stage = len(self.stages)
        self.tie_breaks.append(f"after stage {stage}: {what} {self.names[choice]} by {how}")
        return choice

    def reaching_quota(self) -> list[int]:
        totals = self.totals()
        return [c for c in self.continuing() if totals[c] >= self.quota * UNIT]

    def largest_surplus(self) -> int | None:
        surpluses = {c: self.surplus(c) for c in self.pending}
        surpluses = {c: s for c, s in surpluses.items() if s > 0}
        for c in [c for c in self.pending if c not in surpluses]:
            self.pending.remove(c)  # exactly the quota: nothing to transfer
        if not surpluses:
            return None
        top = max(surpluses.values())
        return self.choose([c for c, s in surpluses.items() if s == top], False, "surplus of")

    def fill_remaining_seats(self) -> bool:
        """Rule 52; True when the count is over."""
        remaining = self.seats - len(self.elected)
        if len(self.continuing()) <= remaining:
            self.elect(self.continuing())
            return True
        return remaining <= 0

    def run(self) -> None:
        self.record_stage("first preferences", None, None)
        while len(self.elected) < self.seats:
            newly = self.reaching_quota()
            if newly:
                self.elect(newly)
                while (chosen := self.largest_surplus()) is not None:
                    self.transfer_surplus(chosen)
                    if self.reaching_quota():
                        break
                if self.fill_remaining_seats():
                    break
                continue
            chosen = self.largest_surplus()
            if chosen is not None:
                self.transfer_surplus(chosen)
                continue
            if self.fill_remaining_seats():
                break
            totals = self.totals()
            continuing = self.continuing()
            fewest = min(int(totals[c]) for c in continuing)
            tied = [c for c in continuing if totals[c] == fewest]
            self.exclude(self.choose(tied, True, "excluded"))


def scottish_stv(profile: Profile, seats: int, seed: int = DEFAULT_SEED) -> TallyResult:
    """Elect ``seats`` candidates by Scottish STV; ``seed`` fixes the lot for unbreakable ties."""
    if not 1 <= seats <= profile.num_alternatives:
        raise ValueError(f"seats must be between 1 and {profile.num_alternatives}")
    count = _ScottishCount(profile, seats, seed)
    count.run()
    final = count.history[-1]
    unplaced = [c for c in count.continuing() if c not in count.elected]
    unplaced.sort(key=lambda c: (-int(final[c]), c))
    return TallyResult(
        method="stv",
        alternatives=profile.alternatives,
        seats=seats,
        winners=list(count.elected),
        ranking=[*count.elected, *unplaced, *reversed(count.excluded)],
        ballots=profile.num_ballots,
        valid_ballots=count.piles.valid_ballots,
        rounds=count.stages,
        quota=float(count.quota),
        tie_breaks=count.tie_breaks,
    )
