"""gunicorn's logger for ``parrhesia serve``: secrets in URLs never reach its logs.

The access log writes each request line and referrer; the error log names the path of a request
that failed. Both go through :class:`~parrhesia.config.logs.SecretUrlFilter`, so a password-reset
or invitation link is logged as ``…/password/reset/key/[redacted]/``.

Each access line ends with the request's id (the response's ``X-Request-ID``). With
``PARRHESIA_LOG_FORMAT=json`` both logs write JSON lines like the application's, the access
log's with the method, path (redacted), status, duration and request id as fields.
"""

from __future__ import annotations

import logging
from typing import Any

from gunicorn.glogging import Logger

from parrhesia.config.logs import (
    ContextFilter,
    JsonFormatter,
    SecretUrlFilter,
    log_format,
    secret_urls_redact,
)

ACCESS_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'


class AccessFields(logging.Filter):
    """Copies gunicorn's atoms (the record's args) into fields, before redaction drops them."""

    def filter(self, record: logging.LogRecord) -> bool:
        atoms = record.args if isinstance(record.args, dict) else None
        if atoms is not None:
            record.method = atoms.get("m")
            record.path = secret_urls_redact(str(atoms.get("U", "")))
            record.status = atoms.get("s")
            duration = atoms.get("D")
            record.duration_ms = round(int(duration) / 1000, 1) if duration else None
            record.request_id = atoms.get("{x-request-id}o", "-")
        return True


class RedactingLogger(Logger):  # type: ignore[misc]
    def setup(self, cfg: Any) -> None:
        if cfg.access_log_format == cfg.settings["access_log_format"].default:
            cfg.set("access_log_format", ACCESS_FORMAT)
        super().setup(cfg)
        json_lines = log_format() == "json"
        for log in (self.error_log, self.access_log):
            if not any(isinstance(existing, SecretUrlFilter) for existing in log.filters):
                if log is self.access_log:
                    log.addFilter(AccessFields())
                log.addFilter(SecretUrlFilter())
                log.addFilter(ContextFilter())
            if json_lines:
                for handler in log.handlers:
                    handler.setFormatter(JsonFormatter())
