"""Who wants to hear that an organisation's record has a new signed checkpoint.

The record sits below the apps that act on its entries (the webhooks deliver them to other
tools), so it cannot call them: those apps register a listener here from their ``ready()``, and
the record's signing task calls :func:`checkpoint_signed` once a checkpoint covers the latest
write batch. A listener must be cheap (it enqueues a task) and never raise into the record:
each is run robustly, an error logged and the others still called.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

CheckpointListener = Callable[[int], object]  # organisation id → anything (ignored)
_LISTENERS: list[CheckpointListener] = []


def checkpoint_listener_register(listener: CheckpointListener) -> None:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def checkpoint_signed(organisation_id: int) -> None:
    """Tell every listener that the organisation's record has a checkpoint over its entries."""
    for listener in list(_LISTENERS):
        try:
            listener(organisation_id)
        except Exception:  # noqa: BLE001 - one listener must not stop the record's task
            logger.exception("checkpoint listener %r failed", listener)
