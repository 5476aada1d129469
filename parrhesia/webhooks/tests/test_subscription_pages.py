"""Stewards manage their organisation's webhooks on /o/<slug>/webhooks/: the secret is shown
once, the URL never reaches the record, a private address is refused, irreversible acts ask
first, and each change is on the record."""

from __future__ import annotations

import json
import time

import pytest
from django.urls import reverse

from parrhesia.methods.webhooks.signing import signature_verify
from parrhesia.orgs import services as orgs
from parrhesia.record.models import RecordEntry
from parrhesia.webhooks.models import Subscription
from parrhesia.webhooks.services import subscription_create

pytestmark = pytest.mark.django_db

LIST = reverse("webhooks:list", args=["riverside"])


def latest_entry(organisation):
    return RecordEntry.objects.filter(organisation=organisation).order_by("-seq").first()


def test_the_secret_is_shown_once_and_the_url_stays_off_the_record(
    client, receiver, riverside, bob
):
    client.force_login(bob)
    url = receiver.url.replace("127.0.0.1", "localhost") + "&token=chat-password"
    response = client.post(
        LIST, {"url": url, "label": "Union chat", "every_action": "chosen",
               "actions": ["ballot.opened", "ballot.closed"]},
    )  # fmt: skip
    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.secret.startswith("whsec_")
    assert subscription.secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    detail = reverse("webhooks:detail", args=["riverside", subscription.pk])
    for page in (client.get(LIST), client.get(detail)):
        assert page.status_code == 200
        assert subscription.secret not in page.content.decode()
    assert "Union chat" in client.get(LIST).content.decode()
    entry = latest_entry(riverside)
    assert entry.action == "webhook.subscribed"
    assert entry.payload == {
        "webhook": subscription.pk,
        "actions": ["ballot.closed", "ballot.opened"],
    }
    assert entry.openings == {}
    for secret in ("chat-password", "localhost", "127.0.0.1", "hooks"):
        assert secret not in bytes(entry.canonical).decode()


@pytest.mark.parametrize(
    "url",
    ["http://169.254.169.254/latest/meta-data/", "http://[::ffff:10.0.0.1]/", "ftp://8.8.8.8/"],
)
def test_a_private_address_is_refused_on_subscribing(client, riverside, bob, url):
    client.force_login(bob)
    response = client.post(LIST, {"url": url, "every_action": "all"})
    assert response.status_code == 400
    assert "Deliveries cannot go to this URL" in response.content.decode()
    assert not Subscription.objects.exists()


def test_chosen_actions_need_one_action_and_unknown_ones_are_refused(client, riverside, bob):
    client.force_login(bob)
    response = client.post(LIST, {"url": "https://8.8.8.8/", "every_action": "chosen"})
    assert response.status_code == 400 and not Subscription.objects.exists()
    response = client.post(
        LIST, {"url": "https://8.8.8.8/", "every_action": "chosen", "actions": ["no.such"]}
    )
    assert response.status_code == 400 and not Subscription.objects.exists()


def test_members_and_outsiders_are_kept_out(client, riverside, carol, dave):
    client.force_login(carol)
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, {"url": "https://8.8.8.8/", "every_action": "all"}).status_code == 403
    client.force_login(dave)
    assert client.get(LIST).status_code == 404
    assert not Subscription.objects.exists()


def test_another_organisations_webhook_is_a_404(client, riverside, harbour, bob):
    theirs = Subscription.objects.create(
        organisation=harbour, url="https://8.8.8.8/", secret="whsec_AAAA"
    )
    client.force_login(bob)
    assert client.get(reverse("webhooks:detail", args=["riverside", theirs.pk])).status_code == 404
    response = client.post(reverse("webhooks:delete", args=["riverside", theirs.pk]))
    assert response.status_code == 404
    assert Subscription.objects.filter(pk=theirs.pk).exists()


def test_rotation_shows_the_new_secret_once_and_signs_with_both_for_a_day(
    client, receiver, riverside, bob, signed, django_capture_on_commit_callbacks
):
    subscription, old = subscription_create(
        user=bob, organisation=riverside, url=receiver.url, actions=[]
    )
    client.force_login(bob)
    rotate = reverse("webhooks:rotate", args=["riverside", subscription.pk])
    assert "Make a new secret" in client.get(rotate).content.decode()  # asks first
    response = client.post(rotate)
    subscription.refresh_from_db()
    new = subscription.secret
    assert new != old and new in response.content.decode()
    assert subscription.previous_secret == old
    assert latest_entry(riverside).payload == {
        "webhook": subscription.pk,
        "change": "secret_rotated",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhooks:test", args=["riverside", subscription.pk]))
    [ping] = [m for m in receiver.received if json.loads(m.body)["type"] == "webhook.test"]
    assert json.loads(ping.body)["data"]["webhook"] == subscription.pk
    assert len(ping.headers["webhook-signature"].split(" ")) == 2
    for secret in (old, new):
        signature_verify(secret, ping.headers, ping.body, now=int(time.time()))


def test_deleting_asks_first_then_deletes_on_the_record(client, riverside, bob):
    subscription, _ = subscription_create(
        user=bob, organisation=riverside, url="https://8.8.8.8/", actions=[]
    )
    client.force_login(bob)
    delete = reverse("webhooks:delete", args=["riverside", subscription.pk])
    page = client.get(delete)
    assert page.status_code == 200 and "This cannot be undone" in page.content.decode()
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    assert client.post(delete).status_code == 302
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert latest_entry(riverside).action == "webhook.deleted"


def test_a_disabled_webhook_receives_nothing_and_enabling_starts_from_then(
    client, receiver, riverside, alice, bob, erin, signed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscription, _ = subscription_create(
            user=bob, organisation=riverside, url=receiver.url, actions=[]
        )
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhooks:disable", args=["riverside", subscription.pk]))
        orgs.invitation_create(user=alice, organisation=riverside)
    received = [json.loads(m.body)["type"] for m in receiver.received]
    assert received == ["webhook.subscribed"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhooks:enable", args=["riverside", subscription.pk]))
    received = [json.loads(m.body)["data"]["entry"] for m in receiver.received]
    assert [e["action"] for e in received] == ["webhook.subscribed", "webhook.changed"]
    assert received[1]["payload"] == {"webhook": subscription.pk, "change": "enabled"}
    subscription.refresh_from_db()
    assert not subscription.disabled
