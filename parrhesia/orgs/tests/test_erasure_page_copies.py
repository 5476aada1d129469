"""Issue 13, finding 7 (review): a steward's lawful erasure of an invitation's note erases the
note on the invitations page too, not the record's value alone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.orgs import services
from parrhesia.record.models import RecordEntry

pytestmark = pytest.mark.django_db

NOTE = "For Dave, 7 Quarry Road flat 9"


def test_an_invitation_note_erased_at_a_lawful_request_leaves_the_invitations_page(
    riverside, alice, bob, client
):
    invitation = services.invitation_create(user=bob, organisation=riverside, note=NOTE)
    client.force_login(bob)
    listing = reverse("orgs:invitations", args=[riverside.slug])
    assert NOTE in client.get(listing).content.decode()
    entry = RecordEntry.objects.filter(organisation=riverside, action="invitation.created").last()
    response = client.post(
        reverse("orgs:erasure", args=[riverside.slug, entry.seq]),
        {"pointers": ["/payload/note"], "reason": "GDPR art. 17", "confirm": "on"},
    )
    assert response.status_code == 302
    assert NOTE not in client.get(listing).content.decode()
    invitation.refresh_from_db()
    assert invitation.note.startswith("Erased at a lawful request")


def test_the_copies_of_other_erased_reasons_go_with_them(riverside, alice, bob, carol, erin):
    """A code's reason, a join request's answer, a statement's mark reason, a conversation's
    closing reason: each page's copy gives way when a steward erases the record's value."""
    from parrhesia.opinion import services as opinion

    code = services.conduct_code_amend(
        user=alice, organisation=riverside, rules=["Be kind."], reason=f"{NOTE} complained"
    )
    riverside.visibility = "public"  # a public organisation takes requests to join
    riverside.save(update_fields=["visibility"])
    join_request = services.join_request_create(user=erin, organisation=riverside)
    services.join_request_refuse(user=bob, join_request=join_request, reason=f"{NOTE} objects")
    conversation = opinion.conversation_open(user=alice, organisation=riverside, topic="Lifts")
    statement = opinion.statement_add(user=carol, conversation=conversation, text="Fix them.")
    opinion.statement_mark(user=bob, statement=statement, mark="meta", reason=f"{NOTE} said so")
    opinion.conversation_close(user=bob, conversation=conversation, reason=f"{NOTE} moved")
    for action in [
        "conduct_code.amended",
        "membership.join_request_refused",
        "statement.marked",
        "conversation.closed",
    ]:
        entry = RecordEntry.objects.filter(organisation=riverside, action=action).last()
        services.record_entry_erase(
            user=bob,
            organisation=riverside,
            seq=entry.seq,
            pointers=["/payload/reason"],
            reason="GDPR art. 17",
        )
    for obj, field in [
        (code, "reason"),
        (join_request, "reason"),
        (statement, "mark_reason"),
        (conversation, "close_reason"),
    ]:
        obj.refresh_from_db()
        assert getattr(obj, field).startswith("Erased at a lawful request"), field
