"""Generate expected voting results with pref-voting, as compact gzip'd JSON test fixtures.

pref-voting is heavy and is NOT a dependency of Parrhesia: run this in a separate virtualenv,

    python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install pref-voting
    /tmp/refvenv/bin/python tools/voting_reference.py [--count 10000] [--out DIR]

It draws random profiles with a fixed seed and records, per method, pref-voting's winners:

* ``schulze`` / ``ranked-pairs``: weak orders with truncation; ``use_extended_strict_preference``
  so unranked alternatives rank last; both are computed on the *winning-votes* majority graph
  (edge a→b weighted d[a][b] when d[a][b] > d[b][a]) with ``beat_path`` and ``ranked_pairs``
  (all tie-breaking orders: a set of possible winners);
* ``irv``: truncated linear orders, ``instant_runoff_put`` (all tie-breaking orders);
* ``stv``: truncated linear orders, ``stv_scottish`` run with several lot seeds; when the lot
  matters all distinct outcomes are kept.

Each fixture line is ``[profile, seats, expected]`` where profile is ``"m|count:order;..."``
with 0-based alternatives in PrefLib order syntax (``{a,b}`` ties) and ``expected`` a list of
acceptable winner sets (one set for Schulze/RP/IRV: any member is acceptable).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from pathlib import Path

from pref_voting.iterative_methods import instant_runoff_put
from pref_voting.margin_based_methods import beat_path, ranked_pairs
from pref_voting.profiles_with_ties import ProfileWithTies
from pref_voting.proportional_methods import stv_scottish
from pref_voting.weighted_majority_graphs import MarginGraph

SEED = 20240601
LOT_SEEDS = (0, 1, 2, 3)
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "parrhesia/methods/tests/voting/data"


def random_ballot(rng: random.Random, m: int, ties: bool) -> list[list[int]]:
    """A random (possibly truncated, possibly tied) ranking as a list of tiers."""
    order = list(range(m))
    rng.shuffle(order)
    length = rng.randint(1, m) if rng.random() < 0.5 else m
    tiers: list[list[int]] = []
    for a in order[:length]:
        if ties and tiers and rng.random() < 0.25:
            tiers[-1].append(a)
        else:
            tiers.append([a])
    return tiers


def random_profile(rng: random.Random, ties: bool, max_m: int, max_voters: int) -> tuple:
    m = rng.randint(2, max_m)
    ballots = {}
    for _ in range(rng.randint(1, max_voters)):
        tiers = random_ballot(rng, m, ties)
        key = ",".join(f"{{{','.join(map(str, t))}}}" if len(t) > 1 else str(t[0]) for t in tiers)
        ballots[key] = ballots.get(key, 0) + 1
    text = f"{m}|" + ";".join(f"{c}:{k}" for k, c in sorted(ballots.items()))
    return m, ballots, text


def to_pref_voting(m: int, ballots: dict[str, int], extended: bool) -> ProfileWithTies:
    rankings, counts = [], []
    for key, count in ballots.items():
        rank = {a: tier + 1 for tier, members in enumerate(_tiers(key)) for a in members}
        rankings.append(rank)
        counts.append(count)
    profile = ProfileWithTies(rankings, rcounts=counts, candidates=list(range(m)))
    if extended:
        profile.use_extended_strict_preference()
    return profile


def _tiers(key: str) -> list[list[int]]:
    tiers, depth, current = [], False, []
    token = ""
    for char in key + ",":
        if char == "{":
            depth = True
        elif char == "}":
            depth = False
        elif char == "," and not depth:
            if token:
                current.append(int(token))
            tiers.append(current)
            current, token = [], ""
        elif char == ",":
            current.append(int(token))
            token = ""
        else:
            token += char
    return tiers


def winning_votes_graph(profile: ProfileWithTies, m: int) -> MarginGraph:
    edges = [
        (a, b, profile.support(a, b))
        for a in range(m)
        for b in range(m)
        if a != b and profile.support(a, b) > profile.support(b, a)
    ]
    return MarginGraph(list(range(m)), edges)


def expected(method: str, m: int, ballots: dict[str, int], seats: int) -> list[list[int]]:
    if method in ("schulze", "ranked-pairs"):
        graph = winning_votes_graph(to_pref_voting(m, ballots, extended=True), m)
        rule = beat_path if method == "schulze" else ranked_pairs
        options = {"algorithm": "from_stacks"} if method == "ranked-pairs" else {}
        return [sorted(rule(graph, **options))]
    profile = to_pref_voting(m, ballots, extended=False)
    if method == "irv":
        return [sorted(instant_runoff_put(profile))]
    outcomes = {
        tuple(sorted(stv_scottish(profile, num_seats=seats, rng=random.Random(s))))
        for s in LOT_SEEDS
    }
    return [list(o) for o in sorted(outcomes)]


def generate(method: str, count: int, rng: random.Random) -> list[list[object]]:
    ties = method in ("schulze", "ranked-pairs")
    rows = []
    for _ in range(count):
        max_m = 6 if ties else 8
        m, ballots, text = random_profile(rng, ties, max_m, max_voters=40)
        seats = rng.randint(1, max(1, m - 1)) if method == "stv" else 1
        rows.append([text, seats, expected(method, m, ballots, seats)])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--methods", default="schulze,ranked-pairs,irv,stv")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for method in args.methods.split(","):
        rng = random.Random(f"{SEED}-{method}")
        rows = generate(method, args.count, rng)
        path = args.out / f"reference-{method}.json.gz"
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as handle:
            handle.write(f'{{"seed": {SEED}, "method": "{method}", "profiles": [\n')
            handle.write(",\n".join(json.dumps(row, separators=(",", ":")) for row in rows))
            handle.write("\n]}\n")
        print(f"{path}: {len(rows)} profiles")


if __name__ == "__main__":
    main()
