"""A value erased while its entry waits for a retry is not sent: the retry carries the entry as
the export now shows it, and still verifies. ``parrhesia due`` delivers what a lost task left."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from parrhesia.agenda import services as agenda
from parrhesia.cli.due import due_steps
from parrhesia.methods.webhooks.verify import delivery_verify
from parrhesia.orgs.models import Membership
from parrhesia.record.checkpoints import signer_load
from parrhesia.record.services import record_redact
from parrhesia.webhooks.models import Delivery
from parrhesia.webhooks.services import subscription_create, webhooks_dispatch
from parrhesia.webhooks.services.dispatch import RETRY_DELAYS

pytestmark = pytest.mark.django_db


def test_a_retry_does_not_send_a_value_erased_meanwhile(
    receiver, riverside, alice, bob, half_quorum, signed, django_capture_on_commit_callbacks
):
    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        subscription_create(
            user=bob, organisation=riverside, url=receiver.url, actions=["motion.filed"]
        )
        agenda.agenda_item_open(
            user=alice, organisation=riverside, title="Heating", motion_title="Boiler",
            text="Flat 4B, Jane Doe, owes rent.",
        )  # fmt: skip
    [first] = receiver.received
    assert "Jane Doe" in first.body.decode()
    delivery = Delivery.objects.get()
    with transaction.atomic():
        steward = Membership.objects.get(organisation=riverside, user=bob)
        erasure = record_redact(
            organisation=riverside,
            actor=steward,
            erased=[(delivery.seq, "/payload/text")],
            grounds="erasure_request",
        )
    receiver.status = 200
    webhooks_dispatch(
        organisation_id=riverside.pk, now=delivery.next_attempt_at + timedelta(seconds=1)
    )
    second = receiver.received[-1]
    assert second.headers["webhook-id"] == first.headers["webhook-id"]
    assert "Jane Doe" not in second.body.decode()
    verified = delivery_verify(json.loads(second.body)["data"], signer_load(riverside).verifier_key)
    assert verified.erased == {"/payload/text": erasure.seq}


def test_parrhesia_due_delivers_what_a_lost_task_left(receiver, riverside, bob, signed):
    # No commit hook runs here: as if the worker had lost the task.
    subscription_create(user=bob, organisation=riverside, url=receiver.url, actions=[])
    assert not receiver.received
    steps = dict(due_steps())
    assert steps["webhook deliveries attempted"](timezone.now()) == 1
    assert json.loads(receiver.received[0].body)["type"] == "webhook.subscribed"
    assert steps["webhook deliveries attempted"](timezone.now() + RETRY_DELAYS[0]) == 0
