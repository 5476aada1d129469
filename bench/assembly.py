"""The assembly test: members vote at once across several app servers on PostgreSQL while servers,
task workers and the database are killed; nothing acknowledged may be lost (issue 15).

    .venv/bin/python bench/assembly.py [--members N] [--voters N] [--rate VOTES_PER_S]
        [--method motion|plurality|approval|schulze|stv] [--secret] [--faults] [--quick]
        [--app-servers 2] [--workers 2] [--database postgresql|sqlite] [--json]

It starts the documented topology itself, on this machine, in a throw-away folder: a PostgreSQL
cluster (scripts/pg-test-cluster; or, with --database sqlite, the embedded database and one app
server), ``--app-servers`` × ``parrhesia serve --no-task-worker`` on loopback ports, ``--workers``
× ``parrhesia worker``, and HAProxy in front when Debian's haproxy is installed (otherwise the
clients round-robin over the servers themselves). Each voter is a real HTTP client: it reads the
ballot page (CSRF token), posts its vote with an ``Idempotency-Key``, retries on another server
after a connection error or a 5xx, and one voter in ten sends its vote again after the
acknowledgement. Votes start on an open-loop schedule of ``--rate`` votes/s. A watcher reads
the record's checkpoint every second, as an auditor would.

Afterwards the ballot is closed by its steward and checked: every acknowledged vote is in the
database, on the record and in the published tally exactly once; the record export verifies
(``parrhesia record verify``); every checkpoint the watcher saw is signed and consistent with the
export's (RFC 9162 consistency proofs from the record's API); the published result equals
``parrhesia decisions recount --record``. Exit status 1 if anything is lost, counted twice or
fails to verify. docs/benchmarks.md, "The assembly test", describes the faults and the figures.
"""

from __future__ import annotations

import argparse
import base64
import glob
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TRACKER = re.compile(r'id="receipt-tracker">([0-9a-f]+)<')
SLUG = "bench"
OPTIONS = {"plurality": 3, "approval": 4, "schulze": 4, "stv": 5}
MOTION = ("for", "against", "abstain")
RETRY_FOR_S = 120  # a voter keeps retrying this long before giving up (an error)


