"""Benchmark casting a vote over HTTP: 20 concurrent voters against `parrhesia serve` on
loopback while opinion analyses run.

    .venv/bin/python bench/opinion_web.py [--voters 20] [--votes 30] [--think 2]

Everything lives in a fresh temporary data folder (SQLite; `DATABASE_URL` is honoured if set).
Setup: an organisation with the voters as members, a conversation of 60 statements on which
each voter has already cast 20 votes, and a large imported conversation (6,000 participants ×
300 statements, 20 % density) whose analysis is re-run for the whole measurement, besides the
analyses the votes themselves queue. Both run as in production: django-tasks tasks executed by
the task worker that `parrhesia serve` starts, at its priority (`PARRHESIA_WORKER_NICE`,
`PARRHESIA_WORKER_IDLE`); one big run is always queued behind the running one
(`--load-outside-worker`: the former load, a separate process at normal priority). Each voter
is a thread with its own session and HTTP connection (gunicorn's sync workers close it after
each answer, so each vote reconnects, as a browser behind no proxy would); it votes as the page
does with htmx (POST with `HX-Request: true`, the response is the re-rendered statement), then
waits a random think time in [0, 2 × think] seconds, as a person reading the next statement
does (default 2 s; `--think 0.5`: the stress pace; `--think 0`: back to back, the saturation
case). Voters open the conversation first and start together.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SLUG = "bench"


def setup_child(voters: int) -> None:
    """Run inside the data folder's environment: create everything, print JSON on stdout."""
    sys.path.insert(0, str(REPO))
    from parrhesia.cli import django_setup

    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from django.test import Client

    from parrhesia.accounts.models import User
    from parrhesia.opinion import services
    from parrhesia.orgs import services as org_services

    founder = User.objects.create_user(username="founder", password="x", email="f@x.invalid")
    organisation = org_services.organisation_create(user=founder, name="Bench", slug=SLUG)
    invitation = org_services.invitation_create(user=founder, organisation=organisation,
                                                days_valid=2)
    people = []
    for number in range(voters):
        user = User.objects.create_user(username=f"voter{number}", password="x",
                                        email=f"v{number}@x.invalid")
        org_services.invitation_accept(user=user, token=invitation.token)
        people.append(user)
    conversation = services.conversation_open(
        user=founder, organisation=organisation, topic="Bench",
        seed_statements=[f"Statement number {n} of the benchmark." for n in range(60)],
    )
    statements = list(conversation.statements.values_list("pk", flat=True))
    rng = random.Random(0)
    for user in people:
        for pk in rng.sample(statements, 20):
            statement = conversation.statements.get(pk=pk)
            services.statement_vote(user=user, statement=statement, value=rng.choice((-1, 0, 1)))
    big = _big_conversation(organisation)
    sessions = []
    for user in people:
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies["sessionid"].value)
    print(json.dumps({"conversation": conversation.pk, "statements": statements,
                      "big": big, "sessions": sessions}))


def _big_conversation(organisation: object) -> int:
    from parrhesia.methods.opinion.synthetic import planted_conversation
    from parrhesia.opinion.services import conversation_import

    planted = planted_conversation(6000, 300, 0.2, seed=1)
    m = planted.matrix
    folder = Path(tempfile.mkdtemp(prefix="parrhesia-bench-polis-"))
    with (folder / "comments.csv").open("w") as out:
        out.write("comment-id,author-id,agrees,disagrees,moderated,comment-body\n")
        agrees = [0] * m.shape[1]
        for j, v in zip(m.indices.tolist(), m.values.tolist(), strict=True):
            agrees[j] += v > 0
        for j, sid in enumerate(m.statement_ids):
            out.write(f"{sid},,{agrees[j]},0,1,Synthetic statement {sid}\n")
    with (folder / "participants-votes.csv").open("w") as out:
        out.write("participant,group-id," + ",".join(m.statement_ids) + "\n")
        for i, pid in enumerate(m.participant_ids):
            row = [""] * m.shape[1]
            for j, v in zip(m.indices[m.indptr[i]:m.indptr[i + 1]].tolist(),
                            m.values[m.indptr[i]:m.indptr[i + 1]].tolist(), strict=True):
                row[j] = str(int(v))
            out.write(f"{pid},," + ",".join(row) + "\n")
    conversation = conversation_import(organisation=organisation, folder=str(folder))
    shutil.rmtree(folder)
    return conversation.pk


