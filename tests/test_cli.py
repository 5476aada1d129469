"""The `parrhesia` command as an operator uses it: each test runs the real console script on a
fresh embedded SQLite data folder."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PARRHESIA = [sys.executable, "-m", "parrhesia"]


def clean_environment() -> dict[str, str]:
    """The operator's environment: no test settings, no test database."""
    leaking = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {key: value for key, value in os.environ.items() if key not in leaking}


def run(data_dir: Path, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    env = clean_environment()
    env["PARRHESIA_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [*PARRHESIA, *args], env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("demo")
    result = run(data_dir, "demo")
    assert result.returncode == 0, result.stderr
    return data_dir


def test_help_lists_every_command(tmp_path):
    result = run(tmp_path, "--help")
    assert result.returncode == 0
    for command in (
        "serve",
        "demo",
        "check",
        "record",
        "tally",
        "opinion",
        "worker",
        "migrate",
        "due",
    ):
        assert command in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("bogus",),
        ("serve", "--port", "99999"),
        ("serve", "--port", "http"),
        ("record",),
        ("demo", "--nope"),
    ],
)
def test_wrong_arguments_give_one_line_and_exit_2(tmp_path, args):
    result = run(tmp_path, *args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "error:" in result.stderr and "Traceback" not in result.stderr


def test_the_demo_seeds_people_of_each_role_and_says_how_to_log_in(demo_dir):
    result = run(demo_dir, "demo")  # a second time: nothing changes
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:8000/o/demo/" in result.stdout
    assert "parrhesia-demo" in result.stdout
    for username in ("alice", "bob", "carol", "dave", "erin"):
        assert username in result.stdout
    database = sqlite3.connect(demo_dir / "parrhesia.sqlite3")
    roles = dict(
        database.execute(
            "SELECT u.username, m.role FROM orgs_membership m"
            " JOIN accounts_user u ON u.id = m.user_id"
        ).fetchall()
    )
    assert roles["alice"] == "admin" and roles["bob"] == "steward" and roles["carol"] == "member"
    assert database.execute("SELECT COUNT(*) FROM orgs_organisation").fetchone()[0] == 1
    hashes = [row[0] for row in database.execute("SELECT password FROM accounts_user")]
    assert all(password.startswith("argon2") for password in hashes)


def test_the_demo_refuses_a_database_with_other_data(tmp_path):
    assert run(tmp_path, "migrate").returncode == 0
    database = sqlite3.connect(tmp_path / "parrhesia.sqlite3")
    database.execute(
        "INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email,"
        " is_staff, is_active, date_joined, display_name)"
        " VALUES ('x', 0, 'mallory', '', '', '', 0, 1, '2026-01-01', 'Mallory')"
    )
    database.commit()
    result = run(tmp_path, "demo")
    assert result.returncode == 1
    assert result.stderr.startswith("parrhesia: error: demo refused")
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_demo_record_exports_and_verifies(demo_dir, tmp_path):
    export = tmp_path / "demo.jsonl"
    assert run(demo_dir, "record", "export", "demo", "--out", str(export)).returncode == 0
    result = run(tmp_path, "record", "verify", str(export))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: demo,")


def test_exporting_an_unknown_organisation_says_so(demo_dir):
    result = run(demo_dir, "record", "export", "nowhere")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "parrhesia: error: no organisation with the short name 'nowhere' (see the site's home page)"
    )


def test_due_work_runs_and_is_idempotent(demo_dir):
    first = run(demo_dir, "due")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Due work: ")
    assert run(demo_dir, "due").stdout == "Due work: nothing was due.\n"


def test_check_passes_under_production_settings(demo_dir):
    result = run(demo_dir, "check")
    assert result.returncode == 0, result.stdout + result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_with_pages_and_static_files(demo_dir):
    port = free_port()
    env = clean_environment()
    env["PARRHESIA_DATA_DIR"] = str(demo_dir)
    server = subprocess.Popen(
        [*PARRHESIA, "serve", "--port", str(port), "--workers", "1", "--no-task-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                health = urllib.request.urlopen(f"{base}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer within 15 s")
        assert health.status == 200
        assert b"Riverside Tenants" in urllib.request.urlopen(f"{base}/o/demo/").read()
        css = urllib.request.urlopen(f"{base}/static/parrhesia/site.css")
        assert css.status == 200 and b"Parrhesia" in css.read()
    finally:
        server.terminate()
        server.wait(timeout=15)


@pytest.fixture
def postgresql_url(tmp_path) -> str:
    """A fresh database on the test run's PostgreSQL server, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs PostgreSQL: runs in the PostgreSQL pass of `make test`")
    import urllib.parse

    import psycopg

    name = f"serve_{os.getpid()}_{tmp_path.name[-12:]}".replace("-", "_").lower()
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(url)
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_serve_on_postgresql_gives_every_worker_its_own_connection(postgresql_url, tmp_path):
    # The server migrates before forking its workers; a worker that inherited that connection
    # would share one PostgreSQL socket with its sibling and read the other's answers.
    env = clean_environment()
    env["PARRHESIA_DATA_DIR"] = str(tmp_path)
    env["DATABASE_URL"] = postgresql_url
    seeded = subprocess.run([*PARRHESIA, "demo"], env=env, capture_output=True, text=True,
                            timeout=300)
    assert seeded.returncode == 0, seeded.stderr
    port = free_port()
    server = subprocess.Popen(
        [*PARRHESIA, "serve", "--port", str(port), "--workers", "2", "--no-task-worker"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer within 30 s")
        pages = {"/o/demo/": b"Riverside Tenants", "/o/demo/record/": b"Riverside Tenants",
                 "/health": b'"database": "postgresql"'}

        def fetch(path: str) -> tuple[str, int, bool]:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                return path, response.status, pages[path] in response.read()

        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(fetch, [*pages] * 20))
        assert answers == [(path, 200, True) for path in [*pages] * 20]
    finally:
        server.terminate()
        server.wait(timeout=15)
