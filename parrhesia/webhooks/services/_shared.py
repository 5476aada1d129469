"""What the webhooks' services share."""

from __future__ import annotations

import base64
import secrets

from parrhesia.kernel.errors import DomainError


class WebhookError(DomainError):
    """A subscription cannot be made or changed as asked; the message says why."""


def message_id_new() -> str:
    """A new Standard Webhooks message id (kept across the message's retries)."""
    return "msg_" + base64.b32encode(secrets.token_bytes(15)).decode("ascii").lower()
