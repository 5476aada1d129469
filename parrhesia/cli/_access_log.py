"""gunicorn's logger for ``parrhesia serve``: secrets in URLs never reach its logs.

The access log writes each request line and referrer; the error log names the path of a request
that failed. Both go through :class:`~parrhesia.config.logs.SecretUrlFilter`, so a password-reset
or invitation link is logged as ``…/password/reset/key/[redacted]/``.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from parrhesia.config.logs import SecretUrlFilter


class RedactingLogger(Logger):  # type: ignore[misc]
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(existing, SecretUrlFilter) for existing in log.filters):
                log.addFilter(SecretUrlFilter())
