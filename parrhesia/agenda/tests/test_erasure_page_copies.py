"""Issue 13, finding 7 (review): a steward's lawful erasure of a deliberation entry's sealed
reason or answer erases the copy its page shows too, not the record's value alone."""

from __future__ import annotations

import pytest

from parrhesia.agenda import services
from parrhesia.orgs.services import record_entry_erase
from parrhesia.record.models import RecordEntry

pytestmark = pytest.mark.django_db

SECRET = "Carol lives at 12 Rose Lane, flat 3"


def test_erased_reasons_and_answers_leave_their_pages(
    riverside, admitted, motion, alice, bob, carol
):
    argument = services.argument_add(user=carol, motion=motion, stance="con", text="Too dear.")
    challenge = services.argument_challenge(
        user=alice, argument=argument, kind="other", text="Source?"
    )
    services.challenge_answer(user=carol, challenge=challenge, answer=f"Ask {SECRET}.")
    declined = services.suggestion_file(user=carol, motion=motion, text="Paint it blue.")
    services.suggestion_decline(user=alice, suggestion=declined, reason=f"{SECRET} objects.")
    question = services.question_file(
        user=carol, organisation=riverside, title="Lifts?", text="When are they fixed?"
    )
    services.question_status_set(
        user=bob, question=question, status="set_aside", reason=f"{SECRET} asked."
    )
    wanted = {
        "challenge.answered": "/payload/answer",
        "suggestion.declined": "/payload/reason",
        "question.status_changed": "/payload/reason",
    }
    for action, pointer in wanted.items():
        entry = RecordEntry.objects.filter(organisation=riverside, action=action).last()
        record_entry_erase(
            user=bob, organisation=riverside, seq=entry.seq, pointers=[pointer], reason="Art. 17"
        )
    for obj, field in [
        (challenge, "answer"),
        (declined, "decided_reason"),
        (question, "status_reason"),
    ]:
        obj.refresh_from_db()
        assert SECRET not in getattr(obj, field), field
        assert getattr(obj, field).startswith("Erased at a lawful request"), field