def log(message: str) -> None:
    print(f"[assembly {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- in the throw-away environment (Django) ----------------------------------------------------


def child_setup(members: int, method: str, secret: bool, logins: int) -> None:
    """The organisation, its members (sessions made here; ``logins`` of them get a password
    to log in through the form instead), and the ballot; prints JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parrhesia.config.settings")
    django.setup()
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from parrhesia.accounts.models import User
    from parrhesia.decisions import services
    from parrhesia.orgs import services as orgs
    from parrhesia.orgs.models import Membership

    founder = User.objects.create_user(username="founder", password=None)
    organisation = orgs.organisation_create(user=founder, name="Assembly", slug=SLUG)
    invitation = orgs.invitation_create(user=founder, organisation=organisation, days_valid=1)
    users = User.objects.bulk_create(
        User(username=f"m{i:05d}", password="!", display_name=f"Member {i}", email=f"m{i}@x.test")
        for i in range(members)
    )
    # The first few join through the invitation, as a person does; the rest are made members
    # in bulk (joining compares the newcomer's name with every member's: O(members) a join).
    for user in users[:logins]:
        orgs.invitation_accept(user=user, token=invitation.token)
        user.set_password(f"pw-{user.username}")
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Membership.objects.bulk_create(
        Membership(organisation=organisation, user=user) for user in users[logins:]
    )
    store, expires = SessionStore(), timezone.now() + timedelta(days=1)
    sessions = [
        Session(
            session_key=store._get_new_session_key(),  # noqa: SLF001 - the bench makes sessions
            session_data=store.encode({
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }),
            expire_date=expires,
        )
        for user in [founder, *users[logins:]]
    ]
    Session.objects.bulk_create(sessions, batch_size=1000)
    people: list[dict[str, Any]] = [
        {"username": user.username, "password": f"pw-{user.username}"} for user in users[:logins]
    ] + [{"username": user.username, "session": session.session_key}
         for user, session in zip(users[logins:], sessions[1:], strict=True)]
    ballot = services.ballot_open(
        user=founder,
        organisation=organisation,
        title="The assembly's vote",
        method=method,
        options=[f"Option {n}" for n in range(OPTIONS.get(method, 0))],
        status_quo_label="Keep things as they are" if method == "schulze" else "",
        seats=2 if method == "stv" else 1,
        secrecy="secret" if secret else "open",
        reasons="off",
        early_close_allowed=True,
        closes_at=timezone.now() + timedelta(hours=6),
    )
    keys = sorted(ballot.options.values_list("key", flat=True))
    print(json.dumps({"ballot": ballot.pk, "keys": keys, "founder": sessions[0].session_key,
                      "voters": people}))


def child_check(ballot_id: int, acked_path: str) -> None:
    """The database's side: each acknowledged voter's vote stored once, as cast; prints JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parrhesia.config.settings")
    django.setup()
    from django_tasks_db.models import DBTaskResult

    from parrhesia.decisions import counting
    from parrhesia.decisions.models import Ballot, Participation, SecretBallot, Vote
    from parrhesia.decisions.selectors import ballot_facts
    from parrhesia.orgs.models import Membership

    acked: dict[str, Any] = json.loads(Path(acked_path).read_text())
    ballot = Ballot.objects.get(pk=ballot_id)
    facts = ballot_facts(ballot)
    members = dict(
        Membership.objects.filter(organisation=ballot.organisation).values_list(
            "user__username", "pk"
        )
    )
    per_member = Counter(
        (Participation if ballot.is_secret else Vote).objects.filter(ballot=ballot)
        .values_list("member_id", flat=True)
    )
    stored = {} if ballot.is_secret else dict(
        Vote.objects.filter(ballot=ballot).values_list("member_id", "choices")
    )
    missing, wrong = [], []
    for username, vote in acked.items():
        member = members[username]
        if not per_member.get(member):
            missing.append(username)
        elif not ballot.is_secret and stored[member] != counting.choices_check(
            facts, vote["choices"]
        ):
            wrong.append(username)
    tasks = Counter(DBTaskResult.objects.values_list("status", flat=True))
    print(json.dumps({
        "closed": not ballot.is_open,
        "result_turnout": (ballot.result or {}).get("turnout"),
        "published": ballot.published_ballots or [],
        "voters_stored": len(per_member),
        "stored_twice": sum(1 for n in per_member.values() if n > 1),
        "secret_ballots": SecretBallot.objects.filter(ballot=ballot).count(),
        "missing": missing,
        "wrong_choices": wrong,
        "members": {u: pk for u, pk in members.items() if u in acked},
        "tasks": dict(tasks),
        "normalised": {u: counting.choices_check(facts, v["choices"]) for u, v in acked.items()},
    }))


# --- the topology ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg_bindir() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise SystemExit("assembly: PostgreSQL is not installed (apt-get install postgresql)")
    return str(Path(found[-1]).parent)


@dataclass
class Topology:
    """The processes of the site, each in its own process group (kill -9 takes it whole)."""

    root: str
    env: dict[str, str]
    app_ports: list[int]
    workers: int
    cluster: str | None = None
    balancer_port: int | None = None
    apps: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    task_workers: dict[int, subprocess.Popen[bytes] | None] = field(default_factory=dict)
    held_down: set[int] = field(default_factory=set)
    balancer: subprocess.Popen[bytes] | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: bool = False

    def spawn(self, name: str, argv: list[str]) -> subprocess.Popen[bytes]:
        logfile = open(os.path.join(self.root, f"{name}.log"), "ab")  # noqa: SIM115
        return subprocess.Popen(
            argv, env=self.env, cwd=REPO, stdout=logfile, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def parrhesia(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "parrhesia", *args], env=self.env, cwd=REPO, check=check,
            capture_output=True, text=True,
        )

    def app_start(self, index: int) -> None:
        port = self.app_ports[index]
        self.apps[index] = self.spawn(f"app{index}", [
            sys.executable, "-m", "parrhesia", "serve", "--host", "127.0.0.1", "--port",
            str(port), "--no-task-worker",
        ])

    def app_kill(self, index: int) -> None:
        os.killpg(self.apps[index].pid, signal.SIGKILL)
        self.apps[index].wait()

    def worker_start(self, index: int) -> None:
        self.task_workers[index] = self.spawn(
            f"worker{index}", [sys.executable, "-m", "parrhesia", "worker"]
        )

    def worker_kill(self, index: int, hold: bool = True) -> None:
        with self.lock:
            if hold:
                self.held_down.add(index)
            process = self.task_workers.get(index)
            if process is not None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def worker_release(self, index: int) -> None:
        with self.lock:
            self.held_down.discard(index)
            self.worker_start(index)

    def supervise(self) -> None:
        """What systemd's Restart=always does: a worker that exits by itself is started again
        (a worker whose database went away mid-poll exits with an OperationalError)."""
        with self.lock:
            for index, process in self.task_workers.items():
                if self.stopping or index in self.held_down:
                    continue
                if process is None or process.poll() is None:
                    continue
                self.events.append({"what": f"worker {index} exited ({process.returncode}) and "
                                    "was started again", "at": time.time()})
                self.worker_start(index)

    def pg_ctl(self, mode: str) -> tuple[bool, str]:
        assert self.cluster
        as_owner = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        done = subprocess.run(
            [*as_owner, f"{pg_bindir()}/pg_ctl", "-D", f"{self.cluster}/data", "-l",
             f"{self.cluster}/server.log", "-m", mode, "-w", "restart"],
            capture_output=True, text=True,
        )
        return done.returncode == 0, (done.stdout + done.stderr).strip()[-300:]

    def bases(self) -> list[str]:
        if self.balancer_port:
            return [f"127.0.0.1:{self.balancer_port}"]
        return [f"127.0.0.1:{port}" for port in self.app_ports]

    def stop(self) -> None:
        with self.lock:
            self.stopping = True
        processes = [*self.apps.values(), *[p for p in self.task_workers.values() if p]]
        if self.balancer:
            processes.append(self.balancer)
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


HAPROXY = """global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 150s
    timeout server 150s
    timeout queue 150s
    retries 3
    option redispatch
frontend assembly
    bind 127.0.0.1:{port}
    default_backend apps
backend apps
    balance roundrobin
    option httpchk GET /health
    timeout check 10s
{servers}
"""


def balancer_start(topology: Topology) -> None:
    haproxy = shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.path.exists(
        "/usr/sbin/haproxy") else None)
    if haproxy is None:
        return
    port = free_port()
    config = os.path.join(topology.root, "haproxy.cfg")
    # Requests wait in HAProxy's queue, not in a server's backlog: a few per gunicorn worker
    # (sync workers take one at a time), so that /health is answered at once by a busy server.
    maxconn = 2 * int(topology.env["PARRHESIA_WEB_WORKERS"])
    servers = "\n".join(
        f"    server app{i} 127.0.0.1:{p} maxconn {maxconn} check inter 1s fall 2 rise 2 "
        "observe layer4 error-limit 1 on-error mark-down"
        for i, p in enumerate(topology.app_ports)
    )
    Path(config).write_text(HAPROXY.format(port=port, servers=servers))
    topology.balancer = topology.spawn("haproxy", [haproxy, "-db", "-f", config])
    topology.balancer_port = port


