"""Benchmark the public record: appends per second in real transactions, and proof latency at
10^6 entries, on SQLite (WAL, synchronous=FULL) and on a throw-away PostgreSQL cluster.

    .venv/bin/python bench/record.py [--entries 1000000] [--appends 2000] [--no-postgres]

Each database is set up in a fresh temporary folder; nothing of ./var is touched.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def run_one(database: str, args: argparse.Namespace) -> dict[str, float]:
    """Run the measurements in a child process configured for one database."""
    env = dict(os.environ, PARRHESIA_DATA_DIR=tempfile.mkdtemp(prefix="parrhesia-bench-"))
    cluster = None
    if database == "postgresql":
        cluster = tempfile.mkdtemp(prefix="parrhesia-bench-pg-")
        url = subprocess.run(
            ["bash", str(REPO / "scripts/pg-test-cluster"), "start", cluster],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        env["DATABASE_URL"] = url
    try:
        output = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--entries",
                str(args.entries),
                "--appends",
                str(args.appends),
            ],
            env=env,
            check=True,
            capture_output=False,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
    finally:
        if cluster:
            subprocess.run(
                ["bash", str(REPO / "scripts/pg-test-cluster"), "stop", cluster], check=False
            )
    return {key: float(value) for key, value in (line.split("=") for line in output.split())}


def child(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parrhesia.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from parrhesia.accounts.models import User
    from parrhesia.orgs import services
    from parrhesia.record.services import Appendable, record_append, record_append_many

    call_command("migrate", verbosity=0)
    founder = User.objects.create_user(username="bench", password="x", display_name="Bench")
    small = services.organisation_create(user=founder, name="Appends", slug="appends")

    progress(f"{args.appends} appends, one per transaction")
    started = time.perf_counter()
    for k in range(args.appends):
        with transaction.atomic():
            record_append(
                organisation=small,
                actor=None,
                action="bench.append",
                subject=("bench", k),
                payload={"k": k},
            )
    single = args.appends / (time.perf_counter() - started)

    progress(f"{args.appends} appends, 100 per transaction")
    started = time.perf_counter()
    for batch in range(args.appends // 100):
        with transaction.atomic():
            for k in range(100):
                record_append(
                    organisation=small,
                    actor=None,
                    action="bench.append",
                    subject=("bench", k),
                    payload={"batch": batch, "k": k},
                )
    batched = (args.appends // 100) * 100 / (time.perf_counter() - started)

    progress(f"{args.appends} appends, record_append_many of 100 per transaction")
    started = time.perf_counter()
    for batch in range(args.appends // 100):
        with transaction.atomic():
            record_append_many(
                organisation=small,
                items=[
                    Appendable(None, "bench.append", ("bench", k), {"batch": batch, "k": k})
                    for k in range(100)
                ],
            )
    many = (args.appends // 100) * 100 / (time.perf_counter() - started)

    big = services.organisation_create(user=founder, name="Million", slug="million")
    fill(big, args.entries)
    inclusion_ms, consistency_ms = proof_latency(big, args.entries)
    print(f"single_per_s={single:.1f} batched_per_s={batched:.1f} many_per_s={many:.1f}")
    print(f"inclusion_median_ms={statistics.median(inclusion_ms):.3f}")
    print(f"inclusion_p99_ms={percentile(inclusion_ms, 99):.3f}")
    print(f"consistency_median_ms={statistics.median(consistency_ms):.3f}")
    print(f"consistency_p99_ms={percentile(consistency_ms, 99):.3f}")


def percentile(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def fill(organisation, total: int) -> None:
    """Write `total` entries and their Merkle nodes directly (the append path's rows, in bulk)."""
    from datetime import UTC, datetime

    from django.db import transaction

    from parrhesia.methods.record import canonical, merkle
    from parrhesia.record.models import MerkleNode, RecordEntry, RecordHead

    head = RecordHead.objects.get(organisation=organisation)
    start = head.size
    now = datetime.now(UTC)
    # The perfect subtrees already stored, kept as a stack as the log grows.
    stack: list[tuple[int, int, bytes]] = []
    from parrhesia.record.checkpoints import nodes_fetch

    existing = nodes_fetch(organisation, merkle.needed_for_root(start))
    for (level, index), digest in sorted(existing.items(), key=lambda item: -item[0][0]):
        stack.append((level, index, digest))
    batch = 20_000
    for offset in range(start, total, batch):
        entries, nodes = [], []
        for seq in range(offset, min(total, offset + batch)):
            data = canonical.entry_bytes(seq, now, None, "bench.fill", "bench", seq, {"n": seq})
            leaf = merkle.leaf_hash(data)
            entries.append(
                RecordEntry(
                    organisation=organisation,
                    seq=seq,
                    time=now,
                    actor=None,
                    action="bench.fill",
                    subject_kind="bench",
                    subject_id=str(seq),
                    payload={"n": seq},
                    canonical=data,
                    leaf_hash=leaf,
                )
            )
            nodes.append(MerkleNode(organisation=organisation, position=seq, hash=leaf))
            stack.append((0, seq, leaf))
            while len(stack) >= 2 and stack[-1][0] == stack[-2][0]:
                level, right_index, right = stack.pop()
                _, left_index, left = stack.pop()
                parent = merkle.node_hash(left, right)
                stack.append((level + 1, left_index // 2, parent))
                nodes.append(
                    MerkleNode(
                        organisation=organisation,
                        position=MerkleNode.position_of(level + 1, left_index // 2),
                        hash=parent,
                    )
                )
        with transaction.atomic():
            RecordEntry.objects.bulk_create(entries, batch_size=2000)
            MerkleNode.objects.bulk_create(nodes, batch_size=2000)
            RecordHead.objects.filter(organisation=organisation).update(size=offset + len(entries))
        progress(f"filled {offset + len(entries):,} / {total:,} entries")


def proof_latency(organisation, size: int, queries: int = 1000) -> tuple[list[float], list[float]]:
    from parrhesia.record import selectors

    rng = random.Random(1)
    inclusion, consistency = [], []
    for _ in range(queries):
        index = rng.randrange(size)
        started = time.perf_counter()
        selectors.inclusion(organisation, index, size)
        inclusion.append((time.perf_counter() - started) * 1000)
        old = rng.randrange(1, size + 1)
        started = time.perf_counter()
        selectors.consistency(organisation, old, size)
        consistency.append((time.perf_counter() - started) * 1000)
    return inclusion, consistency


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} cores, {model}, {system}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000, help="log size for proof latency")
    parser.add_argument("--appends", type=int, default=2000, help="appends to time")
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(f"# bench/record.py — {time.strftime('%Y-%m-%d')} — {machine()}")
    databases = ["sqlite"] + ([] if args.no_postgres else ["postgresql"])
    print(
        "| database | appends/s, 1 per transaction | 100 record_append per transaction "
        "| record_append_many of 100 "
        f"| inclusion proof at {args.entries:,} (median / p99) | consistency proof (median / p99) |"
    )
    print("|---|---|---|---|---|---|")
    for database in databases:
        print(f"== {database}", file=sys.stderr, flush=True)
        r = run_one(database, args)
        print(
            f"| {database} | {r['single_per_s']:,.0f} | {r['batched_per_s']:,.0f} "
            f"| {r['many_per_s']:,.0f} "
            f"| {r['inclusion_median_ms']:.2f} / {r['inclusion_p99_ms']:.2f} ms "
            f"| {r['consistency_median_ms']:.2f} / {r['consistency_p99_ms']:.2f} ms |",
            flush=True,
        )


if __name__ == "__main__":
    main()
