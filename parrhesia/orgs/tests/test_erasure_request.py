"""A lawful erasure request, handled by stewards on the record (issue 13, finding 7): a steward
chooses values of a record entry to erase (and, for content, its text), gives the lawful basis
and confirms; the values are gone from the pages and the export, a record.redacted entry says
who erased what and why, and the record still verifies against an export taken before."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.methods.record.verify import verify_export
from parrhesia.opinion import services as opinion
from parrhesia.record.exports import record_export_write
from parrhesia.record.models import RecordEntry

pytestmark = pytest.mark.django_db

ADDRESS = "7 Quarry Road, flat 9"
BASIS = "Art. 17 GDPR, asked by Dave in person on 3 May"


@pytest.fixture
def statement(riverside, alice, carol):
    conversation = opinion.conversation_open(user=alice, organisation=riverside, topic="Lifts")
    return opinion.statement_add(
        user=carol, conversation=conversation, text=f"Dave lives at {ADDRESS}."
    )


def entry_of(statement) -> RecordEntry:
    return RecordEntry.objects.get(
        action="statement.added", subject_kind="statement", subject_id=str(statement.pk)
    )


def url(organisation, seq: int) -> str:
    return reverse("orgs:erasure", args=[organisation.slug, seq])


def export(organisation, path) -> str:
    with path.open("wb") as handle:
        record_export_write(organisation, handle)
    return str(path)


def test_a_steward_sees_the_values_with_a_reason_and_a_confirmation_to_give(
    riverside, bob, statement, client
):
    client.force_login(bob)
    page = client.get(url(riverside, entry_of(statement).seq)).content.decode()
    assert ADDRESS in page and 'value="/payload/text"' in page
    assert 'name="reason"' in page and 'name="confirm"' in page and 'name="erase_content"' in page


def test_a_member_may_not_erase(riverside, carol, statement, client):
    client.force_login(carol)
    seq = entry_of(statement).seq
    assert client.get(url(riverside, seq)).status_code == 403
    response = client.post(
        url(riverside, seq), {"pointers": ["/payload/text"], "reason": BASIS, "confirm": "on"}
    )
    assert response.status_code == 403 and ADDRESS in entry_of(statement).payload["text"]


@pytest.mark.parametrize(
    "data",
    [
        {"pointers": ["/payload/text"], "reason": BASIS},  # not confirmed
        {"pointers": ["/payload/text"], "reason": " ", "confirm": "on"},  # no lawful basis
        {"reason": BASIS, "confirm": "on"},  # nothing chosen
        {"pointers": ["/payload/nothing"], "reason": BASIS, "confirm": "on"},
    ],
)
def test_nothing_is_erased_without_a_choice_a_reason_and_a_confirmation(
    riverside, bob, statement, client, data
):
    client.force_login(bob)
    response = client.post(url(riverside, entry_of(statement).seq), data)
    assert response.status_code == 400
    assert ADDRESS in entry_of(statement).payload["text"]
    assert not RecordEntry.objects.filter(action="record.redacted").exists()


def test_an_erasure_request_erases_the_value_on_the_record(
    riverside, bob, statement, client, tmp_path
):
    before = export(riverside, tmp_path / "before.jsonl")
    seq = entry_of(statement).seq
    client.force_login(bob)
    response = client.post(
        url(riverside, seq), {"pointers": ["/payload/text"], "reason": BASIS, "confirm": "on"}
    )
    redaction = RecordEntry.objects.get(organisation=riverside, action="record.redacted")
    assert response.status_code == 302
    assert response.url == reverse("record:entry", args=[riverside.slug, redaction.seq])
    assert redaction.actor == riverside.memberships.get(user=bob).pk
    assert redaction.payload["grounds"] == "erasure_request"
    assert redaction.payload["reason"] == BASIS and "/payload/reason" in redaction.openings
    assert entry_of(statement).payload["text"] == {"$redacted": redaction.seq}
    for page in (reverse("record:page", args=[riverside.slug]), url(riverside, seq)):
        assert ADDRESS not in client.get(page).content.decode()
    after = export(riverside, tmp_path / "after.jsonl")
    assert ADDRESS.encode() not in open(after, "rb").read()
    verify_export(after, previous=before)
    statement.refresh_from_db()
    assert ADDRESS in statement.text  # the content itself only when the steward says so


def test_an_erasure_request_may_erase_the_content_too(riverside, bob, statement, client):
    client.force_login(bob)
    response = client.post(
        url(riverside, entry_of(statement).seq),
        {"reason": BASIS, "confirm": "on", "erase_content": "on"},
    )
    assert response.status_code == 302
    redaction = RecordEntry.objects.get(organisation=riverside, action="record.redacted")
    statement.refresh_from_db()
    assert statement.text == f"Erased at a lawful request (record entry #{redaction.seq})."
    assert entry_of(statement).payload["text"] == {"$redacted": redaction.seq}
    where = reverse("opinion:statement", args=[riverside.slug, statement.pk])
    page = client.get(where, follow=True)
    assert ADDRESS not in page.content.decode()


def test_an_erasure_request_reaches_the_notices_not_yet_sent(
    riverside, alice, bob, statement, client
):
    from parrhesia.notifications.models import Notification

    pending = Notification.objects.create(
        recipient=alice,
        organisation=riverside,
        topic="Lifts",
        kind="statement_added",
        params={"text": statement.text},
        url="/",
    )
    client.force_login(bob)
    client.post(
        url(riverside, entry_of(statement).seq),
        {"pointers": ["/payload/text"], "reason": BASIS, "confirm": "on"},
    )
    pending.refresh_from_db()
    assert ADDRESS not in str(pending.params) and "Erased at a lawful request" in str(
        pending.params
    )


def test_the_evidence_of_an_undecided_case_is_not_a_stewards_to_erase(
    court, alice, bob, carol, client
):
    """A steward — here the accused — may not erase what an undecided case is about, nor the
    case's own entries: the jury would judge a blank (review of issue 13)."""
    from parrhesia.tribunal import services as tribunal

    conversation = opinion.conversation_open(user=alice, organisation=court, topic="The lifts")
    insult = opinion.statement_add(user=bob, conversation=conversation, text="Carol is a thief.")
    tribunal.report_file(
        user=carol,
        organisation=court,
        kind="statement",
        object_id=insult.pk,
        rules=[2],
        description="Bob insults me at 4 Elm Street",
        evidence="Screenshot link",
    )
    opened = RecordEntry.objects.get(organisation=court, action="case.opened")
    added = RecordEntry.objects.get(organisation=court, action="statement.added")
    size = RecordEntry.objects.filter(organisation=court).count()
    client.force_login(bob)
    for seq, data in (
        (opened.seq, {"pointers": ["/payload/description"], "erase_content": "on"}),
        (added.seq, {"pointers": ["/payload/text"], "erase_content": "on"}),
    ):
        response = client.post(url(court, seq), {**data, "reason": "asked by me", "confirm": "on"})
        assert response.status_code == 400
        assert "not decided yet" in response.content.decode()
    assert RecordEntry.objects.filter(organisation=court).count() == size
    insult.refresh_from_db()
    assert insult.text == "Carol is a thief."
    assert "4 Elm Street" in RecordEntry.objects.get(pk=opened.pk).payload["description"]
