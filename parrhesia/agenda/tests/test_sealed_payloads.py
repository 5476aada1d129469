"""What members write in deliberation enters the record sealed (issue 13, finding 7): the leaf
holds a salted commitment, the pages and the export the text, until an erasure (a verdict, a
lawful request) takes the text out of the database, the pages and the export, and the record
still verifies (docs/record.md §6)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse

from parrhesia.agenda import services
from parrhesia.methods.record.export import iter_entries
from parrhesia.methods.record.verify import verify_export
from parrhesia.record.exports import record_export_write
from parrhesia.record.models import RecordEntry
from parrhesia.record.services import record_redact, sealed_values

pytestmark = pytest.mark.django_db


def _secret(what: str) -> str:
    return f"{what}: Carol lives at 12 Rose Lane, flat 3"


@pytest.fixture
def written(riverside, admitted, motion, alice, bob, carol):
    """Every kind of text deliberation records, each with its own secret; ``{(action, key):
    secret}`` and the subjects they are about."""
    argument = services.argument_add(
        user=carol, motion=motion, stance="con", text=_secret("argument")
    )
    services.argument_revise(user=carol, argument=argument, text=_secret("revision"))
    challenge = services.argument_challenge(
        user=alice, argument=argument, kind="other", text=_secret("challenge")
    )
    services.challenge_answer(user=carol, challenge=challenge, answer=_secret("answer"))
    alternative = services.motion_file_alternative(
        user=carol, item=admitted, title="Talk first", text=_secret("motion")
    )
    services.motion_revise(
        user=carol, motion=alternative, text=_secret("version"), note=_secret("note")
    )
    adopted = services.suggestion_file(
        user=carol, motion=motion, text=_secret("suggestion"), explanation=_secret("why")
    )
    services.suggestion_adopt(user=alice, suggestion=adopted, reason=_secret("adopted"))
    declined = services.suggestion_file(user=carol, motion=motion, text=_secret("second"))
    services.suggestion_decline(user=alice, suggestion=declined, reason=_secret("declined"))
    question = services.question_file(
        user=carol, organisation=riverside, title=_secret("title"), text=_secret("question")
    )
    services.question_status_set(
        user=bob, question=question, status="set_aside", reason=_secret("set aside")
    )
    services.phase_adjust(
        user=bob, item=admitted, ends_at=admitted.phase_ends_at + timedelta(days=3),
        reason=_secret("adjusted"),
    )  # fmt: skip
    services.motion_withdraw(user=carol, motion=alternative, reason=_secret("withdrawn"))
    services.phases_advance_due(admitted.phase_ends_at + timedelta(days=30))
    services.agenda_item_voting_start(item=admitted, decision_ref="ballot-7")
    services.agenda_item_decide(item=admitted, outcome="Rent strike adopted")
    services.follow_up_log(user=bob, item=admitted, status="planned", text=_secret("follow-up"))
    texts = {
        ("argument.added", "text"): _secret("argument"),
        ("argument.revised", "text"): _secret("revision"),
        ("argument.challenged", "text"): _secret("challenge"),
        ("challenge.answered", "answer"): _secret("answer"),
        ("motion.filed", "text"): _secret("motion"),
        ("motion.revised", "note"): _secret("note"),
        ("suggestion.filed", "explanation"): _secret("why"),
        ("suggestion.adopted", "reason"): _secret("adopted"),
        ("suggestion.declined", "reason"): _secret("declined"),
        ("question.filed", "title"): _secret("title"),
        ("question.filed", "text"): _secret("question"),
        ("question.status_changed", "reason"): _secret("set aside"),
        ("agenda_item.phase_adjusted", "reason"): _secret("adjusted"),
        ("motion.withdrawn", "reason"): _secret("withdrawn"),
        ("follow_up.logged", "text"): _secret("follow-up"),
    }
    subjects = [
        ("argument", argument.pk), ("challenge", challenge.pk), ("motion", alternative.pk),
        ("motion", motion.pk), ("suggestion", adopted.pk), ("suggestion", declined.pk),
        ("question", question.pk), ("agenda_item", admitted.pk),
    ]  # fmt: skip
    return texts, subjects


def _entries(organisation, action):
    return list(RecordEntry.objects.filter(organisation=organisation, action=action))


def _export(organisation, path):
    with open(path, "wb") as handle:
        record_export_write(organisation, handle)
    return path.read_bytes()


def test_what_members_write_is_committed_in_the_leaf_and_read_beside_it(riverside, written):
    texts, _ = written
    for (action, key), text in texts.items():
        entries = [e for e in _entries(riverside, action) if e.payload[key] == text]
        assert len(entries) == 1, (action, key)
        leaf = bytes(entries[0].canonical)
        assert text.encode() not in leaf, (action, key)
        assert json.loads(leaf)["payload"][key].keys() == {"$commitment"}
    # the revised motion text (the adopted suggestion's too), by its own key
    for entry in _entries(riverside, "motion.revised"):
        assert entry.payload["text"].encode() not in bytes(entry.canonical)


def test_erased_texts_leave_the_record_and_it_still_verifies(
    riverside, written, alice, client, carol, tmp_path
):
    texts, subjects = written
    with transaction.atomic():
        redaction = record_redact(
            organisation=riverside,
            actor=riverside.memberships.get(user=alice),
            erased=sealed_values(riverside, subjects=subjects),
            grounds="erasure_request",
        )
    data = _export(riverside, tmp_path / "after.jsonl")
    for text in texts.values():
        assert text.encode() not in data
    assert not RecordEntry.objects.filter(payload__icontains="Rose Lane").exists()
    assert verify_export(str(tmp_path / "after.jsonl")).size == redaction.seq + 1
    opened = {e.seq: e.payload for e in iter_entries(str(tmp_path / "after.jsonl"))}
    [added] = _entries(riverside, "argument.added")
    assert opened[added.seq]["text"] == {"$redacted": redaction.seq}
    client.force_login(carol)
    page = client.get(reverse("record:page", args=["riverside"]), {"action": "argument"})
    assert page.status_code == 200 and "Rose Lane" not in page.content.decode()
    one = client.get(reverse("record:entry", args=["riverside", added.seq]))
    assert one.status_code == 200 and "Rose Lane" not in one.content.decode()
