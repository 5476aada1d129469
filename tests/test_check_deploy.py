"""`parrhesia check --deploy` checks the server's real environment: a deployment that forgot
PARRHESIA_SECURE (or a secret key, its host names, its CSRF origin) is told so, in one line
naming the fix, and the command fails. Plain `parrhesia check` keeps checking the settings under
simulated production, as CI does."""

from __future__ import annotations

import subprocess

import pytest

from parrhesia.cli._deployment import deployment_problems
from tests.test_cli import PARRHESIA, clean_environment

PRODUCTION = {
    "PARRHESIA_SECURE": "1",
    "PARRHESIA_DEBUG": "0",
    "PARRHESIA_SECRET_KEY": "k3Jx9-Qm2vR7tYp0LsWdZ4nHcB8aUeFgT6oIyE1rNqM5jKxVbPwA",
    "PARRHESIA_ALLOWED_HOSTS": "parrhesia.example.org",
    "PARRHESIA_CSRF_TRUSTED_ORIGINS": "https://parrhesia.example.org",
}


def check(tmp_path, *args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in clean_environment().items() if k not in PRODUCTION}
    env["PARRHESIA_DATA_DIR"] = str(tmp_path)
    env.update(environment)
    return subprocess.run([*PARRHESIA, "check", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_a_deployment_without_parrhesia_secure_fails_naming_the_fix(tmp_path):
    environment = {**PRODUCTION}
    del environment["PARRHESIA_SECURE"]
    result = check(tmp_path, "--deploy", **environment)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "parrhesia: error: PARRHESIA_SECURE is not set: serve behind a TLS proxy and set "
        "PARRHESIA_SECURE=1 (secure cookies, HSTS, redirect to HTTPS)"
    ]
    assert "Traceback" not in result.stdout + result.stderr


def test_a_laptop_environment_fails_with_one_line_per_missing_setting(tmp_path):
    result = check(tmp_path, "--deploy")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert [line.split(" ")[2] for line in lines] == [
        "PARRHESIA_SECURE",
        "PARRHESIA_SECRET_KEY",
        "PARRHESIA_ALLOWED_HOSTS",
        "PARRHESIA_CSRF_TRUSTED_ORIGINS",
    ]
    assert all(line.startswith("parrhesia: error: ") for line in lines)


def test_a_complete_production_environment_passes(tmp_path):
    result = check(tmp_path, "--deploy", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_plain_check_still_simulates_production_for_ci(tmp_path):
    result = check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "parrhesia check --deploy" in result.stdout


def problems(**changes: object) -> list[str]:
    settings: dict[str, object] = {
        "debug": False,
        "secure": True,
        "allowed_hosts": ["parrhesia.example.org"],
        "csrf_trusted_origins": ["https://parrhesia.example.org"],
    }
    environ = {"PARRHESIA_SECRET_KEY": PRODUCTION["PARRHESIA_SECRET_KEY"]}
    if "secret_key" in changes:
        environ["PARRHESIA_SECRET_KEY"] = str(changes.pop("secret_key"))
    settings.update(changes)
    return deployment_problems(environ, **settings)  # type: ignore[arg-type]


def test_production_settings_have_no_problem():
    assert problems() == []


@pytest.mark.parametrize(
    ("changes", "variable"),
    [
        ({"debug": True}, "PARRHESIA_DEBUG"),
        ({"secret_key": "changeme"}, "PARRHESIA_SECRET_KEY"),
        ({"secret_key": "django-insecure-" + "x1y2z3a4b5" * 5}, "PARRHESIA_SECRET_KEY"),
        ({"allowed_hosts": ["*"]}, "PARRHESIA_ALLOWED_HOSTS"),
        ({"allowed_hosts": ["localhost", "127.0.0.1"]}, "PARRHESIA_ALLOWED_HOSTS"),
        ({"csrf_trusted_origins": ["http://parrhesia.example.org"]},
         "PARRHESIA_CSRF_TRUSTED_ORIGINS"),
        ({"csrf_trusted_origins": ["https://*"]}, "PARRHESIA_CSRF_TRUSTED_ORIGINS"),
    ],
)
def test_each_unsafe_setting_is_one_problem_naming_its_variable(changes, variable):
    found = problems(**changes)
    assert len(found) == 1 and found[0].startswith(variable), found


def test_an_origin_that_is_no_url_is_named_not_a_traceback():
    from parrhesia.cli._deployment import _origin_problems

    [problem] = _origin_problems(["https://["])
    assert "PARRHESIA_CSRF_TRUSTED_ORIGINS has 'https://['" in problem
