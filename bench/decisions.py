"""1,000 members vote on one ballot at once over HTTP against `parrhesia serve` on loopback:
nothing may be lost and nothing counted twice.

    .venv/bin/python bench/decisions.py [--members 1000] [--concurrency 64] [--postgres]
        [--rate VOTES_PER_S] [--servers N] [--workers N] [--ballots open,secret]

A throw-away data dir (and, with --postgres, a throw-away cluster) is set up; nothing of ./var is
touched. Each member's client GETs the ballot page (for the CSRF token) and POSTs a vote with an
``Idempotency-Key``; one member in ten sends the same POST a second time, as a client retrying
after a lost answer would. Then the database and the record are checked: one vote, and one
record entry, per member, for an open and for a secret ballot.

Without --rate, --concurrency clients vote as fast as they are answered (a closed loop). With
--rate, members arrive at that many per second whatever the answers' pace (an open loop, as an
assembly's members do): the acknowledgement time of a vote (its first POST) is what issue 15's
target reads (p99 < 500 ms at 100 votes/s). --servers starts that many `parrhesia serve`
processes on the one database, the clients taking them in turn.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def child_setup(members: int) -> None:
    """Create the organisation, its members, their sessions and two ballots; print JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parrhesia.config.settings")
    django.setup()
    from datetime import timedelta

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from parrhesia.accounts.models import User
    from parrhesia.decisions import services
    from parrhesia.orgs import services as orgs

    call_command("migrate", verbosity=0)
    founder = User.objects.create_user(username="founder", password=None)
    organisation = orgs.organisation_create(user=founder, name="Bench", slug="bench")
    invitation = orgs.invitation_create(user=founder, organisation=organisation, days_valid=1)
    users = User.objects.bulk_create(
        User(username=f"m{i:05d}", password="!", display_name=f"Member {i}") for i in range(members)
    )
    sessions = []
    for user in users:
        orgs.invitation_accept(user=user, token=invitation.token)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    ballots = {}
    for secrecy in ("open", "secret"):
        ballots[secrecy] = services.ballot_open(
            user=founder,
            organisation=organisation,
            title=f"Bench {secrecy}",
            method="plurality",
            options=["A", "B", "C"],
            secrecy=secrecy,
            reasons="off",
            closes_at=timezone.now() + timedelta(hours=1),
        ).pk
    # The setup's writes are flushed now, not by a checkpoint in the middle of the measurement.
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CHECKPOINT")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("ANALYZE")
    print(json.dumps({"sessions": sessions, "ballots": ballots}))


def child_check() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parrhesia.config.settings")
    django.setup()
    from parrhesia.decisions.actions import Action
    from parrhesia.decisions.models import Ballot, Participation, SecretBallot, Vote
    from parrhesia.record.models import RecordEntry

    counts = {}
    for ballot in Ballot.objects.all():
        entries = RecordEntry.objects.filter(subject_kind="ballot", subject_id=str(ballot.pk))
        if ballot.is_secret:
            stored = SecretBallot.objects.filter(ballot=ballot).count()
            voters = Participation.objects.filter(ballot=ballot).count()
            recorded = entries.filter(action=Action.BALLOT_PARTICIPATED).count()
        else:
            stored = voters = Vote.objects.filter(ballot=ballot).count()
            recorded = entries.filter(action=Action.BALLOT_VOTED).count()
        counts[ballot.secrecy] = {"stored": stored, "voters": voters, "recorded": recorded}
    print(json.dumps(counts))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def vote(
    base: str, session: str, ballot: int, choice: int, retry: bool
) -> tuple[float, bool, float, float]:
    """One member: GET the page, POST the vote (twice when ``retry``); (seconds, acknowledged,
    seconds of the GET, seconds of the first POST: its acknowledgement)."""
    url = f"{base}/o/bench/decisions/{ballot}/"
    started = time.perf_counter()
    with urllib.request.urlopen(
        urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"}), timeout=120
    ) as response:
        page = response.read()
        cookies = response.headers.get_all("Set-Cookie") or []
    token = TOKEN.search(page).group(1).decode()  # type: ignore[union-attr]
    csrf = next(c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith("csrftoken="))
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "choice": str(choice)}).encode()
    key = os.urandom(12).hex()
    ok = False
    got = time.perf_counter()
    acknowledged = 0.0
    for _ in range(2 if retry else 1):
        request = urllib.request.Request(
            url + "vote/",
            data=body,
            headers={
                "Idempotency-Key": key,
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
                "Referer": url,
            },
        )
        with urllib.request.build_opener(NoRedirect).open(request, timeout=120) as response:
            ok = response.status in (200, 302)
        acknowledged = acknowledged or time.perf_counter() - got
    return time.perf_counter() - started, ok, got - started, acknowledged


def failed(error: BaseException) -> tuple[float, bool, float, float]:
    print(f"  a member's vote failed: {error!r}", file=sys.stderr)
    return 0.0, False, 0.0, 0.0


def vote_or_fail(base: str, *job: Any) -> tuple[float, bool, float, float]:
    try:
        return vote(base, *job)
    except (OSError, AttributeError, StopIteration) as error:  # refused, 5xx, no token
        return failed(error)