def analysis_load_child(conversation: int, stop_file: str) -> None:
    """Keep the task worker busy re-analysing the big conversation until the stop file appears,
    as production runs analyses: as django-tasks tasks in `parrhesia serve`'s task worker, at
    its priority, storing every result. One run is always queued behind the running one, so the
    worker never idles between big runs (the votes' own analyses take their turn in the queue).
    Prints the big runs' durations (worker's start to finish, seconds)."""
    sys.path.insert(0, str(REPO))
    from parrhesia.cli import django_setup

    django_setup()
    from django_tasks.base import TaskResultStatus

    from parrhesia.opinion.models import Conversation
    from parrhesia.opinion.tasks import conversation_analyse_task

    results = []
    while not os.path.exists(stop_file):
        Conversation.objects.filter(pk=conversation).update(analysis_queued=True)
        result = conversation_analyse_task.enqueue(conversation)
        results.append(result)
        while result.status == TaskResultStatus.READY and not os.path.exists(stop_file):
            time.sleep(0.1)
            result.refresh()
    durations = []
    for result in results:
        result.refresh()
        if result.status == TaskResultStatus.SUCCESSFUL and result.started_at:
            durations.append((result.finished_at - result.started_at).total_seconds())
    print(json.dumps(durations))


def analysis_load_outside_child(conversation: int, stop_file: str) -> None:
    """The former load (`--load-outside-worker`): a separate process at normal priority calling
    the analysis in a loop, not through the task worker."""
    sys.path.insert(0, str(REPO))
    from parrhesia.cli import django_setup

    django_setup()
    from parrhesia.opinion.analysis import analysis_run

    durations = []
    while not os.path.exists(stop_file):
        started = time.perf_counter()
        analysis_run(conversation, 0)
        durations.append(time.perf_counter() - started)
    print(json.dumps(durations))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not come up")


