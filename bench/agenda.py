"""Benchmark the argument map: one motion with 1,000 arguments (400 for/against, 600 nested
replies, 300 challenges, ~3,000 endorsements by 40 members, so the bridging order is computed),
rendered server-side through the whole Django stack, on SQLite and on a throw-away PostgreSQL.

    .venv/bin/python bench/agenda.py [--arguments 1000] [--runs 30] [--no-postgres]

Target (issue 4): under 150 ms per page.
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
sys.path.insert(0, str(REPO))


def run_one(database: str, args: argparse.Namespace) -> str:
    env = dict(
        os.environ,
        PARRHESIA_DATA_DIR=tempfile.mkdtemp(prefix="parrhesia-bench-"),
        PARRHESIA_ALLOWED_HOSTS="testserver",
    )
    cluster = None
    if database == "postgresql":
        cluster = tempfile.mkdtemp(prefix="parrhesia-bench-pg-")
        env["DATABASE_URL"] = subprocess.run(
            ["bash", str(REPO / "scripts/pg-test-cluster"), "start", cluster],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
    try:
        return subprocess.run(
            [sys.executable, __file__, "--child", "--arguments", str(args.arguments),
             "--runs", str(args.runs)],
            env=env, check=True, stdout=subprocess.PIPE, text=True,
        ).stdout.strip()  # fmt: skip
    finally:
        if cluster:
            subprocess.run(["bash", str(REPO / "scripts/pg-test-cluster"), "stop", cluster])


def child(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parrhesia.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from parrhesia.accounts.models import User
    from parrhesia.agenda import services
    from parrhesia.agenda.models import Argument, ArgumentRevision, Challenge, Endorsement
    from parrhesia.agenda.texts import markdown_html
    from parrhesia.orgs import services as orgs
    from parrhesia.orgs.models import Membership

    call_command("migrate", verbosity=0)
    rng = random.Random(4)
    founder = User.objects.create_user(username="bench", password="x", display_name="Bench")
    organisation = orgs.organisation_create(user=founder, name="Bench", slug="bench")
    people = User.objects.bulk_create(
        User(username=f"m{i}", display_name=f"Member {i}") for i in range(40)
    )
    members = Membership.objects.bulk_create(
        Membership(organisation=organisation, user=user) for user in people
    )
    item = services.agenda_item_open(
        user=founder, organisation=organisation, title="Rent rise", motion_title="Strike",
        text="We **withhold** the rise.",
    )  # fmt: skip
    motion = item.motions.get()
    # Bulk rows identical to what argument_add writes (minus the record entries).
    text = "Tenants in block C *already* paid late once; the landlord [backed down](https://example.org)."
    html = markdown_html(text)
    created: list[Argument] = []
    for n in range(args.arguments):
        top = n < args.arguments * 2 // 5
        parent = None if top else rng.choice(created)
        stance = rng.choice(["pro", "con"]) if top else rng.choice(["rebuttal", "support"])
        argument = Argument.objects.create(
            motion=motion, parent=parent, stance=stance, author=rng.choice(members),
            text=f"{text} ({n})", html=html,
        )  # fmt: skip
        created.append(argument)
    ArgumentRevision.objects.bulk_create(
        ArgumentRevision(argument=a, number=1, text=a.text) for a in created
    )
    pairs = {(rng.choice(created).pk, rng.choice(members).pk) for _ in range(3000)}
    Endorsement.objects.bulk_create(Endorsement(argument_id=a, member_id=m) for a, m in pairs)
    Challenge.objects.bulk_create(
        Challenge(argument=rng.choice(created), author=rng.choice(members), kind="source")
        for _ in range(300)
    )
    client = Client()
    client.force_login(people[0])
    url = reverse("agenda:arguments", args=["bench", motion.pk])
    assert client.get(url).status_code == 200
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    size = len(response.content) // 1024
    print(f"median={statistics.median(timings):.1f} p95={p95:.1f} min={timings[0]:.1f} kib={size}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arguments", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(
        f"# {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {args.arguments} arguments, {args.runs} runs (ms)"
    )
    for database in ("sqlite", "postgresql")[: 1 if args.no_postgres else 2]:
        print(f"{database}: {run_one(database, args)}")


if __name__ == "__main__":
    main()
