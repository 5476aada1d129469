"""Every write of the webhooks app (docs/webhooks.md)."""

from parrhesia.webhooks.services._shared import WebhookError
from parrhesia.webhooks.services.dispatch import (
    attempt_record,
    deliveries_attempt_due,
    deliveries_queue,
    webhooks_deliver_due,
    webhooks_dispatch,
)
from parrhesia.webhooks.services.subscriptions import (
    action_catalogue,
    subscription_create,
    subscription_delete,
    subscription_disable,
    subscription_enable,
    subscription_secret_rotate,
    subscription_test,
)

__all__ = [
    "WebhookError",
    "action_catalogue",
    "attempt_record",
    "deliveries_attempt_due",
    "deliveries_queue",
    "subscription_create",
    "subscription_delete",
    "subscription_disable",
    "subscription_enable",
    "subscription_secret_rotate",
    "subscription_test",
    "webhooks_deliver_due",
    "webhooks_dispatch",
]
