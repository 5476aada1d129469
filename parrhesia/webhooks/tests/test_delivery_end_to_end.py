"""A steward subscribes a receiver; a member's action on the agenda reaches it, signed as the
Standard Webhooks spec says, carrying the entry with its inclusion proof and checkpoint, which
the record's own verification code accepts."""

from __future__ import annotations

import json
import time

import pytest
from standardwebhooks.webhooks import Webhook

from parrhesia.agenda import services as agenda
from parrhesia.methods.record.canonical import canonical_json
from parrhesia.methods.webhooks.signing import signature_verify
from parrhesia.methods.webhooks.verify import DeliveryVerificationError, delivery_verify
from parrhesia.record.checkpoints import signer_load
from parrhesia.record.models import RecordEntry
from parrhesia.webhooks.models import Attempt, Delivery
from parrhesia.webhooks.services import subscription_create

pytestmark = pytest.mark.django_db


def bodies(receiver):
    return [json.loads(message.body) for message in receiver.received]


def test_a_motion_reaches_the_receiver_signed_and_proved(
    receiver, riverside, alice, bob, half_quorum, signed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscription, secret = subscription_create(
            user=bob, organisation=riverside, url=receiver.url, actions=[]
        )
    with django_capture_on_commit_callbacks(execute=True):
        agenda.agenda_item_open(
            user=alice, organisation=riverside, title="The 9 % rent rise",
            motion_title="Rent strike", text="We withhold the rise until the landlord talks.",
        )  # fmt: skip
    types = [body["type"] for body in bodies(receiver)]
    assert types[0] == "webhook.subscribed"
    assert "agenda_item.opened" in types
    verifier_key = signer_load(riverside).verifier_key
    for message, body in zip(receiver.received, bodies(receiver), strict=True):
        assert message.path == "/hooks/parrhesia?x=1"
        # The reference library of the spec accepts the signature, and so does ours.
        assert Webhook(secret).verify(message.body.decode(), message.headers) == body
        signature_verify(secret, message.headers, message.body, now=int(time.time()))
        verified = delivery_verify(body["data"], verifier_key)
        stored = RecordEntry.objects.get(organisation=riverside, seq=verified.entry.seq)
        assert canonical_json(body["data"]["entry"]) == bytes(stored.canonical)
        assert verified.entry.action == body["type"]
        assert body["data"]["url"].endswith(f"/o/riverside/record/entries/{verified.entry.seq}/")
    assert Delivery.objects.filter(state=Delivery.State.DELIVERED).count() == len(types)
    assert Attempt.objects.filter(succeeded=True, status_code=204).count() == len(types)


def test_a_sealed_text_is_delivered_opened_and_its_proof_holds(
    receiver, riverside, alice, bob, half_quorum, signed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscription_create(
            user=bob, organisation=riverside, url=receiver.url, actions=["motion.filed"]
        )
        agenda.agenda_item_open(
            user=alice, organisation=riverside, title="Heating", motion_title="Fix the boiler",
            text="Call the plumber on Monday.",
        )  # fmt: skip
    [body] = bodies(receiver)
    verified = delivery_verify(body["data"], signer_load(riverside).verifier_key)
    assert "Call the plumber on Monday." in json.dumps(verified.payload)
    assert "Call the plumber" not in json.dumps(body["data"]["entry"])  # a commitment in the leaf


def test_a_tampered_delivery_does_not_verify(
    receiver, signed, riverside, alice, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscription_create(user=bob, organisation=riverside, url=receiver.url, actions=[])
    [body] = bodies(receiver)
    key = signer_load(riverside).verifier_key
    forged = json.loads(json.dumps(body["data"]))
    forged["entry"]["payload"]["webhook"] = 999
    with pytest.raises(DeliveryVerificationError, match="inclusion|leaf"):
        delivery_verify(forged, key)
    other = json.loads(json.dumps(body["data"]))
    other["inclusion"]["proof"] = ["AAAA"] + other["inclusion"]["proof"]
    with pytest.raises(DeliveryVerificationError):
        delivery_verify(other, key)
    with pytest.raises(DeliveryVerificationError, match="checkpoint"):
        delivery_verify(body["data"], signer_load_other_key())


def signer_load_other_key() -> str:
    from parrhesia.methods.record.checkpoint import generate_signer

    return generate_signer("localhost/riverside")[1]
