"""Benchmarks of the voting engine (docs/benchmarks.md, section "Voting").

    .venv/bin/python bench/voting.py            # our engine only
    PYTHONPATH=. /tmp/refvenv/bin/python bench/voting.py   # also pref-voting, where feasible

Ballots are generated with a fixed seed. Real large electorates repeat ballots a lot, so the
ranked profiles draw 10^6 ballots from a pool of distinct orders with Zipf-like weights (the
count of distinct ballots is printed); each timing starts from the raw ballot matrix, so it
includes grouping identical ballots.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from parrhesia.methods.voting import Profile, schulze, scottish_stv
from parrhesia.methods.voting.approval import approval_scores

RNG = np.random.default_rng(20240601)

try:
    import pref_voting  # noqa: F401

    HAVE_PREF_VOTING = True
except ImportError:
    HAVE_PREF_VOTING = False


def truncated_orders(pool: int, m: int, depth: int | None) -> np.ndarray:
    """``pool`` random rankings of m alternatives, ranking ``depth`` (or all) of them."""
    keys = RNG.random((pool, m))
    ranks = np.argsort(np.argsort(keys, axis=1), axis=1)
    if depth is not None:
        lengths = RNG.integers(1, depth + 1, pool)
        ranks[ranks >= lengths[:, None]] = m
    return ranks.astype(np.int16)


def draw_ballots(pool_ranks: np.ndarray, ballots: int) -> np.ndarray:
    weights = 1.0 / np.arange(1, len(pool_ranks) + 1) ** 0.8
    chosen = RNG.choice(len(pool_ranks), size=ballots, p=weights / weights.sum())
    return pool_ranks[chosen]


def timed(label: str, target: float, run: Callable[[], Any]) -> float:
    print(f"  running {label} …", flush=True)
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    verdict = "ok" if seconds < target else "MISSED"
    print(f"| {label} | {seconds:.2f} s | < {target:g} s | {verdict} |", flush=True)
    return seconds


def profile_of(ranks: np.ndarray) -> Profile:
    m = ranks.shape[1]
    names = tuple(f"c{i}" for i in range(m))
    return Profile(names, ranks, np.ones(len(ranks), np.int64))


def pref_voting_schulze(profile: Profile) -> None:
    from pref_voting.margin_based_methods import beat_path
    from pref_voting.profiles_with_ties import ProfileWithTies

    m = profile.num_alternatives
    rankings = [{a: int(r[a]) + 1 for a in range(m) if r[a] < m} for r in profile.ranks]
    prof = ProfileWithTies(rankings, rcounts=profile.counts.tolist(), candidates=list(range(m)))
    prof.use_extended_strict_preference()
    beat_path(prof)


def main() -> None:
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}")
    if not HAVE_PREF_VOTING:
        print("note: pref_voting not importable here: its column is skipped")
    print("| benchmark | time | target | |\n|---|---|---|---|")

    raw = draw_ballots(truncated_orders(20_000, 100, None), 1_000_000)
    groups = len(profile_of(raw).grouped().counts)
    print(f"  (Schulze 100 × 10^6: {groups} distinct ballots)")
    timed("Schulze, 100 options × 10^6 ballots", 2, lambda: schulze(profile_of(raw).grouped()))
    if HAVE_PREF_VOTING:
        grouped = profile_of(raw[:2000]).grouped()
        timed(
            "pref-voting beat_path, 100 × 2,000 ballots", 60, lambda: pref_voting_schulze(grouped)
        )

    raw = truncated_orders(10_000, 1000, 20)
    timed(
        "Schulze, 1,000 options × 10^4 ballots (≤ 20 ranked)",
        3,
        lambda: schulze(profile_of(raw).grouped()),
    )
    raw_full = truncated_orders(10_000, 1000, None)
    timed(
        "Schulze, 1,000 options × 10^4 full rankings",
        3,
        lambda: schulze(profile_of(raw_full).grouped()),
    )

    approvals = np.where(RNG.random((1_000_000, 100)) < 0.3, 0, 100).astype(np.int8)
    timed(
        "approval scores, 10^6 ballots × 100 options",
        0.5,
        lambda: approval_scores(profile_of(approvals)),
    )

    raw = draw_ballots(truncated_orders(200_000, 50, 12), 1_000_000)
    timed(
        "Scottish STV, 50 candidates × 10^6 ballots, 5 seats",
        30,
        lambda: scottish_stv(profile_of(raw).grouped(), 5),
    )


if __name__ == "__main__":
    main()
