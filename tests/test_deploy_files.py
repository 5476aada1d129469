"""The `deploy/` examples stay true to the code: the commands they run exist, the image runs as
an unprivileged user, Compose starts app servers, workers, `due` and PostgreSQL, the proxies
never pass /metrics on, and every variable they set is one Parrhesia reads."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from parrhesia.cli import build_parser

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
UNITS = DEPLOY / "systemd"


def parrhesia_command(argv: list[str]) -> list[str]:
    """The sub-command and its options, checked by the command's own parser."""
    assert argv[0].endswith("parrhesia"), argv
    build_parser().parse_args(argv[1:])  # exits (SystemExit) on an unknown command or option
    return argv[1:]


def exec_start(unit: str) -> list[str]:
    text = (UNITS / unit).read_text()
    [line] = re.findall(r"^ExecStart=(.+)$", text, re.MULTILINE)
    return line.replace("%i", "8000").split()


def test_the_systemd_units_run_commands_that_exist():
    assert parrhesia_command(exec_start("parrhesia-web@.service"))[:2] == ["serve",
                                                                           "--no-task-worker"]
    assert parrhesia_command(exec_start("parrhesia-worker@.service")) == ["worker"]
    assert parrhesia_command(exec_start("parrhesia-due.service")) == ["due"]
    assert parrhesia_command(exec_start("parrhesia-backup.service")) == ["backup"]
    for unit in UNITS.glob("*.service"):
        text = unit.read_text()
        assert "User=parrhesia" in text and "NoNewPrivileges=yes" in text, unit.name
    timer = (UNITS / "parrhesia-due.timer").read_text()
    assert "OnCalendar=*:0/5" in timer and "Persistent=true" in timer


def test_the_image_is_slim_and_runs_as_an_unprivileged_user():
    text = (DEPLOY / "Dockerfile").read_text()
    bases = re.findall(r"^FROM (\S+)", text, re.MULTILINE)
    assert bases and all("slim" in base for base in bases)
    users = re.findall(r"^USER (\S+)", text, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in ("root", "0")
    [command] = re.findall(r"^CMD (\[.+\])$", text, re.MULTILINE)
    assert parrhesia_command(json.loads(command))[0] == "serve"


@pytest.fixture
def compose():
    yaml = pytest.importorskip("yaml", reason="PyYAML reads compose.yaml (pip install pyyaml)")
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_runs_app_servers_workers_due_and_postgresql(compose):
    services = compose["services"]
    apps = [s for s in services.values() if "serve" in s.get("command", [])]
    assert len(apps) >= 2
    for app in apps:
        assert parrhesia_command(app["command"])[0] == "serve"
        assert "--no-task-worker" in app["command"]
    assert parrhesia_command(services["worker"]["command"]) == ["worker"]
    assert services["worker"]["deploy"]["replicas"] >= 2
    assert "parrhesia due" in " ".join(services["due"]["command"])
    assert services["db"]["image"].startswith("postgres:")
    assert parrhesia_command(services["migrate"]["command"]) == ["migrate"]
    for app in apps:
        environment = app["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert "keys:/var/lib/parrhesia/keys" in app["volumes"]  # one set of signing keys
        assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    proxy_ip = services["proxy"]["networks"]["backend"]["ipv4_address"]
    assert apps[0]["environment"]["PARRHESIA_TRUSTED_PROXIES"] == proxy_ip


def test_the_proxies_keep_metrics_private_and_pass_a_request_id():
    nginx = (DEPLOY / "nginx" / "parrhesia.conf").read_text()
    assert re.search(r"location \^~ /metrics \{\s*return 404;", nginx)
    assert "proxy_set_header X-Request-ID $request_id;" in nginx
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx
    assert "ssl_certificate " in nginx
    caddy = (DEPLOY / "caddy" / "Caddyfile").read_text()
    assert "@metrics path /metrics /metrics/*" in caddy and "respond @metrics 404" in caddy
    assert "header_up X-Request-ID {http.request.uuid}" in caddy


def test_every_variable_the_examples_set_is_one_parrhesia_reads():
    source = "\n".join(p.read_text() for p in (REPO / "parrhesia").rglob("*.py"))
    texts = [(DEPLOY / "parrhesia.env.example").read_text(), (DEPLOY / "compose.yaml").read_text()]
    names = set()
    for text in texts:
        names |= set(re.findall(r"^\s*(PARRHESIA_[A-Z_]+)[=:]", text, re.MULTILINE))
    assert len(names) > 10
    unknown = sorted(name for name in names if f'"{name}' not in source
                     and name != "PARRHESIA_UPSTREAMS")  # the Caddyfile's, not the site's
    assert not unknown


def _compose_works() -> str | None:
    if shutil.which("docker") is None:
        return "docker is not installed"
    done = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["no reason given"])[0]
        return f"'docker compose' is not available here ({first[:80]})"
    return None


@pytest.mark.skipif(_compose_works() is not None, reason=str(_compose_works()))
def test_docker_compose_accepts_the_file(tmp_path):
    env = {**os.environ, "PARRHESIA_SECRET_KEY": "x" * 50, "POSTGRES_PASSWORD": "p"}
    done = subprocess.run(["docker", "compose", "-f", str(DEPLOY / "compose.yaml"), "config",
                           "--quiet"], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
