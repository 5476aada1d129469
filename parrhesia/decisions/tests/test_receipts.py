"""A secret vote's receipt: the page that shows it is never cached, the voter downloads it as a
file and is told in a notice (which carries neither tracker nor code), and after the close a
tracker search on the results page says whether that ballot was counted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.decisions import services
from parrhesia.notifications.models import Notification

pytestmark = pytest.mark.django_db


def url(name, ballot):
    return reverse(f"decisions:{name}", args=["riverside", ballot.pk])


@pytest.fixture
def secret(open_ballot):
    return open_ballot("plurality", ["A", "B"], secrecy="secret")


def cast(client, ballot, voter, choice="1"):
    client.force_login(voter)
    return client.post(url("vote", ballot), {"choice": choice, "idempotency_key": "k"})


def test_the_receipt_page_is_never_cached(client, secret, voters):
    response = cast(client, secret, voters["carol"])
    assert response.context["receipt"].tracker in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_the_voter_downloads_their_receipt(client, secret, voters):
    receipt = cast(client, secret, voters["carol"]).context["receipt"]
    response = client.post(
        url("receipt", secret), {"tracker": receipt.tracker, "receipt_code": receipt.receipt_code}
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == (
        f'attachment; filename="receipt-ballot-{secret.pk}.txt"'
    )
    text = response.content.decode()
    assert receipt.tracker in text and receipt.receipt_code in text and secret.title in text


def test_a_malformed_receipt_is_refused(client, secret, voters):
    client.force_login(voters["carol"])
    response = client.post(url("receipt", secret), {"tracker": "xyz", "receipt_code": "a b"})
    assert response.status_code == 400
    assert "A tracker is 64 characters" in response.content.decode()


def test_the_voter_is_notified_without_tracker_or_code(client, secret, voters):
    receipt = cast(client, secret, voters["carol"]).context["receipt"]
    [notice] = Notification.objects.filter(kind="ballot_participated")
    assert notice.recipient == voters["carol"] and notice.params == {"ballot": secret.title}
    stored = str(notice.params) + notice.url
    assert receipt.tracker not in stored and receipt.receipt_code not in stored
    cast(client, secret, voters["carol"])  # a retry notifies no one again
    assert Notification.objects.filter(kind="ballot_participated").count() == 1


def test_a_tracker_search_finds_the_counted_ballot(client, secret, voters):
    receipt = cast(client, secret, voters["carol"], choice="1").context["receipt"]
    cast(client, secret, voters["erin"], choice="0")
    services.ballot_close(user=voters["bob"], ballot=secret)
    client.force_login(voters["alice"])
    page = client.get(url("detail", secret)).content.decode()
    assert 'id="tracker-search"' in page
    found = client.post(url("tracker", secret), {"tracker": f" {receipt.tracker.upper()} "})
    assert found.status_code == 200 and "no-store" in found["Cache-Control"]
    assert "Your ballot is counted: B." in found.content.decode()
    missing = client.post(url("tracker", secret), {"tracker": "0" * 64})
    assert "No published ballot has this tracker" in missing.content.decode()
    bad = client.post(url("tracker", secret), {"tracker": "not a tracker"})
    assert bad.status_code == 400 and "A tracker is 64 characters" in bad.content.decode()


def test_no_tracker_search_while_the_vote_runs(client, secret, voters):
    receipt = cast(client, secret, voters["carol"]).context["receipt"]
    client.force_login(voters["alice"])
    assert 'id="tracker-search"' not in client.get(url("detail", secret)).content.decode()
    page = client.post(url("tracker", secret), {"tracker": receipt.tracker}).content.decode()
    assert "Your ballot is counted" not in page
