"""What voters and dissenters write enters the record sealed (issue 13, finding 7): a vote's
reason, a block's answer, a minority report, a ballot's description. The leaf holds a salted
commitment, the pages and the export the text, until an erasure takes the text out of the
database, the pages and the export; the record still verifies and every closed ballot still
recounts from it (choices, option labels and titles stay plain: the recount reads them)."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.urls import reverse

from parrhesia.decisions import services
from parrhesia.decisions.recount import recount_export
from parrhesia.methods.record.export import iter_entries
from parrhesia.methods.record.verify import verify_export
from parrhesia.record.exports import record_export_write
from parrhesia.record.models import RecordEntry
from parrhesia.record.services import record_redact, sealed_values
from tests.fixtures.decisions import member_of

pytestmark = pytest.mark.django_db


def _secret(what: str) -> str:
    return f"{what}: Carol lives at 12 Rose Lane, flat 3"


@pytest.fixture
def written(open_ballot, voters):
    """Every kind of text a ballot records, each with its own secret: ``(action, pointer,
    secret)`` triples, and the ballots."""
    ballot = open_ballot(description=_secret("description"))
    for name, choice in [("alice", "for"), ("bob", "for"), ("erin", "for")]:
        services.ballot_vote(user=voters[name], ballot=ballot, choices=choice)
    services.ballot_vote(
        user=voters["carol"], ballot=ballot, choices="block", reason=_secret("block")
    )
    services.ballot_block_answer(user=voters["bob"], ballot=ballot, text=_secret("answer"))
    ballot = services.ballot_close(user=voters["bob"], ballot=ballot, now=ballot.closes_at)
    report = services.minority_report_file(
        user=voters["carol"], ballot=ballot, title=_secret("title"), text=_secret("report")
    )
    hidden = open_ballot(results_hidden=True)
    services.ballot_vote(
        user=voters["carol"], ballot=hidden, choices="against", reason=_secret("hidden")
    )
    services.ballot_close(user=voters["bob"], ballot=hidden)
    texts = [
        ("ballot.opened", "/description", _secret("description")),
        ("ballot.voted", "/reason", _secret("block")),
        ("ballot.block_answered", "/text", _secret("answer")),
        ("minority_report.filed", "/title", _secret("title")),
        ("minority_report.filed", "/text", _secret("report")),
        ("ballot.closed", "/votes/0/reason", _secret("hidden")),
    ]
    subjects = [("ballot", ballot.pk), ("ballot", hidden.pk), ("minority_report", report.pk)]
    return texts, subjects, ballot


def _at(document, pointer):
    for part in pointer.strip("/").split("/"):
        document = document[int(part) if isinstance(document, list) else part]
    return document


def _export(organisation, path):
    with open(path, "wb") as handle:
        record_export_write(organisation, handle)
    return path.read_bytes()


def test_what_voters_write_is_committed_in_the_leaf_and_read_beside_it(riverside, written):
    texts, _, _ = written
    for action, pointer, text in texts:
        [entry] = RecordEntry.objects.filter(
            organisation=riverside, action=action, payload__icontains=text
        )
        assert _at(entry.payload, pointer) == text
        leaf = bytes(entry.canonical)
        assert text.encode() not in leaf, (action, pointer)
        assert _at(json.loads(leaf)["payload"], pointer).keys() == {"$commitment"}


def test_erased_texts_leave_the_record_which_verifies_and_recounts(
    riverside, written, alice, client, carol, tmp_path
):
    _, subjects, ballot = written
    with transaction.atomic():
        redaction = record_redact(
            organisation=riverside,
            actor=riverside.memberships.get(user=alice),
            erased=sealed_values(riverside, subjects=subjects),
            grounds="erasure_request",
        )
    path = tmp_path / "after.jsonl"
    assert b"Rose Lane" not in _export(riverside, path)
    assert not RecordEntry.objects.filter(payload__icontains="Rose Lane").exists()
    assert verify_export(str(path)).size == redaction.seq + 1
    assert recount_export(str(path)).closed == 2
    voted = RecordEntry.objects.get(
        action="ballot.voted", actor=member_of(carol, riverside).pk, subject_id=str(ballot.pk)
    )
    opened = {e.seq: e.payload for e in iter_entries(str(path))}
    assert opened[voted.seq] == {"choices": "block", "reason": {"$redacted": redaction.seq}}
    client.force_login(carol)
    page = client.get(reverse("record:page", args=["riverside"]), {"action": "ballot"})
    assert page.status_code == 200 and "Rose Lane" not in page.content.decode()
    one = client.get(reverse("record:entry", args=["riverside", voted.seq]))
    assert one.status_code == 200 and "Rose Lane" not in one.content.decode()
