"""Opinion-mapping benchmarks (figures go to docs/benchmarks.md, section "Opinion mapping").

    .venv/bin/python bench/opinion.py [--data ../shared/data/polis]
        [--reddwarf /tmp/rdvenv/bin/python] [--skip-big] [--bridging-precision]

Cases (progress on stderr, results on stdout):

1. each real Polis conversation: load + full analysis (with bridging);
2. 10^4 participants × 10^3 statements, 20 % density, 3 planted groups: full analysis, ARI, and
   red-dwarf 0.4.0 on the same votes when its interpreter is given (run in a subprocess, its
   ``run_pipeline`` timed alone);
3. warm update of case 2 after 1,000 new votes (groups + statistics, bridging excluded);
4. bridging fit on 5 × 10^6 ratings (10^5 × 10^3 at 5 %);
5. 10^6 × 10^4 with 5 × 10^7 votes, in a child process so its peak RSS is its own:
   whole pipeline without bridging, then bridging separately.

``--bridging-precision`` runs only this: the bridging fit's default stop against the same fit run
until the loss stops decreasing, on each real conversation and the 5 × 10^6-rating case.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parrhesia.methods.opinion import analyze, load_polis_export  # noqa: E402
from parrhesia.methods.opinion.bridging import fit_bridging, ratings_from_votes  # noqa: E402
from parrhesia.methods.opinion.matrix import BoolArray, FloatArray, VoteMatrix  # noqa: E402
from parrhesia.methods.opinion.pca import run_pca  # noqa: E402
from parrhesia.methods.opinion.pipeline import (  # noqa: E402
    in_conversation_history,
    moderated_mask,
)
from parrhesia.methods.opinion.synthetic import planted_conversation  # noqa: E402

REDDWARF_TIMER = r"""
import sys, time, numpy as np
from reddwarf.implementations.polis import run_pipeline
data = np.load(sys.argv[1])
votes = [{"participant_id": int(r), "statement_id": int(c), "vote": int(v), "modified": 0}
         for r, c, v in zip(data["rows"].tolist(), data["cols"].tolist(), data["values"].tolist())]