def wait_healthy(base: str, seconds: float = 120) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            status, _, _ = request(base, "GET", "/health", timeout=2)
            if status == 200:
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


# --- HTTP clients ------------------------------------------------------------------------------


def request(
    base: str, method: str, path: str, headers: dict[str, str] | None = None,
    body: bytes | None = None, timeout: float = 60,
) -> tuple[int, http.client.HTTPMessage, str]:
    host, port = base.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={"Connection": "close",
                                                             **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    connection_errors: int = 0
    http_5xx: int = 0
    retries: int = 0
    acknowledged: int = 0
    codes: Counter[int] = field(default_factory=Counter)

    def add(self, name: str) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + 1)


def resilient(
    bases: list[str], first: int, stats: Stats, method: str, path: str,
    headers: dict[str, str], body: bytes | None = None,
) -> tuple[int, http.client.HTTPMessage, str]:
    """One request, retried on the next server after a connection error or a 5xx (a vote carries
    its Idempotency-Key, so a retry never counts it twice), for up to RETRY_FOR_S seconds."""
    deadline, attempt = time.time() + RETRY_FOR_S, 0
    while True:
        base = bases[(first + attempt) % len(bases)]
        try:
            status, reply_headers, text = request(base, method, path, headers, body)
            if status < 500:
                return status, reply_headers, text
            stats.add("http_5xx")
            with stats.lock:
                stats.codes[status] += 1
        except OSError:
            stats.add("connection_errors")
        if time.time() > deadline:
            raise TimeoutError(f"{method} {path}: no answer for {RETRY_FOR_S} s")
        stats.add("retries")
        attempt += 1
        time.sleep(min(2.0, 0.05 * 2 ** min(attempt, 6)) * random.uniform(0.5, 1.0))


def cookies_of(headers: http.client.HTTPMessage) -> dict[str, str]:
    jar = {}
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def log_in(bases: list[str], first: int, stats: Stats, username: str, password: str) -> str:
    """A real log-in through the form; returns the session cookie."""
    status, headers, page = resilient(bases, first, stats, "GET", "/accounts/login/", {})
    csrf = cookies_of(headers)["csrftoken"]
    body = urllib.parse.urlencode({
        "csrfmiddlewaretoken": TOKEN.search(page).group(1),  # type: ignore[union-attr]
        "login": username, "password": password,
    }).encode()
    status, headers, _ = resilient(bases, first, stats, "POST", "/accounts/login/", {
        "Cookie": f"csrftoken={csrf}", "Content-Type": "application/x-www-form-urlencoded",
    }, body)
    session = cookies_of(headers).get("sessionid")
    if status != 302 or not session:
        raise RuntimeError(f"log-in of {username} failed with {status}")
    return session


