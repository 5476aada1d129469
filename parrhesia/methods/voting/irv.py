"""Instant-runoff voting (alternative vote), single seat.

Each round every valid ballot counts for its highest-ranked continuing candidate. A candidate
with more than half of the ballots still counting wins; otherwise the candidate with the fewest
is excluded and those ballots pass on. Ties for the fewest are broken as in Scottish STV
(SSI 2007/42 rule 51): by the most recent earlier round where they differed, then by lot.
Ballots that tie two candidates are counted only up to the tie (see ``strict_prefixes``).
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np

from parrhesia.methods.voting._piles import BallotPiles, break_tie
from parrhesia.methods.voting.profile import IntArray, Profile
from parrhesia.methods.voting.result import TallyResult

DEFAULT_SEED = 0


def instant_runoff(profile: Profile, seed: int = DEFAULT_SEED) -> TallyResult:
    """IRV winner, rounds and the ranking (winner, then candidates in reverse exclusion order)."""
    piles = BallotPiles(profile, unit=1)
    lot = random.Random(seed)
    names = profile.alternatives
    history: list[IntArray] = []
    rounds: list[dict[str, Any]] = []
    excluded: list[int] = []
    tie_breaks: list[str] = []
    while True:
        totals = piles.totals()
        history.append(totals)
        continuing = np.flatnonzero(piles.continuing)
        counting = int(totals[continuing].sum())
        record: dict[str, Any] = {
            "round": len(rounds) + 1,
            "tallies": {names[c]: int(totals[c]) for c in continuing},
            "exhausted": piles.valid_ballots - counting,
        }
        rounds.append(record)
        leader = int(continuing[np.argmax(totals[continuing])])
        if 2 * totals[leader] > counting or len(continuing) == 1:
            record["elected"] = names[leader]
            break
        fewest = totals[continuing].min()
        tied = [int(c) for c in continuing if totals[c] == fewest]
        loser, how = (tied[0], "") if len(tied) == 1 else break_tie(tied, history, True, lot)
        if how:
            tie_breaks.append(f"round {record['round']}: excluded {names[loser]} by {how}")
        piles.continuing[loser] = False
        piles.move_on(piles.rows_held_by(loser))
        after = piles.totals()
        record["eliminated"] = names[loser]
        record["transfers"] = {
            names[c]: int(after[c] - totals[c]) for c in continuing if after[c] != totals[c]
        }
        record["transfers"]["exhausted"] = int(totals.sum() - after.sum())
        excluded.append(loser)
    never_excluded = [int(c) for c in np.flatnonzero(piles.continuing) if c != leader]
    others = sorted(never_excluded, key=lambda c: (-int(history[-1][c]), c))
    return TallyResult(
        method="irv",
        alternatives=names,
        seats=1,
        winners=[leader],
        ranking=[leader, *others, *reversed(excluded)],
        ballots=profile.num_ballots,
        valid_ballots=piles.valid_ballots,
        rounds=rounds,
        tie_breaks=tie_breaks,
    )
