"""Delivering the record: queue each new entry a signed checkpoint covers for each active
subscription that wants its action, then attempt what is due, with retries and automatic
disabling (docs/webhooks.md, "Retries and disabling").

Run by ``webhooks_dispatch_task`` (queued once a checkpoint is signed, and again for the next
retry) and by ``parrhesia due``. Every step is idempotent and safe to run in several workers:
a delivery is claimed by a conditional UPDATE before its request is sent, and no transaction
is open while a receiver is being waited for.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from parrhesia.kernel.deferred import task_enqueue
from parrhesia.methods.webhooks.signing import headers_for
from parrhesia.orgs.models import Organisation
from parrhesia.record.checkpoints import SigningKeyMissing, checkpoint_latest, signer_load
from parrhesia.record.models import Checkpoint, RecordEntry
from parrhesia.record.services import record_append
from parrhesia.webhooks.actions import Action, changed_facts
from parrhesia.webhooks.models import Attempt, Delivery, Subscription
from parrhesia.webhooks.notices import notify_disabled
from parrhesia.webhooks.payloads import body_bytes, entry_data, ping_data
from parrhesia.webhooks.services._shared import message_id_new
from parrhesia.webhooks.tasks import webhooks_dispatch_task
from parrhesia.webhooks.transport import Outcome, post

if TYPE_CHECKING:
    from parrhesia.record.checkpoints import OrganisationSigner

logger = logging.getLogger(__name__)

# After the first attempt, retries wait these delays (Standard Webhooks' suggested schedule,
# from one minute): seven attempts over about eighteen hours, then the message has failed.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
]
# A subscription whose every attempt failed for this long is disabled, its stewards told.
DISABLE_AFTER = timedelta(days=5)
LEASE = timedelta(minutes=2)  # a claimed delivery is not claimed again before this
BATCH = 500  # entries queued, or deliveries attempted, per subscription and run
KEEP = timedelta(days=30)  # finished deliveries and their log are kept this long


def deliveries_queue(*, organisation: Organisation, size: int, now: datetime) -> int:
    """Queue entries ``[next_seq, size)`` for each active subscription (its actions only)."""
    queued = 0
    subscriptions = Subscription.objects.filter(
        organisation=organisation, disabled="", next_seq__lt=size
    ).values_list("pk", flat=True)
    for pk in subscriptions:
        with transaction.atomic():
            subscription = Subscription.objects.select_for_update().get(pk=pk)
            if subscription.disabled or subscription.next_seq >= size:
                continue
            end = min(size, subscription.next_seq + BATCH)
            entries = RecordEntry.objects.filter(
                organisation=organisation, seq__gte=subscription.next_seq, seq__lt=end
            )
            if subscription.actions:
                entries = entries.filter(action__in=subscription.actions)
            rows = [
                Delivery(
                    subscription=subscription,
                    message_id=message_id_new(),
                    seq=seq,
                    event_type=action,
                    next_attempt_at=now,
                    created_at=now,
                )
                for seq, action in entries.order_by("seq").values_list("seq", "action")
            ]
            Delivery.objects.bulk_create(rows)
            subscription.next_seq = end
            subscription.save(update_fields=["next_seq"])
            queued += len(rows)
    return queued


def _claimed(delivery: Delivery, now: datetime) -> bool:
    """Take the delivery for this run; False if another worker took it first."""
    return bool(
        Delivery.objects.filter(
            pk=delivery.pk,
            state=Delivery.State.PENDING,
            next_attempt_at=delivery.next_attempt_at,
        ).update(next_attempt_at=now + LEASE)
    )


def _secrets(subscription: Subscription) -> list[str]:
    until = subscription.previous_secret_until
    if subscription.previous_secret and until is not None and until > timezone.now():
        return [subscription.secret, subscription.previous_secret]
    return [subscription.secret]


def delivery_send(
    delivery: Delivery, checkpoint: Checkpoint | None, signer: OrganisationSigner | None
) -> Outcome:
    """Build, sign and POST one message (no transaction open)."""
    subscription = delivery.subscription
    organisation = subscription.organisation
    sent = timezone.now()
    if delivery.seq is None:
        data = ping_data(organisation, subscription.pk)
    else:
        assert checkpoint is not None and signer is not None
        data = entry_data(organisation, delivery.seq, checkpoint, signer)
    body = body_bytes(delivery.event_type, sent, data)
    headers = headers_for(_secrets(subscription), delivery.message_id, int(time.time()), body)
    return post(subscription.url, body, headers)


def attempt_record(*, delivery: Delivery, outcome: Outcome, now: datetime) -> Delivery:
    """Log the attempt; schedule the retry or settle the message; disable a subscription that
    has failed for :data:`DISABLE_AFTER` and tell its stewards."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update().filter(pk=delivery.subscription_id).first()
        )
        current = Delivery.objects.select_for_update().filter(pk=delivery.pk).first()
        if subscription is None or current is None:  # deleted by a steward while it was sent
            return delivery
        delivery = current
        delivery.attempts += 1
        Attempt.objects.create(
            delivery=delivery,
            at=now,
            status_code=outcome.status_code,
            duration_ms=outcome.duration_ms,
            error=outcome.error,
            response_excerpt=outcome.excerpt,
            succeeded=outcome.succeeded,
        )
        ping = delivery.seq is None
        if outcome.succeeded:
            delivery.state, delivery.next_attempt_at = Delivery.State.DELIVERED, None
            subscription.failing_since = None
        elif ping or delivery.attempts > len(RETRY_DELAYS):
            delivery.state, delivery.next_attempt_at = Delivery.State.FAILED, None
        else:
            delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
        delivery.save(update_fields=["attempts", "state", "next_attempt_at"])
        if not outcome.succeeded and not ping:
            subscription.failing_since = subscription.failing_since or now
            if not subscription.disabled and now - subscription.failing_since >= DISABLE_AFTER:
                _disable_after_failures(subscription)
        subscription.save(update_fields=["failing_since", "disabled"])
    return delivery


