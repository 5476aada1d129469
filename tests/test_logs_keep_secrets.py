"""Password-reset keys (and other secrets carried in a URL) never reach the server's logs:
neither gunicorn's access and error logs (`parrhesia serve`) nor Django's own logging."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.test import Client
from gunicorn.config import Config

from parrhesia.cli._access_log import RedactingLogger

KEY = "d4h2k1-0f9a8b7c6d5e4f3a2b1c"
RESET = f"/accounts/password/reset/key/3-{KEY}/"


class FakeResponse:
    status = "302 Found"
    sent = 0
    headers = [("Location", "/accounts/password/reset/key/3-set-password/")]


class FakeRequest:
    headers = [("REFERER", f"https://parrhesia.example.org{RESET}")]


def access_line(tmp_path, path: str, query: str = "", referer: str = "-") -> str:
    log_file = tmp_path / "access.log"
    config = Config()
    config.set("accesslog", str(log_file))
    logger = RedactingLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path + (f"?{query}" if query else ""),
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "test",
    }
    logger.access(FakeResponse(), FakeRequest(), environ, dt.timedelta(milliseconds=12))
    for handler in logger.access_log.handlers + logger.error_log.handlers:
        handler.flush()
    return log_file.read_text()


def test_the_access_log_redacts_a_password_reset_key(tmp_path):
    line = access_line(tmp_path, RESET, referer=f"https://parrhesia.example.org{RESET}")
    assert KEY not in line
    assert '"GET /accounts/password/reset/key/[redacted]/ HTTP/1.1" 302' in line
    assert '"https://parrhesia.example.org/accounts/password/reset/key/[redacted]/"' in line


@pytest.mark.parametrize(
    "path",
    [
        f"/accounts/confirm-email/{KEY}/",
        f"/invite/{KEY}/",
        f"/fr/accounts/password/reset/key/3-{KEY}/",
        f"/unsubscribe/{KEY}/",
    ],
)
def test_the_access_log_redacts_other_secret_links(tmp_path, path):
    line = access_line(tmp_path, path)
    assert KEY not in line and "[redacted]" in line


def test_the_access_log_redacts_a_single_sign_on_code(tmp_path):
    line = access_line(
        tmp_path, "/accounts/oidc/keycloak/login/callback/", query=f"state=S{KEY}&code=C{KEY}"
    )
    assert KEY not in line
    assert "/login/callback/?state=[redacted]&code=[redacted] HTTP/1.1" in line
    line = access_line(tmp_path, "/o/demo/decisions/", query="state=open")
    assert "/o/demo/decisions/?state=open HTTP/1.1" in line  # only a callback's


def test_the_access_log_keeps_ordinary_paths_and_the_keyless_redirect(tmp_path):
    line = access_line(tmp_path, "/o/demo/record/", query="action=case.opened")
    assert '"GET /o/demo/record/?action=case.opened HTTP/1.1" 302' in line
    line = access_line(tmp_path, "/accounts/password/reset/key/3-set-password/")
    assert "/accounts/password/reset/key/3-set-password/" in line


def test_the_error_log_redacts_a_failed_request_path(tmp_path):
    log_file = tmp_path / "error.log"
    config = Config()
    config.set("errorlog", str(log_file))
    logger = RedactingLogger(config)
    logger.error("Error handling request %s", RESET)
    for handler in logger.error_log.handlers:
        handler.flush()
    text = log_file.read_text()
    assert KEY not in text and "/accounts/password/reset/key/[redacted]/" in text


@pytest.fixture
def server_log():
    """What the site's configured console handler (settings.LOGGING) writes."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    stream = io.StringIO()
    # Swapped, not setStream(): that flushes the old stream, which pytest may have closed.
    previous, handler.stream = handler.stream, stream
    try:
        yield stream
    finally:
        handler.stream = previous


@pytest.mark.django_db
def test_djangos_request_logging_redacts_a_reset_key(server_log):
    # A form posted without its CSRF cookie is logged by django.security.csrf, with its path.
    response = Client(enforce_csrf_checks=True).post(RESET, {"password1": "x"})
    assert response.status_code == 403
    text = server_log.getvalue()
    assert "Forbidden" in text
    assert KEY not in text and "/accounts/password/reset/key/[redacted]/" in text


def test_a_malformed_log_call_is_left_to_logging_to_report():
    import logging

    from parrhesia.config.logs import SecretUrlFilter

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s and %s", ("one",), None)
    assert SecretUrlFilter().filter(record) is True
