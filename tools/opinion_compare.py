"""Compare our opinion groups and red-dwarf's with Polis's own group ids (dev tool).

    .venv/bin/python tools/opinion_compare.py [--data ../shared/data/polis] [--reddwarf PYTHON]
        [--replay N] [--stability RUNS] [--stability-seed SEED] [--reddwarf-stability]

For every conversation folder with group ids in ``participants-votes.csv``, prints the adjusted
Rand index (ARI) against Polis's groups over the participants Polis clustered (a participant we
did not cluster counts as its own "unclustered" label), for:

* ours, one cold analysis;
* ours, replaying ``votes.csv`` in time order in N warm updates (``--replay``, 0 = skip);
* red-dwarf 0.4.0 run in its own virtualenv (``--reddwarf /tmp/rdvenv/bin/python``) on the very
  same votes, ``random_state=0``; skipped with a note when that interpreter is absent;
* stability: mean ARI between our groups on the full data and on 10 runs each leaving out a random
  10 % of participants (compared on the participants kept); "pairs": the mean ARI between the 10
  leave-out runs themselves (45 pairs, on the participants both kept). "stab." analyses the
  leave-out runs without the vote history (in-conversation from their final vote counts only),
  as this tool always did; "stab. h" replays each run's own vote history for in-conversation as
  the full run does (like for like; the same as "stab." without ``votes.csv``).
  ``--stability-seed`` picks other leave-out draws (default 0); ``--reddwarf-stability`` adds
  red-dwarf's stability on the very same draws ("rd stab.").

red-dwarf is never imported here: it runs in a subprocess reading JSON votes on stdin.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parrhesia.methods.opinion import analyze, load_polis_export  # noqa: E402
from parrhesia.methods.opinion.matrix import VoteMatrix  # noqa: E402
from parrhesia.methods.opinion.pipeline import in_conversation_history  # noqa: E402
from parrhesia.methods.opinion.polis_io import PolisExport  # noqa: E402

REDDWARF_RUNNER = r"""
import json, sys
from reddwarf.implementations.polis import run_pipeline
payload = json.load(sys.stdin)
result = run_pipeline(votes=payload["votes"], mod_out_statement_ids=payload["mod_out"],
                      random_state=0)
