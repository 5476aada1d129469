"""The stewards are told a request to join waits; the person who asked is told the answer,
with the steward's reason, by e-mail (issue 14)."""

from __future__ import annotations

import pytest
from django.core import mail

from parrhesia.orgs import services
from parrhesia.orgs.models import Visibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_riverside(riverside):
    riverside.visibility = Visibility.PUBLIC
    riverside.save()
    return riverside


def sent_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_the_stewards_are_told_a_request_waits_without_its_message(
    public_riverside, erin, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_create(
            user=erin, organisation=public_riverside, message="Flat 12, block A"
        )
    [to_bob] = sent_to("bob@example.org")
    assert "A request to join Riverside Tenants is waiting" in to_bob.body
    assert "/o/riverside/join-requests/" in to_bob.body
    assert "Flat 12" not in to_bob.body and "Erin" not in to_bob.body
    assert sent_to("alice@example.org")  # the admin decides too
    assert not sent_to("carol@example.org")  # a plain member does not


@pytest.mark.parametrize(
    ("answer", "words"),
    [("join_request_accept", "was accepted"), ("join_request_refuse", "was refused")],
)
def test_the_applicant_is_told_the_answer_with_the_reason(
    public_riverside, bob, erin, answer, words, django_capture_on_commit_callbacks
):
    request = services.join_request_create(user=erin, organisation=public_riverside)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        getattr(services, answer)(
            user=bob, join_request=request, reason="Confirmed with the estate office."
        )
    [message] = sent_to("erin@example.org")
    assert words in message.body
    assert "Confirmed with the estate office." in message.body
    assert message.alternatives and "List-Unsubscribe" in message.extra_headers