def form_of(method: str, keys: list[int], i: int) -> tuple[list[tuple[str, str]], Any]:
    """Voter i's form fields and the same choices as the vote service takes them."""
    rng = random.Random(i)
    if method == "motion":
        choice = MOTION[i % 3]
        return [("choice", choice)], choice
    if method == "plurality":
        return [("choice", str(keys[i % len(keys)]))], keys[i % len(keys)]
    if method == "approval":
        approved = [k for k in keys if rng.random() < 0.5] or [keys[i % len(keys)]]
        return [("approved", str(k)) for k in approved], approved
    order = list(keys)
    rng.shuffle(order)
    return [(f"rank_{k}", str(n + 1)) for n, k in enumerate(order)], [[k] for k in order]


@dataclass
class Outcome:
    username: str
    acknowledged: bool = False
    choices: Any = None
    ack_s: float = 0.0
    page_s: float = 0.0
    voter_s: float = 0.0
    late_s: float = 0.0
    tracker: str | None = None
    error: str = ""
    repeat_ok: bool | None = None


def vote(world: dict[str, Any], i: int, due: float, stats: Stats, bases: list[str],
         secret: bool) -> Outcome:
    """Voter i, at its time on the schedule: (log in,) read the page, vote, maybe vote again."""
    person = world["voters"][i]
    outcome = Outcome(person["username"], late_s=max(0.0, time.time() - due))
    path = f"/o/{SLUG}/decisions/{world['ballot']}/"
    try:
        session = person.get("session") or log_in(
            bases, i, stats, person["username"], person["password"]
        )
        started = time.time()
        status, headers, page = resilient(bases, i, stats, "GET", path,
                                          {"Cookie": f"sessionid={session}"})
        outcome.page_s = time.time() - started
        token = TOKEN.search(page)
        csrf = cookies_of(headers).get("csrftoken")
        if status != 200 or token is None or csrf is None:
            raise RuntimeError(f"ballot page answered {status} without a vote form")
        fields, outcome.choices = form_of(world["method"], world["keys"], i)
        body = urllib.parse.urlencode([("csrfmiddlewaretoken", token.group(1)), *fields]).encode()
        headers_out = {
            "Cookie": f"sessionid={session}; csrftoken={csrf}", "Idempotency-Key": uuid.uuid4().hex,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        posted = time.time()
        for attempt in range(2 if i % 10 == 0 else 1):
            status, _, page = resilient(bases, i + 1, stats, "POST", path + "vote/", headers_out,
                                        body)
            ok = status == 302 if not secret else status == 200 and "receipt-heading" in page
            if attempt == 0:
                outcome.acknowledged, outcome.ack_s = ok, time.time() - posted
                if ok:
                    stats.add("acknowledged")
                outcome.voter_s = time.time() - due
                found = TRACKER.search(page) if secret else None
                outcome.tracker = found.group(1) if found else None
                if not ok:
                    outcome.error = f"vote answered {status}"
            else:
                outcome.repeat_ok = ok
    except Exception as error:  # noqa: BLE001 - the bench reports every failure, never dies
        outcome.error = outcome.error or f"{type(error).__name__}: {error}"[:200]
    return outcome


def watch_checkpoints(bases: list[str], session: str, stop: threading.Event,
                      seen: list[dict[str, Any]], period: float) -> None:
    """An auditor reading the published checkpoint while the vote runs."""
    turn = 0
    while not stop.wait(period):
        turn += 1
        try:
            status, _, text = request(bases[turn % len(bases)], "GET",
                                      f"/o/{SLUG}/record/checkpoint",
                                      {"Cookie": f"sessionid={session}"}, timeout=10)
            if status == 200:
                seen.append(json.loads(text))
        except (OSError, ValueError):
            pass


# --- faults ------------------------------------------------------------------------------------


def after(seconds: float, check: Any, within: float = 60) -> bool:
    time.sleep(seconds)
    deadline = time.time() + within
    while time.time() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def fault_app_server(topology: Topology, down: float) -> dict[str, Any]:
    topology.app_kill(0)
    topology.app_start(0)  # started at once: it takes a few seconds to come up
    port = topology.app_ports[0]
    healthy = after(down, lambda: wait_healthy(f"127.0.0.1:{port}", 1))
    return {"what": "kill -9 of app server 0 (its gunicorn master and workers), started again",
            "recovered": healthy}


def fault_worker(topology: Topology, down: float) -> dict[str, Any]:
    topology.worker_kill(0)
    others = [p for i, p in topology.task_workers.items() if i and p and p.poll() is None]
    time.sleep(down)
    topology.worker_release(0)
    return {"what": f"kill -9 of task worker 0, down {down:g} s while the other workers ran on",
            "recovered": bool(others) or len(topology.task_workers) == 1}


def fault_postgres(topology: Topology, mode: str) -> dict[str, Any]:
    restarted, said = topology.pg_ctl(mode)
    # Each app server asked directly: through the balancer, /health waits in its queue behind
    # every vote offered meanwhile, and says more about that queue than about the database.
    healthy = after(0, lambda: all(
        wait_healthy(f"127.0.0.1:{port}", 1) for port in topology.app_ports
    ))
    return {"what": f"PostgreSQL restart, pg_ctl -m {mode}", "recovered": restarted and healthy,
            "pg_ctl": said}


def fault_workers_down(topology: Topology, down: float) -> dict[str, Any]:
    for index in list(topology.task_workers):
        topology.worker_kill(index)
    time.sleep(down)
    due = topology.parrhesia("due", check=False)
    for index in list(topology.task_workers):
        topology.worker_release(index)
    return {"what": f"every task worker down for {down:g} s, then 'parrhesia due' before they "
            "came back", "recovered": due.returncode == 0, "due": due.stdout.strip()[:300]}


def fault_plan(args: argparse.Namespace, duration: float) -> list[tuple[float, Any]]:
    """What goes wrong when, in seconds from the first vote (one after the other)."""
    down = 4.0 if args.quick else 10.0
    plan: list[tuple[float, Any]] = [
        (0.1 * duration, lambda t: fault_app_server(t, down)),
        (0.3 * duration, lambda t: fault_worker(t, down)),
    ]
    if args.database == "postgresql":
        plan += [
            (0.45 * duration, lambda t: fault_postgres(t, "fast")),
            (0.6 * duration, lambda t: fault_postgres(t, "immediate")),
        ]
    plan.append((0.7 * duration, lambda t: fault_workers_down(t, args.workers_down)))
    return plan


def faults_run(topology: Topology, plan: list[tuple[float, Any]], t0: float,
               done: list[dict[str, Any]]) -> None:
    for at, fault in plan:
        time.sleep(max(0.0, t0 + at - time.time()))
        started = time.time()
        log(f"fault at {started - t0:.1f} s")
        try:
            entry = fault(topology)
        except Exception as error:  # noqa: BLE001 - a fault that cannot be made is reported
            entry = {"what": repr(fault), "recovered": False, "error": repr(error)[:200]}
        entry.update(at_s=round(started - t0, 1), took_s=round(time.time() - started, 1))
        done.append(entry)
        log(f"  {entry['what']}: recovered {entry['recovered']}")


# --- afterwards --------------------------------------------------------------------------------


def ballot_close(bases: list[str], world: dict[str, Any], stats: Stats) -> int:
    """The steward closes the ballot through the site, as on its page."""
    path = f"/o/{SLUG}/decisions/{world['ballot']}/"
    cookie = f"sessionid={world['founder']}"
    _, headers, page = resilient(bases, 0, stats, "GET", path, {"Cookie": cookie})
    csrf = cookies_of(headers)["csrftoken"]
    body = urllib.parse.urlencode({
        "csrfmiddlewaretoken": TOKEN.search(page).group(1),  # type: ignore[union-attr]
        "confirm": "on",
    }).encode()
    status, _, _ = resilient(bases, 0, stats, "POST", path + "close/", {
        "Cookie": f"{cookie}; csrftoken={csrf}",
        "Content-Type": "application/x-www-form-urlencoded",
    }, body)
    return status


def record_of(export: str, ballot: int) -> dict[str, Any]:
    """The export's side: each member's entries on the ballot, and the closing entry."""
    from parrhesia.methods.record.export import iter_entries

    per_actor: Counter[int] = Counter()
    seqs: Counter[int] = Counter()
    closed: dict[str, Any] = {}
    for entry in iter_entries(export):
        seqs[entry.seq] += 1
        if entry.subject_kind != "ballot" or str(entry.subject_id) != str(ballot):
            continue
        if entry.action in ("ballot.voted", "ballot.participated") and entry.actor is not None:
            per_actor[entry.actor] += 1
        elif entry.action == "ballot.closed":
            closed = dict(entry.payload)
    return {"per_actor": per_actor, "duplicate_seqs": sum(n > 1 for n in seqs.values()),
            "size": len(seqs), "closed": closed}


def checkpoints_consistent(
    seen: list[dict[str, Any]], export: str, bases: list[str], session: str
) -> tuple[bool, dict[str, Any]]:
    """Each checkpoint the watcher saw: signed by the export's key, and the record's API proves
    the export's tree extends it (RFC 9162 §2.1.4.2), checked here against the seen roots."""
    from parrhesia.methods.record.checkpoint import CheckpointError, open_checkpoint
    from parrhesia.methods.record.export import export_last_line, export_lines, export_open
    from parrhesia.methods.record.merkle import ProofError, verify_consistency

    with export_open(export) as fp:
        header = json.loads(next(line for _, line in export_lines(fp)))
    key = header["verifier_key"]
    final = open_checkpoint(json.loads(export_last_line(export))["checkpoint"], key)
    distinct = {(c["size"], c["root"]): c for c in seen}
    failures = []
    for (size, root), checkpoint in sorted(distinct.items()):
        try:
            opened = open_checkpoint(checkpoint["note"], key)
            assert opened.size == size and base64.b64encode(opened.root).decode() == root
            _, _, text = request(bases[0], "GET", f"/o/{SLUG}/record/proof/consistency?old="
                                 f"{size}&new={final.size}", {"Cookie": f"sessionid={session}"})
            proof = [base64.b64decode(h) for h in json.loads(text)["proof"]]
            verify_consistency(size, final.size, opened.root, final.root, proof)
        except (CheckpointError, ProofError, AssertionError, KeyError, ValueError) as error:
            failures.append({"size": size, "error": repr(error)[:200]})
    return bool(distinct) and not failures, {
        "checkpoints_seen": len(seen), "checkpoints_distinct": len(distinct),
        "checkpoint_sizes": [min(s for s, _ in distinct), final.size] if distinct else [],
        "checkpoint_failures": failures[:5],
    }


# --- the run -----------------------------------------------------------------------------------


def child(topology: Topology, *args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--child", *args], env=topology.env,
                          cwd=REPO, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"assembly: the {args[0]} step failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def topology_start(args: argparse.Namespace, root: str) -> Topology:
    env = dict(os.environ, PARRHESIA_DATA_DIR=os.path.join(root, "data"),
               PARRHESIA_WEB_WORKERS=str(args.web_workers))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    topology = Topology(root, env, [free_port() for _ in range(args.app_servers)], args.workers)
    if args.database == "postgresql":
        topology.cluster = os.path.join(root, "pg")
        env["DATABASE_URL"] = subprocess.run(
            ["bash", str(REPO / "scripts/pg-test-cluster"), "start", topology.cluster],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
    log(f"migrating ({args.database})")
    topology.parrhesia("migrate")
    return topology


def servers_start(topology: Topology, args: argparse.Namespace) -> None:
    for index in range(args.app_servers):
        topology.app_start(index)
    for index in range(args.workers):
        topology.worker_start(index)
    if args.balancer:
        balancer_start(topology)
    for base in [f"127.0.0.1:{p}" for p in topology.app_ports] + topology.bases():
        if not wait_healthy(base):
            raise SystemExit(f"assembly: {base} did not come up (logs in {topology.root})")


def voting(topology: Topology, args: argparse.Namespace, world: dict[str, Any],
           stats: Stats) -> tuple[list[Outcome], list[dict[str, Any]], list[dict[str, Any]], float]:
    bases, seen, faults = topology.bases(), [], []  # type: ignore[var-annotated]
    stop = threading.Event()
    t0 = time.time() + 1.0
    duration = args.voters / args.rate

    def job(i: int) -> Outcome:
        due = t0 + i / args.rate
        time.sleep(max(0.0, due - time.time()))
        return vote(world, i, due, stats, bases, args.secret)

    def supervise() -> None:
        turn = 0
        while not stop.wait(0.5):
            topology.supervise()
            turn += 1
            if turn % 20 == 0:
                log(f"{time.time() - t0:.0f} s: {stats.acknowledged} acknowledged, "
                    f"{stats.retries} retries, load {os.getloadavg()[0]:.1f}")

    helpers = [
        threading.Thread(target=watch_checkpoints,
                         args=(bases, world["founder"], stop, seen, args.watch)),
        threading.Thread(target=supervise),
    ]
    if args.faults:
        helpers.append(threading.Thread(
            target=faults_run, args=(topology, fault_plan(args, duration), t0, faults)
        ))
    for thread in helpers:
        thread.start()
    log(f"{args.voters} voters at {args.rate:g} votes/s over {len(bases)} address(es)")
    with ThreadPoolExecutor(min(args.voters, args.clients)) as pool:
        outcomes = list(pool.map(job, range(args.voters)))
    wall = time.time() - t0
    if args.faults:
        helpers[2].join()
    stop.set()
    for thread in helpers[:2]:
        thread.join()
    return outcomes, seen, faults, wall


def percentile(values: list[float], q: float) -> int:
    if not values:
        return 0
    ordered = sorted(values)
    return round(1000 * ordered[max(0, min(len(ordered) - 1, int(q * len(ordered) + 0.5) - 1))])


def verify(topology: Topology, world: dict[str, Any], outcomes: list[Outcome],
           secret: bool) -> dict[str, Any]:
    """Close, export, verify, recount; then count what is lost and what counted twice."""
    root, bases = topology.root, topology.bases()
    figures: dict[str, Any] = {"close_status": ballot_close(bases, world, Stats())}
    figures["due_after_close"] = topology.parrhesia("due", check=False).stdout.strip()[:300]
    export = os.path.join(root, "record.jsonl")
    exported = topology.parrhesia("record", "export", SLUG, "--out", export, check=False)
    verified = topology.parrhesia("record", "verify", export, check=False)
    recount = topology.parrhesia("decisions", "recount", "--record", export, check=False)
    figures["record_verified"] = exported.returncode == 0 and verified.returncode == 0
    figures["record_verify"] = (verified.stdout or verified.stderr or exported.stderr).strip()
    figures["tally_equals_recount"] = recount.returncode == 0
    figures["recount"] = (recount.stdout or recount.stderr).strip()[:300]
    acked = {o.username: {"choices": o.choices} for o in outcomes if o.acknowledged}
    Path(root, "acked.json").write_text(json.dumps(acked))
    db = child(topology, "check", "--ballot", str(world["ballot"]),
               "--acked", os.path.join(root, "acked.json"))
    rec = record_of(export, world["ballot"]) if figures["record_verified"] else {
        "per_actor": Counter(), "duplicate_seqs": 0, "size": 0, "closed": {}}
    lost = set(db["missing"]) | set(db["wrong_choices"])
    lost |= {u for u, m in db["members"].items() if not rec["per_actor"][m]}
    twice = {str(m) for m, n in rec["per_actor"].items() if n > 1}
    if secret:
        published = Counter(b["tracker"] for b in db["published"])
        choices = {b["tracker"]: b["choices"] for b in db["published"]}
        for o in outcomes:
            if o.acknowledged and o.tracker and (
                not published[o.tracker] or choices[o.tracker] != db["normalised"][o.username]
            ):
                lost.add(o.username)
        twice |= {t for t, n in published.items() if n > 1}
        figures["trackers_checked"] = sum(bool(o.acknowledged and o.tracker) for o in outcomes)
    excess = max(0, (db["result_turnout"] or 0) - db["voters_stored"])
    figures.update(
        lost=len(lost), lost_voters=sorted(lost)[:10],
        double_counted=len(twice) + db["stored_twice"] + excess,
        closed=db["closed"], result_turnout=db["result_turnout"],
        voters_stored=db["voters_stored"], record_entries=rec["size"],
        duplicate_record_entries=rec["duplicate_seqs"], tasks=db["tasks"],
    )
    return figures


def run(args: argparse.Namespace) -> dict[str, Any]:
    root = tempfile.mkdtemp(prefix="parrhesia-assembly-")
    if os.getuid() == 0:
        os.chmod(root, 0o755)  # the cluster's owner (postgres) must reach its folder
    topology = None
    started = time.time()
    try:
        topology = topology_start(args, root)
        log(f"setting up {args.members} members and a {args.method} ballot")
        world = child(topology, "setup", "--members", str(args.members), "--method", args.method,
                      *(["--secret"] if args.secret else []), "--logins", str(args.logins))
        world["voters"] = world["voters"][: args.voters]
        world["method"] = args.method
        servers_start(topology, args)
        stats = Stats()
        outcomes, seen, faults, wall = voting(topology, args, world, stats)
        log("closing the ballot, exporting and verifying the record")
        figures = verify(topology, world, outcomes, args.secret)
        consistent, checkpoint_figures = checkpoints_consistent(
            seen, os.path.join(root, "record.jsonl"), topology.bases(), world["founder"]
        ) if figures["record_verified"] else (False, {})
        acked = [o for o in outcomes if o.acknowledged]
        errors = [o.error for o in outcomes if not o.acknowledged]
        last_ack = max((o.voter_s + i / args.rate for i, o in enumerate(outcomes)
                        if o.acknowledged), default=wall)
        for event in topology.events:
            event["at"] = round(event["at"] - (started + 0), 1)
        return {
            "acknowledged": len(acked),
            "lost": figures.pop("lost"),
            "double_counted": figures.pop("double_counted"),
            "p50_ms": percentile([o.ack_s for o in acked], 0.50),
            "p99_ms": percentile([o.ack_s for o in acked], 0.99),
            "throughput": round(len(acked) / max(last_ack, 1e-9), 1),
            "record_verified": figures.pop("record_verified"),
            "checkpoints_consistent": consistent,
            "faults": faults,
            "errors": len(errors),
            "error_samples": sorted(Counter(errors).items(), key=lambda kv: -kv[1])[:5],
            "voters": args.voters, "members": args.members, "rate": args.rate,
            "method": args.method, "secret": args.secret, "database": args.database,
            "app_servers": args.app_servers, "workers": args.workers,
            "web_workers_per_server": args.web_workers,
            "balancer": "haproxy" if topology.balancer else "client round robin",
            "logins_through_form": min(args.logins, args.voters),
            "page_p50_ms": percentile([o.page_s for o in acked], 0.50),
            "page_p99_ms": percentile([o.page_s for o in acked], 0.99),
            "voter_p99_ms": percentile([o.voter_s for o in acked], 0.99),
            "start_lag_p99_ms": percentile([o.late_s for o in outcomes], 0.99),
            "repeats_acknowledged": sum(o.repeat_ok is True for o in outcomes),
            "repeats": sum(o.repeat_ok is not None for o in outcomes),
            "connection_errors": stats.connection_errors, "http_5xx": stats.http_5xx,
            "http_5xx_by_status": dict(stats.codes),
            "retries": stats.retries, "voting_wall_s": round(wall, 1),
            "wall_s": round(time.time() - started, 1),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "machine": f"{platform.node()}, {os.cpu_count()} CPUs, "
                       f"{platform.processor() or platform.machine()}",
            "process_events": topology.events,
            **checkpoint_figures, **figures,
        }
    finally:
        if topology is not None:
            topology.stop()
            if topology.cluster:
                subprocess.run(["bash", str(REPO / "scripts/pg-test-cluster"), "stop",
                                topology.cluster], capture_output=True)
        if args.keep:
            log(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, help="members (default: --voters)")
    parser.add_argument("--voters", type=int, help="voters (default 5000; --quick 300)")
    parser.add_argument("--rate", type=float, help="votes/s offered (default 100; --quick 20)")
    parser.add_argument("--method", default="motion",
                        choices=("motion", "plurality", "approval", "schulze", "stv"))
    parser.add_argument("--secret", action="store_true", help="a secret ballot")
    parser.add_argument("--faults", action="store_true", help="kill servers, workers, database")
    parser.add_argument("--quick", action="store_true", help="a small run (about a minute)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--sqlite", dest="database", action="store_const", const="sqlite")
    parser.add_argument("--app-servers", type=int, help="default 2 (1 on SQLite)")
    parser.add_argument("--workers", type=int, default=2, help="task workers (default 2)")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--clients", type=int, default=600, help="client threads at most")
    parser.add_argument("--logins", type=int, default=5, help="voters who log in by the form")
    parser.add_argument("--workers-down", type=float, help="seconds (default 60; --quick 8)")
    parser.add_argument("--watch", type=float, default=1.0, help="checkpoint reads, seconds")
    parser.add_argument("--no-balancer", dest="balancer", action="store_false")
    parser.add_argument("--keep", action="store_true", help="keep the throw-away folder")
    parser.add_argument("--child", choices=("setup", "check"), help=argparse.SUPPRESS)
    parser.add_argument("--ballot", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--acked", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return args
    args.voters = args.voters or (300 if args.quick else 5000)
    args.members = max(args.members or args.voters, args.voters)
    args.rate = args.rate or (20.0 if args.quick else 100.0)
    args.app_servers = args.app_servers or (1 if args.database == "sqlite" else 2)
    args.workers_down = args.workers_down or (8.0 if args.quick else 60.0)
    if args.rate <= 0 or args.voters < 1 or args.app_servers < 1 or args.workers < 1:
        parser.error("--rate, --voters, --app-servers and --workers must be positive")
    return args


def main() -> int:
    args = arguments()
    if args.child == "setup":
        child_setup(args.members, args.method, args.secret, args.logins)
        return 0
    if args.child == "check":
        child_check(args.ballot, args.acked)
        return 0
    figures = run(args)
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:26} {value}")
    bad = (figures["lost"] or figures["double_counted"] or not figures["record_verified"]
           or not figures["checkpoints_consistent"] or not figures["tally_equals_recount"]
           or not figures["closed"])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
