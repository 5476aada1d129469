"""The stewards are told of a case waiting for them, by e-mail, without its parties' names; a
case's parties are e-mailed when it moves (issue 14)."""

from __future__ import annotations

import pytest
from django.core import mail

from parrhesia.orgs.models import Membership
from parrhesia.tribunal import services

pytestmark = pytest.mark.django_db


def sent_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_the_stewards_are_told_of_a_new_case_and_a_hidden_reporter_is_not_named(
    court, alice, bob, carol, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.report_file(
            user=alice,
            organisation=court,
            kind="member",
            object_id=Membership.objects.get(organisation=court, user=carol).pk,
            rules=[1],
            description="Insulted a neighbour at the meeting.",
            anonymous=True,
        )
    [to_bob] = sent_to("bob@example.org")
    assert f"Case {case.number} was opened" in to_bob.body
    for name in ("Alice", "alice", "Carol", "Insulted"):
        assert name not in to_bob.body
        assert name not in to_bob.alternatives[0][0]
    # The accused is told by their own notice (at once); the reporter not of their own act.
    [to_carol] = sent_to("carol@example.org")
    assert "you have been reported" in to_carol.body
    # Her mail provider (an employer's, say) learns no organisation (docs/privacy.md §4.1).
    for message in (to_bob, to_carol):
        for part in (message.subject, message.body, message.alternatives[0][0]):
            assert "Riverside" not in part and "riverside" not in part
    assert not sent_to("alice@example.org")