start = time.perf_counter()
run_pipeline(votes=votes, random_state=0)
print(time.perf_counter() - start)
"""


def note(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}"


def real_conversations(data: Path) -> None:
    if not data.is_dir():
        print(f"real conversations: skipped, {data} not found")
        return
    for folder in sorted(p for p in data.iterdir() if p.is_dir()):
        note(f"real: {folder.name}")
        start = time.perf_counter()
        export = load_polis_export(folder)
        loaded = time.perf_counter()
        history = (in_conversation_history(export.matrix, export.vote_times)
                   if export.vote_times is not None else None)
        analyze(export.matrix, export.moderated_out, keep_in=history)
        done = time.perf_counter()
        n, m = export.matrix.shape
        print(f"real {folder.name:40} {n:>6} × {m:<5} votes {export.matrix.n_votes:>7}"
              f"  load {loaded - start:.3f} s  analysis {done - loaded:.3f} s")


def reddwarf_seconds(matrix: VoteMatrix, python: str) -> float | None:
    if not Path(python).exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "votes.npz"
        np.savez(path, rows=matrix.row_of_vote(), cols=matrix.indices, values=matrix.values)
        done = subprocess.run([python, "-c", REDDWARF_TIMER, str(path)], capture_output=True,
                              text=True, check=False)
    if done.returncode != 0:
        note(f"red-dwarf failed: {done.stderr.strip().splitlines()[-1:]}")
        return None
    return float(done.stdout.strip().splitlines()[-1])


def medium(python: str) -> None:
    note("medium: generating 10^4 × 10^3 at 20 %")
    planted = planted_conversation(10_000, 1_000, 0.2, n_groups=3, seed=0)
    analyze(planted.matrix)  # warm the imports and caches once
    times = []
    result = None
    for _ in range(3):
        start = time.perf_counter()
        result = analyze(planted.matrix)
        times.append(time.perf_counter() - start)
    assert result is not None
    ari = adjusted_rand_score(planted.groups, result.group_of)
    print(f"medium 10^4 × 10^3, {planted.matrix.n_votes} votes: full analysis "
          f"{min(times):.3f} s (best of 3, bridging included), ARI {ari:.3f}")
    note("medium: red-dwarf")
    rd = reddwarf_seconds(planted.matrix, python)
    if rd is None:
        print(f"medium red-dwarf: not run ({python} not found or failed)")
    else:
        print(f"medium red-dwarf 0.4.0: {rd:.3f} s — ours is {rd / min(times):.1f}× faster")
    warm_update(planted.matrix, result)


def warm_update(matrix: VoteMatrix, previous: object) -> None:
    from parrhesia.methods.opinion import OpinionResult

    assert isinstance(previous, OpinionResult)
    rng = np.random.default_rng(1)
    rows = np.concatenate([matrix.row_of_vote(), rng.integers(0, matrix.shape[0], 1000)])
    cols = np.concatenate([matrix.indices, rng.integers(0, matrix.shape[1], 1000)])
    values = np.concatenate([matrix.values, rng.choice([-1.0, 0.0, 1.0], 1000)])
    times = np.concatenate([np.zeros(matrix.n_votes, np.int64), np.ones(1000, np.int64)])
    grown, _ = VoteMatrix.from_votes(rows, cols, values, matrix.participant_ids,
                                     matrix.statement_ids, times)
    durations = []
    for _ in range(3):
        start = time.perf_counter()
        analyze(grown, previous=previous.state, with_bridging=False)
        durations.append(time.perf_counter() - start)
    print(f"warm update after 1,000 new votes: {min(durations) * 1000:.0f} ms (best of 3, "
          "bridging excluded)")


def bridging_5m() -> None:
    note("bridging: generating 10^5 × 10^3 at 5 % (5 × 10^6 ratings)")
    planted = planted_conversation(100_000, 1_000, 0.05, seed=2, pass_p=0.0)
    ratings = ratings_from_votes(planted.matrix)
    start, cpu = time.perf_counter(), time.process_time()
    fit = fit_bridging(ratings)
    print(f"bridging fit on {ratings.nnz} ratings: {time.perf_counter() - start:.2f} s "
          f"(CPU {time.process_time() - cpu:.2f} s, {fit.iterations} ALS sweeps, random start)")


def bridging_precision(data: Path) -> None:
    from scipy.stats import spearmanr

    cases: list[tuple[str, VoteMatrix, BoolArray, bool]] = []
    for folder in sorted(p for p in data.iterdir() if p.is_dir()) if data.is_dir() else []:
        export = load_polis_export(folder)
        mod = moderated_mask(export.matrix.statement_ids, export.moderated_out)
        cases.append((folder.name, export.matrix, mod, True))
    planted = planted_conversation(100_000, 1_000, 0.05, seed=2, pass_p=0.0)
    cases.append(("synthetic 10^5 × 10^3 (random start)", planted.matrix,
                  np.zeros(1_000, dtype=bool), False))
    for name, matrix, mod, pca_start in cases:
        ratings = ratings_from_votes(matrix, mod)
        start: FloatArray | None = run_pca(matrix, mod).components[0] if pca_start else None
        fit = fit_bridging(ratings, start_factors=start)
        reference = fit_bridging(ratings, start_factors=start, tol=0.0, max_iters=1000)
        ours, best = fit.statement_intercepts[~mod], reference.statement_intercepts[~mod]
        top5 = len(set(np.argsort(-ours)[:5]) & set(np.argsort(-best)[:5]))
        print(f"bridging precision {name:40} {fit.iterations:3} sweeps (reference"
              f" {reference.iterations}): L +{(fit.loss - reference.loss) / reference.loss:.1e},"
              f" max |Δ i_s| {np.abs(ours - best).max():.1e},"
              f" Spearman {spearmanr(ours, best)[0]:.6f}, top 5 {top5}/5")


def big_child() -> None:
    """Runs in a child process: 10^6 × 10^4, 5 × 10^7 votes."""
    start = time.perf_counter()
    note("big: generating 10^6 × 10^4 with 5 × 10^7 votes")
    planted = planted_conversation(1_000_000, 10_000, 0.005, seed=0)
    generated = time.perf_counter()
    t0 = time.perf_counter()
    result = analyze(planted.matrix, with_bridging=False,
                     progress=lambda s: note(f"big: {s} at {time.perf_counter() - t0:.1f} s"))
    analysed = time.perf_counter()
    ari = adjusted_rand_score(planted.groups, result.group_of)
    note("big: bridging")
    cpu = time.process_time()
    fit = fit_bridging(ratings_from_votes(planted.matrix), start_factors=result.state.components[0])
    bridged, bridging_cpu = time.perf_counter(), time.process_time() - cpu
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(json.dumps({
        "votes": planted.matrix.n_votes, "generate_s": generated - start,
        "pipeline_s": analysed - generated, "ari": ari, "bridging_s": bridged - analysed,
        "bridging_cpu_s": bridging_cpu, "bridging_sweeps": fit.iterations, "peak_rss_gb": peak_gb,
    }))


def big() -> None:
    done = subprocess.run([sys.executable, __file__, "--big-child"], stdout=subprocess.PIPE,
                          text=True, check=False)  # its progress goes straight to stderr
    if done.returncode != 0:
        print("big: failed")
        return
    r = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"big 10^6 × 10^4, {r['votes']} votes: pipeline (no bridging) {r['pipeline_s']:.1f} s,"
          f" ARI {r['ari']:.3f}; bridging {r['bridging_s']:.1f} s (CPU {r['bridging_cpu_s']:.1f}"
          f" s, {r['bridging_sweeps']} sweeps, ratings included), together"
          f" {r['pipeline_s'] + r['bridging_s']:.1f} s;"
          f" generation {r['generate_s']:.1f} s; peak RSS {r['peak_rss_gb']:.2f} GiB "
          "(generation + pipeline + bridging)")


def main() -> None:
    parser = argparse.ArgumentParser(description="opinion-mapping benchmarks")
    parser.add_argument("--data", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "data" / "polis")
    parser.add_argument("--reddwarf", default="/tmp/rdvenv/bin/python")
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--bridging-precision", action="store_true")
    parser.add_argument("--big-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.big_child:
        big_child()
        return
    if args.bridging_precision:
        bridging_precision(args.data)
        return
    print(f"{time.strftime('%Y-%m-%d')} on {machine()}")
    real_conversations(args.data)
    medium(args.reddwarf)
    bridging_5m()
    if not args.skip_big:
        big()


if __name__ == "__main__":
    main()
