"""A failing receiver: the message is retried on the schedule (1 min, 5 min, 30 min, 2 h, 5 h,
10 h), each attempt logged; a webhook that fails for five days is disabled, on the record, and
its stewards are told; one that recovers keeps going."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parrhesia.notifications.models import Notification
from parrhesia.record.models import RecordEntry
from parrhesia.webhooks.models import Attempt, Delivery, Subscription
from parrhesia.webhooks.services import subscription_create, webhooks_dispatch
from parrhesia.webhooks.services.dispatch import RETRY_DELAYS

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing(receiver, riverside, bob, signed, django_capture_on_commit_callbacks):
    receiver.status = 500
    receiver.answer = b"Internal error: " + b"x" * 2000
    with django_capture_on_commit_callbacks(execute=True):
        subscription, _ = subscription_create(
            user=bob, organisation=riverside, url=receiver.url, actions=[]
        )
    return subscription


def test_a_failed_message_is_retried_on_the_schedule_then_given_up(failing, receiver, riverside):
    [delivery] = Delivery.objects.filter(subscription=failing)
    assert delivery.attempts == 1 and delivery.state == Delivery.State.PENDING
    now = Attempt.objects.get().at
    assert delivery.next_attempt_at == now + RETRY_DELAYS[0]
    # Nothing is due before the next retry's time.
    assert webhooks_dispatch(organisation_id=riverside.pk, now=now + timedelta(seconds=30)) == 0
    for number, delay in enumerate(RETRY_DELAYS, start=2):
        now += delay
        assert webhooks_dispatch(organisation_id=riverside.pk, now=now) == 1
        delivery.refresh_from_db()
        assert delivery.attempts == number
    assert delivery.state == Delivery.State.FAILED and delivery.next_attempt_at is None
    assert len(receiver.received) == 1 + len(RETRY_DELAYS)
    # The same message id on every attempt (the receiver can drop duplicates).
    assert {message.headers["webhook-id"] for message in receiver.received} == {delivery.message_id}
    attempts = Attempt.objects.filter(delivery=delivery)
    assert attempts.count() == 7
    assert all(a.status_code == 500 and not a.succeeded for a in attempts)
    assert all(len(a.response_excerpt) <= 200 for a in attempts)


def test_a_webhook_failing_for_five_days_is_disabled_and_its_stewards_told(
    failing, receiver, riverside, alice, bob, carol
):
    start = failing.deliveries.get().created_at
    failing.refresh_from_db()
    assert failing.failing_since is not None
    later = start + timedelta(days=4)
    Delivery.objects.filter(subscription=failing).update(next_attempt_at=later)
    webhooks_dispatch(organisation_id=riverside.pk, now=later)
    failing.refresh_from_db()
    assert not failing.disabled
    final = start + timedelta(days=5, minutes=1)
    Delivery.objects.filter(subscription=failing).update(next_attempt_at=final)
    webhooks_dispatch(organisation_id=riverside.pk, now=final)
    failing.refresh_from_db()
    assert failing.disabled == Subscription.Disabled.FAILURES
    entry = RecordEntry.objects.filter(organisation=riverside).order_by("-seq").first()
    assert entry.action == "webhook.changed" and entry.actor is None
    assert entry.payload == {"webhook": failing.pk, "change": "disabled_after_failures"}
    told = set(
        Notification.objects.filter(kind="webhook_disabled").values_list("recipient", flat=True)
    )
    assert told == {alice.pk, bob.pk}  # the admin and the steward, not the member
    # Disabled: nothing more is attempted.
    count = len(receiver.received)
    assert webhooks_dispatch(organisation_id=riverside.pk, now=final + timedelta(days=1)) == 0
    assert len(receiver.received) == count


def test_a_receiver_that_recovers_resets_the_failure_run(failing, receiver, riverside):
    receiver.status = 200
    now = Attempt.objects.get().at + RETRY_DELAYS[0]
    assert webhooks_dispatch(organisation_id=riverside.pk, now=now) == 1
    failing.refresh_from_db()
    assert failing.failing_since is None
    assert failing.deliveries.get().state == Delivery.State.DELIVERED


def test_a_redirect_is_not_followed(failing, receiver, riverside):
    receiver.status = 302
    receiver.extra_headers = {"Location": "http://169.254.169.254/latest/meta-data/"}
    receiver.answer = b""
    now = Attempt.objects.get().at + RETRY_DELAYS[0]
    webhooks_dispatch(organisation_id=riverside.pk, now=now)
    attempt = Attempt.objects.order_by("-pk").first()
    assert attempt.status_code == 302 and not attempt.succeeded
    assert "not followed" in attempt.error
    assert len(receiver.received) == 2  # nothing went to the Location


def test_an_address_refused_since_subscribing_is_not_contacted(
    failing, receiver, riverside, settings
):
    settings.PARRHESIA_WEBHOOKS_ALLOW_PRIVATE = False
    now = Attempt.objects.get().at + RETRY_DELAYS[0]
    webhooks_dispatch(organisation_id=riverside.pk, now=now)
    attempt = Attempt.objects.order_by("-pk").first()
    assert attempt.status_code is None and attempt.error.startswith("refused:")
    assert "loopback" in attempt.error
    assert len(receiver.received) == 1


def test_a_dead_receiver_costs_one_attempt_per_run(receiver, riverside, bob, signed, settings):
    subscription, _ = subscription_create(
        user=bob, organisation=riverside, url=receiver.url, actions=[]
    )
    for number in range(3):
        Delivery.objects.create(
            subscription=subscription, message_id=f"msg_test{number}", seq=0,
            event_type="membership.founded", next_attempt_at=timezone.now(),
            created_at=timezone.now(),
        )  # fmt: skip
    receiver.status = 503
    assert webhooks_dispatch(organisation_id=riverside.pk) == 1
    assert Delivery.objects.filter(attempts=0).count() == 3  # wait for the next run


def test_a_webhook_deleted_while_its_message_is_sent_stops_nothing_else(
    failing, receiver, riverside, bob, django_capture_on_commit_callbacks
):
    from parrhesia.webhooks.services import subscription_delete
    from parrhesia.webhooks.services.dispatch import attempt_record
    from parrhesia.webhooks.transport import Outcome

    [delivery] = Delivery.objects.filter(subscription=failing)
    subscription_delete(user=bob, subscription=failing)  # a steward, while the POST is out
    outcome = Outcome(status_code=200, duration_ms=3, error="", excerpt="")
    assert attempt_record(delivery=delivery, outcome=outcome, now=timezone.now()) == delivery
    assert not Delivery.objects.filter(pk=delivery.pk).exists()


def test_a_receiver_whose_path_is_not_ascii_gets_its_message(
    receiver, riverside, bob, signed, django_capture_on_commit_callbacks
):
    receiver.url = receiver.url.replace("/hooks/parrhesia", "/hooks/réunion")
    with django_capture_on_commit_callbacks(execute=True):
        subscription_create(user=bob, organisation=riverside, url=receiver.url, actions=[])
    [received] = receiver.received
    assert received.path.startswith("/hooks/r%C3%A9union?")
