"""Every response carries an X-Request-ID that every log line of the request repeats; a trusted
proxy's id is kept; JSON lines on demand (gunicorn's access log too); task lines name the task;
a real `parrhesia serve` with two web workers adds up their request metrics."""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.http import HttpResponse
from django_tasks import task
from gunicorn.config import Config

from parrhesia.cli._access_log import RedactingLogger
from parrhesia.config import logs
from parrhesia.config.environment import ConfigurationError
from parrhesia.web.middleware import RequestIdMiddleware

KEY = "d4h2k1-0f9a8b7c6d5e4f3a2b1c"


@pytest.fixture
def captured():
    """What the application logs, through the site's own filters and a JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.SecretUrlFilter())
    handler.addFilter(logs.ContextFilter())
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.mark.django_db
def test_every_response_has_a_fresh_request_id(client):
    first, second = client.get("/health"), client.get("/no/such/page/")
    assert len(first["X-Request-ID"]) == 32 and second.status_code == 404
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
def test_a_trusted_proxys_id_is_kept_and_anyone_elses_replaced(client, settings):
    settings.PARRHESIA_TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.1")]
    sent = "5b0c7e1a-9f3d-4c2b-8e6a-123456789abc"
    from_proxy = client.get("/health", REMOTE_ADDR="10.0.0.1", HTTP_X_REQUEST_ID=sent)
    assert from_proxy["X-Request-ID"] == sent
    direct = client.get("/health", REMOTE_ADDR="203.0.113.9", HTTP_X_REQUEST_ID=sent)
    assert direct["X-Request-ID"] != sent
    for insane in ("short", "a" * 200, "id with spaces and\nnew lines", "ok;drop"):
        forged = client.get("/health", REMOTE_ADDR="10.0.0.1", HTTP_X_REQUEST_ID=insane)
        assert forged["X-Request-ID"] != insane


def test_every_log_line_of_a_request_names_it_and_keeps_secrets_out(captured, rf):
    def view(request):
        logging.getLogger("parrhesia.test").warning("refused %s", request.path)
        return HttpResponse(status=403)

    request = rf.get(f"/accounts/password/reset/key/3-{KEY}/")
    response = RequestIdMiddleware(view)(request)
    logging.getLogger("parrhesia.test").info("after the request")
    during, after = captured()
    assert during["request_id"] == response["X-Request-ID"] == request.request_id
    assert during["message"] == "refused /accounts/password/reset/key/[redacted]/"
    assert "request_id" not in after  # logged outside any request


@task()
def probe() -> int:
    logging.getLogger("parrhesia.test").warning("inside the task")
    return 1


def test_a_task_logs_with_its_id(captured):
    result = probe.enqueue()
    inside = [line for line in captured() if line["message"] == "inside the task"]
    assert inside and inside[0]["task_id"] == str(result.id)
    assert logs.task_id.get() is None  # cleared once it finished


def test_the_log_format_is_text_or_json(monkeypatch):
    monkeypatch.setenv("PARRHESIA_LOG_FORMAT", "JSON")
    assert logs.log_format() == "json"
    monkeypatch.delenv("PARRHESIA_LOG_FORMAT")
    assert logs.log_format() == "text"
    monkeypatch.setenv("PARRHESIA_LOG_FORMAT", "xml")
    with pytest.raises(ConfigurationError, match="use 'text' \\(the default\\) or 'json'"):
        logs.log_format()


class FakeRequest:
    headers: list[tuple[str, str]] = []


class FakeResponse:
    status = "200 OK"
    sent = 12
    headers = [("X-Request-ID", "0123456789abcdef")]


def test_gunicorns_access_log_is_json_with_the_request_id_and_no_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("PARRHESIA_LOG_FORMAT", "json")
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    logger = RedactingLogger(config)
    path = f"/invite/{KEY}/"
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "PATH_INFO": path, "QUERY_STRING": "",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "203.0.113.7"}
    logger.access(FakeResponse(), FakeRequest(), environ, dt.timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()
    line = json.loads((tmp_path / "access.log").read_text())
    assert line["request_id"] == "0123456789abcdef"
    assert line["path"] == "/invite/[redacted]/" and KEY not in json.dumps(line)
    assert (line["method"], line["status"], line["duration_ms"]) == ("GET", "200", 12.0)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own server
        return bytes(response.read())


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="a SQLite site of its own: the PostgreSQL run tests the same code")
def test_a_served_sites_metrics_add_up_its_web_workers(tmp_path: Path):
    port = _free_port()
    env = {**os.environ, "PARRHESIA_DATA_DIR": str(tmp_path), "PARRHESIA_LOG_FORMAT": "json"}
    env.pop("DATABASE_URL", None)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "parrhesia", "serve", "--port", str(port), "--workers", "2",
         "--no-task-worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                _get(f"{base}/health")
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "did not start"
                time.sleep(0.5)
        for _ in range(29):
            _get(f"{base}/health")
        text = _get(f"{base}/metrics").decode()
        count = "parrhesia_http_request_duration_seconds_count"
        assert f'{count}{{method="GET",status="2xx",view="health"}} 30.0' in text
        files = sorted(p.name for p in (tmp_path / "metrics" / f"127.0.0.1-{port}").glob("*.db"))
        assert len(files) == 2, files  # one per web worker: both answered
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    access = [json.loads(line) for line in output.splitlines()
              if line.startswith("{") and '"gunicorn.access"' in line]
    assert len(access) >= 31 and all(len(line["request_id"]) == 32 for line in access)
