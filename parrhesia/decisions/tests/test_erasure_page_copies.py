"""Issue 13, finding 7 (review): a steward's lawful erasure of a record entry's sealed value
erases the copy the ballot's page shows too — a vote's reason, a block's answer, a ballot's
description — not the record's value alone ("everywhere — pages, search, exports")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.decisions import services
from parrhesia.record.models import RecordEntry

pytestmark = pytest.mark.django_db

SECRET = "Dave at 7 Quarry Road flat 9 is why"
BASIS = "GDPR art. 17, asked by Dave"


def erase(client, organisation, steward, entry: RecordEntry, pointer: str):
    client.force_login(steward)
    response = client.post(
        reverse("orgs:erasure", args=[organisation.slug, entry.seq]),
        {"pointers": [pointer], "reason": BASIS, "confirm": "on"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert "$redacted" in str(entry.payload)


def page(client, ballot) -> str:
    url = reverse("decisions:detail", args=[ballot.organisation.slug, ballot.pk])
    return client.get(url).content.decode()


def test_a_vote_reason_erased_at_a_lawful_request_leaves_the_ballots_page(
    riverside, voters, open_ballot, client
):
    ballot = open_ballot()
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="for", reason=SECRET)
    client.force_login(voters["bob"])
    assert SECRET in page(client, ballot)
    entry = RecordEntry.objects.get(organisation=riverside, action="ballot.voted")
    erase(client, riverside, voters["bob"], entry, "/payload/reason")
    assert SECRET not in page(client, ballot)
    vote = ballot.votes.get()
    assert vote.reason.startswith("Erased at a lawful request") and vote.choices == "for"


def test_a_block_answer_and_a_description_erased_leave_the_page(
    riverside, voters, open_ballot, client
):
    ballot = open_ballot(description=f"Context: {SECRET}.")
    services.ballot_vote(user=voters["erin"], ballot=ballot, choices="block", reason="no")
    services.ballot_block_answer(user=voters["bob"], ballot=ballot, text=SECRET)
    client.force_login(voters["bob"])
    assert SECRET in page(client, ballot)
    for action, pointer in [
        ("ballot.block_answered", "/payload/text"),
        ("ballot.opened", "/payload/description"),
    ]:
        entry = RecordEntry.objects.get(organisation=riverside, action=action)
        erase(client, riverside, voters["bob"], entry, pointer)
    assert SECRET not in page(client, ballot)
    ballot.refresh_from_db()
    assert SECRET not in ballot.block_answer and SECRET not in ballot.description


def test_a_reason_changed_since_is_not_the_erased_one(riverside, voters, open_ballot, client):
    """The page shows the voter's latest reason: erasing an earlier one leaves it (and does not
    fail)."""
    ballot = open_ballot()
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="for", reason=SECRET)
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="for", reason="Cheaper.")
    first = RecordEntry.objects.filter(organisation=riverside, action="ballot.voted").first()
    erase(client, riverside, voters["bob"], first, "/payload/reason")
    assert ballot.votes.get().reason == "Cheaper."