labels = result.participants_df["cluster_id"]
import pandas as pd
print(json.dumps({str(p): (None if pd.isna(labels[p]) else int(labels[p])) for p in labels.index}))
"""


def ari_vs_polis(export: PolisExport, labels: dict[str, int | None]) -> float:
    truth, ours = [], []
    for participant, group in export.polis_groups.items():
        if group is not None:
            truth.append(group)
            mine = labels.get(participant)
            ours.append(-1 if mine is None else mine)
    return float(adjusted_rand_score(truth, ours)) if truth else float("nan")


def labels_of(result_participants: list[str], group_of: np.ndarray) -> dict[str, int | None]:
    pairs = zip(result_participants, group_of.tolist(), strict=True)
    return {p: (int(g) if g >= 0 else None) for p, g in pairs}


def ours_cold(export: PolisExport, keep: np.ndarray | None = None,
              use_history: bool = True) -> dict[str, int | None]:
    """One cold analysis, of the participants where ``keep`` is true (default: everybody)."""
    matrix, times = export.matrix, export.vote_times
    if keep is not None:
        if times is not None:
            times = times[keep[matrix.row_of_vote()]]
        matrix = matrix.select_rows(keep)
    history = None
    if times is not None and use_history:
        history = in_conversation_history(matrix, times)
    result = analyze(matrix, export.moderated_out, with_bridging=False, keep_in=history)
    return labels_of(result.participant_ids, result.group_of)


def ours_replay(export: PolisExport, steps: int) -> dict[str, int | None] | None:
    """Warm updates on growing prefixes of the votes in time order."""
    if export.vote_times is None:
        return None
    m = export.matrix
    times = export.vote_times
    cuts = np.quantile(times, np.linspace(0, 1, steps + 1)[1:])
    state = None
    result = None
    rows = m.row_of_vote()
    for cut in cuts:
        keep = times <= cut
        sub, sub_times = VoteMatrix.from_votes(rows[keep], m.indices[keep], m.values[keep],
                                               m.participant_ids, m.statement_ids, times[keep])
        voted = sub.votes_per_participant() > 0
        sub_times = sub_times[voted[sub.row_of_vote()]]
        sub = sub.select_rows(voted)
        history = in_conversation_history(sub, sub_times)
        result = analyze(sub, export.moderated_out, previous=state, with_bridging=False,
                         keep_in=history)
        state = result.state
    assert result is not None
    return labels_of(result.participant_ids, result.group_of)


def reddwarf(export: PolisExport, python: str,
             keep: np.ndarray | None = None) -> dict[str, int | None] | None:
    """red-dwarf's groups of the participants where ``keep`` is true (default: everybody)."""
    if not Path(python).exists():
        return None
    m = export.matrix if keep is None else export.matrix.select_rows(keep)
    rows = m.row_of_vote()
    votes = [
        {"participant_id": int(m.participant_ids[r]), "statement_id": int(m.statement_ids[c]),
         "vote": int(v), "modified": 0}
        for r, c, v in zip(rows.tolist(), m.indices.tolist(), m.values.tolist(), strict=True)
    ]
    payload = json.dumps({"votes": votes, "mod_out": [int(s) for s in export.moderated_out]})
    done = subprocess.run([python, "-c", REDDWARF_RUNNER], input=payload, text=True,
                          capture_output=True, check=False)
    if done.returncode != 0:
        print(f"  red-dwarf failed: {done.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    return {str(k): v for k, v in json.loads(done.stdout).items()}


def reddwarf_stability(export: PolisExport, python: str, full: dict[str, int | None] | None,
                       runs: int, seed: int = 0) -> float:
    """red-dwarf's leave-10 %-out stability, with the very same draws as :func:`stability`."""
    if full is None:
        return float("nan")
    rng = np.random.default_rng(seed)
    scores = []
    for _ in range(runs):
        keep = rng.random(export.matrix.shape[0]) >= 0.1
        part = reddwarf(export, python, keep)
        if part is None:
            return float("nan")
        scores.append(_ari_common(full, part))
    return float(np.mean(scores))


def _ari_common(a: dict[str, int | None], b: dict[str, int | None]) -> float:
    common = [p for p in a if a[p] is not None and b.get(p) is not None]
    return float(adjusted_rand_score([a[p] for p in common], [b[p] for p in common]))


def stability(export: PolisExport, full: dict[str, int | None], runs: int, seed: int = 0,
              use_history: bool = False) -> tuple[float, float]:
    """Mean ARI of the full run against each leave-out run, and over all pairs of those runs."""
    rng = np.random.default_rng(seed)
    parts = []
    for _ in range(runs):
        keep = rng.random(export.matrix.shape[0]) >= 0.1
        parts.append(ours_cold(export, keep, use_history))
    against_full = [_ari_common(full, part) for part in parts]
    pairs = [_ari_common(a, b) for i, a in enumerate(parts) for b in parts[i + 1:]]
    return float(np.mean(against_full)), float(np.mean(pairs)) if pairs else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_data = Path(__file__).resolve().parents[2] / "shared" / "data" / "polis"
    parser.add_argument("--data", type=Path, default=default_data)
    parser.add_argument("--reddwarf", default="/tmp/rdvenv/bin/python")
    parser.add_argument("--replay", type=int, default=10)
    parser.add_argument("--stability", type=int, default=10)
    parser.add_argument("--stability-seed", type=int, default=0)
    parser.add_argument("--reddwarf-stability", action="store_true",
                        help="also red-dwarf's stability on the same leave-out draws (slow)")
    args = parser.parse_args()
    print(f"{'conversation':40} {'polis k':>7} {'ours':>6} {'replay':>6} {'red-dwarf':>9}"
          f" {'stab.':>6} {'pairs':>6} {'stab. h':>7} {'rd stab.':>8}")
    totals: dict[str, list[float]] = {"ours": [], "replay": [], "rd": [], "stab": [],
                                      "pairs": [], "stab_h": [], "rd_stab": []}
    for folder in sorted(p for p in args.data.iterdir() if p.is_dir()):
        export = load_polis_export(folder)
        if not any(g is not None for g in export.polis_groups.values()):
            continue
        k = len({g for g in export.polis_groups.values() if g is not None})
        cold = ours_cold(export)
        ours = ari_vs_polis(export, cold)
        replayed = ours_replay(export, args.replay) if args.replay else None
        replay = ari_vs_polis(export, replayed) if replayed is not None else float("nan")
        rd_labels = reddwarf(export, args.reddwarf)
        rd = ari_vs_polis(export, rd_labels) if rd_labels is not None else float("nan")
        stab = pairs = float("nan")
        if args.stability:
            stab, pairs = stability(export, cold, args.stability, args.stability_seed)
        rd_stab = float("nan")
        if args.stability and args.reddwarf_stability:
            rd_stab = reddwarf_stability(export, args.reddwarf, rd_labels, args.stability,
                                         args.stability_seed)
        stab_h = stab
        if args.stability and export.vote_times is not None:
            stab_h, _ = stability(export, cold, args.stability, args.stability_seed,
                                 use_history=True)
        totals["ours"].append(ours)
        totals["replay"].append(replay)
        totals["rd"].append(rd)
        totals["stab"].append(stab)
        totals["pairs"].append(pairs)
        totals["rd_stab"].append(rd_stab)
        totals["stab_h"].append(stab_h)
        print(f"{folder.name:40} {k:>7} {ours:6.3f} {replay:6.3f} {rd:9.3f} {stab:6.3f}"
              f" {pairs:6.3f} {stab_h:7.3f} {rd_stab:8.3f}", flush=True)
    means = {key: float(np.nanmean(v)) if not np.isnan(v).all() else float("nan")
             for key, v in totals.items()}
    print(f"{'mean':40} {'':>7} {means['ours']:6.3f} {means['replay']:6.3f} {means['rd']:9.3f}"
          f" {means['stab']:6.3f} {means['pairs']:6.3f} {means['stab_h']:7.3f}"
          f" {means['rd_stab']:8.3f}")
    if not Path(args.reddwarf).exists():
        print(f"note: red-dwarf python {args.reddwarf} not found; its column is nan")


if __name__ == "__main__":
    main()