def flush_setup_writes() -> None:
    """Write the setup's data out before measuring: otherwise PostgreSQL's next checkpoint (the
    setup writes about a gigabyte of WAL) flushes it in the middle of the measurement, and its
    fsyncs stall unrelated commits — the setup's cost, not a vote's. SQLite: nothing to do (a
    WAL checkpoint runs at the next commits)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("CHECKPOINT")
            connection.execute("VACUUM ANALYZE")


def voter(port: int, session: str, setup: dict, args: argparse.Namespace, seed: int,
          latencies: list[float], errors: list[str], ready: threading.Barrier) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    cookie = f"sessionid={session}"
    connection.request("GET", f"/o/{SLUG}/opinion/{setup['conversation']}/",
                       headers={"Cookie": cookie})
    response = connection.getresponse()
    response.read()
    token = ""
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("csrftoken="):
            token = value.split(";")[0].split("=", 1)[1]
    cookie += f"; csrftoken={token}"
    # Everyone has opened the conversation before anyone votes: the 20 page loads at once are a
    # different measurement, and would otherwise queue in front of the first votes.
    ready.wait()
    time.sleep(rng.uniform(0, 2 * args.think))  # people do not all click at the same instant
    for _ in range(args.votes):
        statement = rng.choice(setup["statements"])
        body = urllib.parse.urlencode({"value": rng.choice(("1", "-1", "0"))})
        started = time.perf_counter()
        connection.request(
            "POST", f"/o/{SLUG}/opinion/statements/{statement}/vote/", body=body,
            headers={"Cookie": cookie, "X-CSRFToken": token, "HX-Request": "true",
                     "Content-Type": "application/x-www-form-urlencoded",
                     "Referer": f"http://127.0.0.1:{port}/"},
        )
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        if response.status != 200:
            errors.append(str(response.status))
        if args.think:
            time.sleep(rng.uniform(0, 2 * args.think))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voters", type=int, default=20)
    parser.add_argument("--votes", type=int, default=30, help="votes per voter")
    parser.add_argument("--think", type=float, default=2.0,
                        help="mean think time, seconds (0.5: the stress pace)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--no-analysis-load", action="store_true",
                        help="do not re-run the large analysis during the measurement")
    parser.add_argument("--load-outside-worker", action="store_true",
                        help="run the large analysis in a separate process at normal priority "
                        "(the former bench) instead of through the task worker")
    parser.add_argument("--setup-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--load-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup_child:
        return setup_child(args.voters)
    if args.load_child:
        child = analysis_load_outside_child if args.load_outside_worker else analysis_load_child
        return child(int(args.load_child[0]), args.load_child[1])

    data = tempfile.mkdtemp(prefix="parrhesia-bench-web-")
    env = dict(os.environ, PARRHESIA_DATA_DIR=data, PARRHESIA_LOG_LEVEL="WARNING")
    print(f"  … setting up in {data}", file=sys.stderr)
    started = time.perf_counter()
    setup = json.loads(subprocess.run(
        [PYTHON, __file__, "--setup-child", "--voters", str(args.voters)], env=env, check=True,
        stdout=subprocess.PIPE, text=True,
    ).stdout.splitlines()[-1])
    print(f"  … setup {time.perf_counter() - started:.0f} s", file=sys.stderr)
    flush_setup_writes()
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "parrhesia", "serve", "--port", str(port), "--workers",
         str(args.workers)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    stop_file = os.path.join(data, "stop")
    load = None
    try:
        wait_healthy(port)
        if not args.no_analysis_load:
            load = subprocess.Popen(
                [PYTHON, __file__, "--load-child", str(setup["big"]), stop_file,
                 *(["--load-outside-worker"] if args.load_outside_worker else [])],
                env=env, stdout=subprocess.PIPE, text=True,
            )
            time.sleep(2)  # the first big analysis is under way
        latencies: list[float] = []
        errors: list[str] = []
        ready = threading.Barrier(len(setup["sessions"]))
        threads = [
            threading.Thread(target=voter, args=(port, session, setup, args, n, latencies,
                                                 errors, ready))
            for n, session in enumerate(setup["sessions"])
        ]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        Path(stop_file).touch()
        big_runs = json.loads(load.communicate()[0]) if load else []
        os.killpg(server.pid, 15)
        server.wait()
    ms = sorted(1000 * x for x in latencies)
    p = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]  # noqa: E731
    print(json.dumps({
        "date": time.strftime("%Y-%m-%d"), "machine": f"{os.cpu_count()} CPUs, "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}",
        "database": "postgresql" if os.environ.get("DATABASE_URL") else "sqlite",
        "voters": args.voters, "votes": len(ms), "errors": len(errors),
        "think_s": args.think, "elapsed_s": round(elapsed, 1),
        "votes_per_s": round(len(ms) / elapsed, 1),
        "p50_ms": round(p(0.50), 1), "p95_ms": round(p(0.95), 1), "p99_ms": round(p(0.99), 1),
        "max_ms": round(ms[-1], 1), "mean_ms": round(statistics.mean(ms), 1),
        "analysis_load": "none" if args.no_analysis_load else
        "separate process" if args.load_outside_worker else "task worker",
        "worker_nice": int(env.get("PARRHESIA_WORKER_NICE", "10")),
        "worker_sched_idle": env.get("PARRHESIA_WORKER_IDLE", "1").strip().lower()
        not in ("0", "false", "no", "off"),
        "big_analysis_runs": len(big_runs),
        "big_analysis_s": round(statistics.median(big_runs), 2) if big_runs else None,
    }, indent=1))


if __name__ == "__main__":
    main()
