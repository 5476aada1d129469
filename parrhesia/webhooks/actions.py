"""What the webhooks write on the organisation's public record (docs/record.md).

That the record flows to another tool is the members' business: subscribing, changing and
removing a subscription are on the record with the steward who did it and the actions it
receives. The URL is not, not even sealed (a chat's incoming-webhook URL is a password), nor
its host: the stewards' webhooks page shows it (docs/privacy.md). Deliveries and test pings
change nothing of the organisation and are not on the record.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Action(StrEnum):
    SUBSCRIBED = "webhook.subscribed"
    # enabled, disabled (by a steward, or by the system after repeated failures), secret rotated
    CHANGED = "webhook.changed"
    DELETED = "webhook.deleted"


def subscribed_facts(*, webhook: int, actions: list[str]) -> dict[str, Any]:
    """``webhook.subscribed``: the subscription's number and the actions it receives ([]: all)."""
    return {"webhook": webhook, "actions": sorted(actions)}


def changed_facts(*, webhook: int, change: str) -> dict[str, Any]:
    """``webhook.changed``: ``change`` is ``enabled``, ``disabled``, ``disabled_after_failures``
    or ``secret_rotated``."""
    return {"webhook": webhook, "change": change}


def deleted_facts(*, webhook: int) -> dict[str, Any]:
    return {"webhook": webhook}