def votes_at_rate(
    bases: list[str], jobs: list[tuple[Any, ...]], rate: float, threads: int
) -> list[tuple[float, bool, float, float]]:
    """Member i starts at i / rate seconds, answered or not (an open loop)."""
    started = time.perf_counter()
    futures = []
    with ThreadPoolExecutor(threads) as pool:
        for i, job in enumerate(jobs):
            delay = started + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(vote_or_fail, bases[i % len(bases)], *job))
        return [future.result() for future in futures]


def percentile(sorted_values: list[float], fraction: float) -> int:
    """In milliseconds, the value below which ``fraction`` of the values lie."""
    index = max(0, min(len(sorted_values) - 1, int(fraction * len(sorted_values)) - 1))
    return round(1000 * sorted_values[index])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None

    def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
        return fp


def server_start(env: dict[str, str], data_dir: str, number: int) -> tuple[Any, str]:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "parrhesia",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-task-worker",
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=open(os.path.join(data_dir, f"server{number}.log"), "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{base}/health", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    return server, base


def figures_of(results: list[tuple[float, bool, float, float]], wall: float) -> dict[str, object]:
    answered = [r for r in results if r[1]]
    members = sorted(r[0] for r in answered) or [0.0]
    gets = sorted(r[2] for r in answered) or [0.0]
    acks = sorted(r[3] for r in answered) or [0.0]
    return {
        "acknowledged": len(answered),
        "errors": len(results) - len(answered),
        "wall_s": round(wall, 2),
        "members_per_s": round(len(results) / wall, 1),
        "p50_ms": round(1000 * statistics.median(members)),
        "p95_ms": percentile(members, 0.95),
        "get_p50_ms": round(1000 * statistics.median(gets)),
        "get_p99_ms": percentile(gets, 0.99),
        "ack_p50_ms": round(1000 * statistics.median(acks)),
        "ack_p99_ms": percentile(acks, 0.99),
        "ack_max_ms": round(1000 * acks[-1]),
    }


def run(args: argparse.Namespace) -> dict[str, object]:
    data_dir = tempfile.mkdtemp(prefix="parrhesia-bench-decisions-")
    env = dict(os.environ, PARRHESIA_DATA_DIR=data_dir, PARRHESIA_WEB_WORKERS=str(args.workers))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cluster = None
    if args.postgres:
        cluster = tempfile.mkdtemp(prefix="parrhesia-bench-pg-")
        env["DATABASE_URL"] = subprocess.run(
            ["bash", str(REPO / "scripts/pg-test-cluster"), "start", cluster],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    servers: list[Any] = []
    try:
        setup = subprocess.run(
            [sys.executable, __file__, "--child", "setup", "--members", str(args.members)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        world = json.loads(setup.stdout.strip().splitlines()[-1])
        bases = []
        for number in range(args.servers):
            server, base = server_start(env, data_dir, number)
            servers.append(server)
            bases.append(base)
        figures: dict[str, object] = {}
        for secrecy in args.ballots.split(","):
            ballot = world["ballots"][secrecy]
            jobs = [
                (session, ballot, i % 3, i % 10 == 0) for i, session in enumerate(world["sessions"])
            ]
            started = time.perf_counter()
            if args.rate:
                results = votes_at_rate(bases, jobs, args.rate, args.concurrency)
            else:
                with ThreadPoolExecutor(args.concurrency) as pool:
                    results = list(
                        pool.map(
                            lambda ij: vote_or_fail(bases[ij[0] % len(bases)], *ij[1]),
                            enumerate(jobs),
                        )
                    )
            figures[secrecy] = {
                **figures_of(results, time.perf_counter() - started),
                "retried": sum(job[3] for job in jobs),
            }
        check = subprocess.run(
            [sys.executable, __file__, "--child", "check"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        for secrecy, counts in json.loads(check.stdout.strip().splitlines()[-1]).items():
            row = figures.get(secrecy)
            if not isinstance(row, dict):
                continue
            row.update(counts)
            row["lost"] = max(0, int(row["acknowledged"]) - counts["voters"])
            row["double_counted"] = max(counts["stored"], counts["recorded"]) - counts["voters"]
        return figures
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        if cluster:
            subprocess.run(["bash", str(REPO / "scripts/pg-test-cluster"), "stop", cluster])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per server")
    parser.add_argument("--servers", type=int, default=1, help="`parrhesia serve` processes")
    parser.add_argument("--rate", type=float, help="members arriving per second (open loop)")
    parser.add_argument("--ballots", default="open,secret", help="open, secret or open,secret")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--child", choices=("setup", "check"))
    args = parser.parse_args()
    if args.child == "setup":
        child_setup(args.members)
        return 0
    if args.child == "check":
        child_check()
        return 0
    figures = run(args)
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"{platform.node()} {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, {database}, {args.members} members, "
        f"{args.concurrency} client threads, {args.servers} server(s) of {args.workers} "
        f"gunicorn workers, "
        + (f"{args.rate:g} members/s offered" if args.rate else "closed loop")
        + f", load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    for secrecy, row in figures.items():
        print(f"  {secrecy:6} ballot: " + ", ".join(f"{k} {v}" for k, v in row.items()))
    bad = any(
        row["lost"] or row["double_counted"] or row["errors"]  # type: ignore[index]
        for row in figures.values()
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
