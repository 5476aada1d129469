"""Numbers given to `parrhesia` on the command line or in the environment that do not fit are
one line naming the argument or variable, never a traceback (no server is started here)."""

from __future__ import annotations

import pytest

from tests.test_cli import PARRHESIA, clean_environment

HUGE = "99999999999999999999999"


def run(tmp_path, *args: str, **environment: str):
    import subprocess

    env = clean_environment()
    env["PARRHESIA_DATA_DIR"] = str(tmp_path)
    env.update(environment)
    return subprocess.run([*PARRHESIA, *args], env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("workers", [HUGE, "0", "1000"])
def test_serve_refuses_a_worker_count_out_of_range(tmp_path, workers):
    result = run(tmp_path, "serve", "--workers", workers, "--port", "1")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--workers: expected 1 to 64" in result.stderr


def test_a_bad_web_workers_variable_no_longer_breaks_every_command(tmp_path):
    result = run(tmp_path, "tally", str(tmp_path / "none.toi"), "--method", "irv",
                 PARRHESIA_WEB_WORKERS="abc")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "no such file" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [("PARRHESIA_HSTS_SECONDS", "x"), ("PARRHESIA_WORKER_NICE", "many")],
)
def test_a_setting_that_is_no_number_is_one_line(tmp_path, variable, value):
    result = run(tmp_path, "migrate", PARRHESIA_SECURE="1", **{variable: value})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"parrhesia: error: {variable}={value!r} is not a whole number"
    )


def test_a_worker_nice_out_of_range_is_one_line(tmp_path):
    result = run(tmp_path, "worker", PARRHESIA_WORKER_NICE=HUGE)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"parrhesia: error: PARRHESIA_WORKER_NICE={HUGE}: expected 0 to 19 (os.nice)"
    )
