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

import logging
import re

REDACTED = "[redacted]"

# The secret part of each such URL (as allauth and the orgs app route them), matched anywhere in
# a message: in a request line, a path, a referrer or a full URL. allauth's own redirect to
# ``…/key/<uid>-set-password/`` carries no key (it is kept in the session) and is left as it is.
_SECRET_PATHS = re.compile(
    r"(?P<prefix>/password/reset/key/|/confirm-email/|/invite/|/todo/calendar/|/unsubscribe/)"
    r"(?P<secret>(?![0-9A-Za-z]+-set-password(?:[/?#\s\"']|$))[^/?#\s\"']+)",
)


def secret_urls_redact(text: str) -> str:
    """``text`` with the secret of every reset, confirmation and invitation link redacted."""
    return _SECRET_PATHS.sub(lambda match: match["prefix"] + REDACTED, text)


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
