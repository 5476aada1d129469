"""What members write in a conversation enters the record sealed (issue 13, finding 7): the leaf
holds a salted commitment, the pages and the export the text, until an erasure takes the text
out of the database, the pages and the export, and the record still verifies."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.urls import reverse

from parrhesia.methods.record.export import iter_entries
from parrhesia.methods.record.verify import verify_export
from parrhesia.opinion import services
from parrhesia.record.exports import record_export_write
from parrhesia.record.models import RecordEntry
from parrhesia.record.services import record_redact, sealed_values

pytestmark = pytest.mark.django_db


def _secret(what: str) -> str:
    return f"{what}: Carol lives at 12 Rose Lane, flat 3"


@pytest.fixture
def written(riverside, alice, bob, carol):
    """Every kind of text a conversation records, each with its own secret: ``(action, key,
    secret)`` triples, and the subjects they are about."""
    conversation = services.conversation_open(
        user=alice, organisation=riverside, topic="The lifts",
        description=_secret("description"), seed_statements=[_secret("seed")],
    )  # fmt: skip
    statement = services.statement_add(
        user=carol, conversation=conversation, text=_secret("statement")
    )
    services.statement_mark(user=bob, statement=statement, mark="off_topic", reason=_secret("mark"))
    services.conversation_close(user=bob, conversation=conversation, reason=_secret("closed"))
    texts = [
        ("conversation.opened", "description", _secret("description")),
        ("statement.added", "text", _secret("seed")),
        ("statement.added", "text", _secret("statement")),
        ("statement.marked", "reason", _secret("mark")),
        ("conversation.closed", "reason", _secret("closed")),
    ]
    subjects = [("conversation", conversation.pk)] + [
        ("statement", pk) for pk in conversation.statements.values_list("pk", flat=True)
    ]
    return texts, subjects


def test_what_members_write_is_committed_in_the_leaf_and_read_beside_it(riverside, written):
    texts, _ = written
    for action, key, text in texts:
        [entry] = RecordEntry.objects.filter(
            organisation=riverside, action=action, payload__icontains=text
        )
        assert entry.payload[key] == text
        assert text.encode() not in bytes(entry.canonical), (action, key)
        assert json.loads(bytes(entry.canonical))["payload"][key].keys() == {"$commitment"}


def test_erased_texts_leave_the_record_and_it_still_verifies(
    riverside, written, alice, client, carol, tmp_path
):
    _, subjects = written
    with transaction.atomic():
        redaction = record_redact(
            organisation=riverside,
            actor=riverside.memberships.get(user=alice),
            erased=sealed_values(riverside, subjects=subjects),
            grounds="erasure_request",
        )
    path = tmp_path / "after.jsonl"
    with open(path, "wb") as handle:
        record_export_write(riverside, handle)
    assert b"Rose Lane" not in path.read_bytes()
    assert not RecordEntry.objects.filter(payload__icontains="Rose Lane").exists()
    assert verify_export(str(path)).size == redaction.seq + 1
    added = RecordEntry.objects.filter(organisation=riverside, action="statement.added").last()
    opened = {e.seq: e.payload for e in iter_entries(str(path))}
    assert opened[added.seq]["text"] == {"$redacted": redaction.seq}
    client.force_login(carol)
    page = client.get(reverse("record:page", args=["riverside"]), {"action": "statement"})
    assert page.status_code == 200 and "Rose Lane" not in page.content.decode()
    one = client.get(reverse("record:entry", args=["riverside", added.seq]))
    assert one.status_code == 200 and "Rose Lane" not in one.content.decode()
