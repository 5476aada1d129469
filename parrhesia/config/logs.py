"""Logs never hold a secret that is part of a URL (docs/privacy.md).

A password-reset link (``/accounts/password/reset/key/<uid>-<key>/``), an e-mail confirmation
link, an invitation link, a member's calendar link and an e-mail's unsubscribe link are secrets
carried in the path: whoever reads them can take the account, confirm the address, join, read
the member's deadlines, or learn which organisation (and member) an e-mail was for.
Access logs (gunicorn's) and Django's request and security logs write paths and referrers, and
logs are kept longer and read by more people than the database. :class:`SecretUrlFilter`
rewrites every record's message with those secrets replaced by ``[redacted]``; the settings'
``LOGGING`` and ``parrhesia serve``'s gunicorn logger both use it.
"""

from __future__ import annotations

import json
import logging
import os
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from parrhesia.config.environment import ConfigurationError

REDACTED = "[redacted]"

# The secret part of each such URL (as allauth and the orgs app route them), matched anywhere in
# a message: in a request line, a path, a referrer or a full URL. allauth's own redirect to
# ``…/key/<uid>-set-password/`` carries no key (it is kept in the session) and is left as it is.
_SECRET_PATHS = re.compile(
    r"(?P<prefix>/password/reset/key/|/confirm-email/|/invite/|/todo/calendar/|/unsubscribe/)"
    r"(?P<secret>(?![0-9A-Za-z]+-set-password(?:[/?#\s\"']|$))[^/?#\s\"']+)",
)


# A single sign-on provider sends the browser back to ``…/login/callback/?code=…&state=…``: the
# code is a credential (short-lived, and useless without the client secret, but a credential).
_CALLBACK_QUERY = re.compile(r"/callback/?\?[^\s\"'#]*")
_CALLBACK_SECRETS = re.compile(r"(?P<name>(?:^|[?&])(?:code|state|session_state)=)[^&]*")


def secret_urls_redact(text: str) -> str:
    """``text`` with the secret of every reset, confirmation and invitation link, and the code
    of a single sign-on callback, redacted."""
    text = _SECRET_PATHS.sub(lambda match: match["prefix"] + REDACTED, text)
    return _CALLBACK_QUERY.sub(
        lambda match: _CALLBACK_SECRETS.sub(lambda q: q["name"] + REDACTED, match[0]), text
    )


class SecretUrlFilter(logging.Filter):
    """Redacts secret URLs in a log record's message (never drops the record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed call is logging's to report, not ours
            return True
        redacted = secret_urls_redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


# --- Request and task ids, JSON lines (docs/operations.md, "Logs") ------------------------------

# The id of the request (``X-Request-ID``) or task this thread is working for, if any.
request_id: ContextVar[str | None] = ContextVar("parrhesia_request_id", default=None)
task_id: ContextVar[str | None] = ContextVar("parrhesia_task_id", default=None)

LOG_FORMATS = ("text", "json")
# What an access-log record carries besides its message (gunicorn's atoms, see _access_log).
ACCESS_FIELDS = ("method", "path", "status", "duration_ms", "request_id")


def log_format() -> str:
    """``PARRHESIA_LOG_FORMAT``: ``text`` (the default, for people) or ``json`` (one object a
    line, for a log collector)."""
    value = os.environ.get("PARRHESIA_LOG_FORMAT", "").strip().lower() or "text"
    if value not in LOG_FORMATS:
        raise ConfigurationError(
            f"PARRHESIA_LOG_FORMAT={value!r}: use 'text' (the default) or 'json'"
        )
    return value


class ContextFilter(logging.Filter):
    """Gives every record the ``request_id`` and ``task_id`` it was logged under ("-": none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) in (None, "-"):
            record.request_id = request_id.get() or "-"
        if getattr(record, "task_id", None) in (None, "-"):
            record.task_id = task_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, the request or task
    id, the access log's fields when present, and an exception's traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ("request_id", "task_id", *ACCESS_FIELDS):
            value = getattr(record, name, None)
            if value not in (None, "-"):
                line[name] = value
        if record.exc_info:
            line["exception"] = secret_urls_redact(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


def task_started(sender: object, task_result: Any, **kwargs: object) -> None:
    """django-tasks' ``task_started``: what the worker logs from now on names the task."""
    task_id.set(str(task_result.id))


def task_finished(sender: object, task_result: Any, **kwargs: object) -> None:
    task_id.set(None)
