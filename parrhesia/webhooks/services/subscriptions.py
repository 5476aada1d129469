"""Stewards' writes on their organisation's webhooks: subscribe, enable or disable, rotate the
secret, send a test, delete. Each is on the record (``webhooks.actions``) but a test."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.kernel.access import member_for
from parrhesia.kernel.deferred import task_after_commit
from parrhesia.methods.webhooks.addresses import AddressRefused
from parrhesia.methods.webhooks.signing import secret_generate
from parrhesia.record.action_labels import LABELS
from parrhesia.record.services import record_append
from parrhesia.webhooks.actions import Action, changed_facts, deleted_facts, subscribed_facts
from parrhesia.webhooks.models import Delivery, Subscription
from parrhesia.webhooks.payloads import PING
from parrhesia.webhooks.services._shared import WebhookError, message_id_new
from parrhesia.webhooks.tasks import webhooks_dispatch_task
from parrhesia.webhooks.transport import url_check

if TYPE_CHECKING:
    from parrhesia.orgs.models import Organisation

MAX_SUBSCRIPTIONS = 10  # per organisation: each costs the worker a request per entry
# How long the secret before a rotation keeps signing beside the new one (the receiver's
# time to take the new secret in).
ROTATION_OVERLAP = timedelta(hours=24)


def action_catalogue() -> list[str]:
    """Every record action a subscription may choose (each app's ``actions.py``, as the
    record's labels list them)."""
    return sorted(LABELS)


def _url_checked(url: str) -> str:
    url = url.strip()
    try:
        url_check(url)
    except AddressRefused as refused:
        raise WebhookError(
            _("Deliveries cannot go to this URL: %(why)s") % {"why": refused}
        ) from None
    return url


def _actions_checked(actions: list[str]) -> list[str]:
    unknown = sorted(set(actions) - set(action_catalogue()))
    if unknown:
        raise WebhookError(_("Unknown record actions: %(names)s") % {"names": ", ".join(unknown)})
    return sorted(set(actions))


def subscription_create(
    *, user: Any, organisation: Organisation, url: str, actions: list[str], label: str = ""
) -> tuple[Subscription, str]:
    """Subscribe ``url`` to the organisation's entries from this one on; return the
    subscription and its secret (shown once)."""
    with transaction.atomic():
        steward = member_for(user, organisation, "webhooks.manage")
        url = _url_checked(url)
        actions = _actions_checked(actions)
        if Subscription.objects.filter(organisation=organisation).count() >= MAX_SUBSCRIPTIONS:
            raise WebhookError(
                _("An organisation may have at most %(count)d webhooks.")
                % {"count": MAX_SUBSCRIPTIONS}
            )
        secret = secret_generate()
        subscription = Subscription.objects.create(
            organisation=organisation,
            url=url,
            label=label.strip(),
            actions=actions,
            secret=secret,
            created_by=steward,
        )
        entry = record_append(
            organisation=organisation,
            actor=steward,
            action=Action.SUBSCRIBED,
            subject=("webhook", subscription.pk),
            payload=subscribed_facts(webhook=subscription.pk, actions=actions),
        )
        # Its first delivery is the entry that announces it (when it receives that action).
        subscription.next_seq = entry.seq
        subscription.save(update_fields=["next_seq"])
    return subscription, secret


def _locked(user: Any, subscription: Subscription) -> tuple[Any, Subscription]:
    steward = member_for(user, subscription.organisation, "webhooks.manage")
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    return steward, locked


def _changed(steward: Any, subscription: Subscription, change: str) -> Any:
    return record_append(
        organisation=subscription.organisation,
        actor=steward,
        action=Action.CHANGED,
        subject=("webhook", subscription.pk),
        payload=changed_facts(webhook=subscription.pk, change=change),
    )


def subscription_disable(*, user: Any, subscription: Subscription) -> Subscription:
    with transaction.atomic():
        steward, subscription = _locked(user, subscription)
        if subscription.disabled:
            raise WebhookError(_("This webhook is already disabled."))
        subscription.disabled = Subscription.Disabled.BY_STEWARD
        subscription.save(update_fields=["disabled"])
        _changed(steward, subscription, "disabled")
    return subscription


def subscription_enable(*, user: Any, subscription: Subscription) -> Subscription:
    """Enable it again: messages still pending are retried; entries appended while it was
    disabled are not sent (the gap in ``seq`` tells the receiver what to fetch)."""
    with transaction.atomic():
        steward, subscription = _locked(user, subscription)
        if not subscription.disabled:
            raise WebhookError(_("This webhook is already enabled."))
        _url_checked(subscription.url)
        subscription.disabled = Subscription.Disabled.NO
        subscription.failing_since = None
        entry = _changed(steward, subscription, "enabled")
        subscription.next_seq = entry.seq  # from the entry that says it was enabled
        subscription.save(update_fields=["disabled", "failing_since", "next_seq"])
    return subscription


def subscription_secret_rotate(
    *, user: Any, subscription: Subscription
) -> tuple[Subscription, str]:
    """A new secret (returned, shown once); the old one signs beside it for a day."""
    with transaction.atomic():
        steward, subscription = _locked(user, subscription)
        secret = secret_generate()
        subscription.previous_secret = subscription.secret
        subscription.previous_secret_until = timezone.now() + ROTATION_OVERLAP
        subscription.secret = secret
        subscription.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
        _changed(steward, subscription, "secret_rotated")
    return subscription, secret


def subscription_delete(*, user: Any, subscription: Subscription) -> None:
    """Delete it with its delivery log; nothing more is sent to its URL."""
    with transaction.atomic():
        steward, subscription = _locked(user, subscription)
        record_append(
            organisation=subscription.organisation,
            actor=steward,
            action=Action.DELETED,
            subject=("webhook", subscription.pk),
            payload=deleted_facts(webhook=subscription.pk),
        )
        subscription.delete()


def subscription_test(*, user: Any, subscription: Subscription) -> Delivery:
    """Queue a test message (``webhook.test``, one attempt, off the record), sent at once."""
    with transaction.atomic():
        _steward, subscription = _locked(user, subscription)
        if subscription.disabled:
            raise WebhookError(_("Enable this webhook before sending it a test."))
        now = timezone.now()
        delivery = Delivery.objects.create(
            subscription=subscription,
            message_id=message_id_new(),
            seq=None,
            event_type=PING,
            next_attempt_at=now,
            created_at=now,
        )
        task_after_commit(webhooks_dispatch_task, subscription.organisation_id)
    return delivery