def _disable_after_failures(subscription: Subscription) -> None:
    subscription.disabled = Subscription.Disabled.FAILURES
    record_append(
        organisation=subscription.organisation,
        actor=None,
        action=Action.CHANGED,
        subject=("webhook", subscription.pk),
        payload=changed_facts(webhook=subscription.pk, change="disabled_after_failures"),
    )
    notify_disabled(subscription, DISABLE_AFTER.days)


def deliveries_attempt_due(*, organisation: Organisation, now: datetime) -> int:
    """Attempt every due message of the organisation's active subscriptions; after one failure
    a subscription's other messages wait for the next run (a dead receiver costs one timeout
    per run, not one per message)."""
    due = list(
        Delivery.objects.filter(
            subscription__organisation=organisation,
            subscription__disabled="",
            state=Delivery.State.PENDING,
            next_attempt_at__lte=now,
        )
        .select_related("subscription__organisation")
        .order_by("next_attempt_at", "pk")[:BATCH]
    )
    checkpoint = signer = None
    if any(delivery.seq is not None for delivery in due):
        checkpoint = checkpoint_latest(organisation)
        signer = signer_load(organisation)
    failing: set[int] = set()
    attempted = 0
    started = time.monotonic()
    for delivery in due:
        # The clock moves on while receivers answer: each claim is timed by it, and the run
        # stops well within a lease, so that no claim lapses while this run still holds it and
        # another run sends the same message (the next run, queued below, takes the rest).
        elapsed = timedelta(seconds=time.monotonic() - started)
        if elapsed > LEASE / 2:
            break
        if delivery.subscription_id in failing or not _claimed(delivery, now + elapsed):
            continue
        outcome = delivery_send(delivery, checkpoint, signer)
        attempt_record(delivery=delivery, outcome=outcome, now=now)
        attempted += 1
        if not outcome.succeeded:
            failing.add(delivery.subscription_id)
    return attempted


def webhooks_dispatch(*, organisation_id: int, now: datetime | None = None) -> int:
    """Queue what the newest checkpoint covers, attempt what is due, and ask the worker to come
    back for the next retry; the number of attempts made."""
    now = now or timezone.now()
    organisation = Organisation.objects.get(pk=organisation_id)
    if not Subscription.objects.filter(organisation=organisation, disabled="").exists():
        return 0
    try:
        checkpoint = checkpoint_latest(organisation)
        if checkpoint is not None:
            deliveries_queue(organisation=organisation, size=checkpoint.size, now=now)
        attempted = deliveries_attempt_due(organisation=organisation, now=now)
    except SigningKeyMissing:
        logger.exception("webhooks of %s wait for the signing key", organisation.slug)
        return 0
    _next_run_schedule(organisation, now)
    return attempted


def _next_run_schedule(organisation: Organisation, now: datetime) -> None:
    earliest = Delivery.objects.filter(
        subscription__organisation=organisation,
        subscription__disabled="",
        state=Delivery.State.PENDING,
    ).aggregate(at=Min("next_attempt_at"))["at"]
    if earliest is not None:
        task_enqueue(
            webhooks_dispatch_task, organisation.pk, run_after=max(earliest, now + RETRY_DELAYS[0])
        )


def webhooks_deliver_due(now: datetime) -> int:
    """``parrhesia due``'s step: every organisation's webhooks dispatched, old logs pruned."""
    Delivery.objects.filter(created_at__lt=now - KEEP).exclude(
        state=Delivery.State.PENDING
    ).delete()
    organisations = (
        Subscription.objects.filter(disabled="")
        .values_list("organisation_id", flat=True)
        .distinct()
        .order_by("organisation_id")
    )
    return sum(webhooks_dispatch(organisation_id=pk, now=now) for pk in organisations)
