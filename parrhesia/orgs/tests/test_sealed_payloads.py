"""Names and what people write about joining, leaving and roles enter the record sealed (issue 13,
finding 7): the leaf holds a salted commitment, the pages and the export the text, until an
erasure takes it out of the database, the pages and the export, and the record still verifies."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.urls import reverse

from parrhesia.methods.record.export import iter_entries
from parrhesia.methods.record.verify import verify_export
from parrhesia.orgs import services
from parrhesia.orgs.models import Membership, Role, Visibility
from parrhesia.record.exports import record_export_write
from parrhesia.record.models import RecordEntry
from parrhesia.record.services import record_redact, sealed_values

pytestmark = pytest.mark.django_db

NAMES = ("Carol Member", "Dave Elsewhere", "Erin Outsider")


def _secret(what: str) -> str:
    return f"{what}: Carol lives at 12 Rose Lane, flat 3"


@pytest.fixture
def written(riverside, alice, bob, carol, dave, erin):
    """An organisation that publishes its member list and join messages, and every kind of text
    or name its record holds: ``(action, key, secret)`` triples, and the subjects."""
    services.organisation_update(
        user=alice, organisation=riverside, name=riverside.name, description="",
        visibility=Visibility.PUBLIC, member_list_public=True, join_messages_public=True,
        reason=_secret("settings"),
    )  # fmt: skip
    riverside.refresh_from_db()
    invitation = services.invitation_create(
        user=bob, organisation=riverside, note=_secret("invitation")
    )
    services.invitation_accept(user=dave, token=invitation.token)
    request = services.join_request_create(
        user=erin, organisation=riverside, message=_secret("message")
    )
    services.join_request_refuse(user=bob, join_request=request, reason=_secret("refused"))
    code = services.conduct_code_amend(
        user=alice, organisation=riverside, rules=["Be kind."], reason=_secret("code")
    )
    carol_membership = Membership.objects.get(organisation=riverside, user=carol)
    services.membership_role_change(
        user=alice, membership=carol_membership, role=Role.STEWARD, reason=_secret("role")
    )
    services.membership_leave(user=carol, organisation=riverside, reason=_secret("left"))
    texts = [
        ("organisation.settings_changed", "reason", _secret("settings")),
        ("invitation.created", "note", _secret("invitation")),
        ("membership.joined", "display_name", "Dave Elsewhere"),
        ("membership.join_requested", "requester", "Erin Outsider"),
        ("membership.join_requested", "message", _secret("message")),
        ("membership.join_request_refused", "requester", "Erin Outsider"),
        ("membership.join_request_refused", "reason", _secret("refused")),
        ("conduct_code.amended", "reason", _secret("code")),
        ("membership.role_changed", "display_name", "Carol Member"),
        ("membership.role_changed", "reason", _secret("role")),
        ("membership.left", "display_name", "Carol Member"),
        ("membership.left", "reason", _secret("left")),
    ]
    subjects = [
        ("organisation", riverside.pk), ("invitation", invitation.pk),
        ("join_request", request.pk), ("conduct_code", code.version),
        ("membership", carol_membership.pk),
        ("membership", Membership.objects.get(organisation=riverside, user=dave).pk),
    ]  # fmt: skip
    return texts, subjects


def test_names_and_texts_are_committed_in_the_leaf_and_read_beside_it(riverside, written):
    texts, _ = written
    for action, key, text in texts:
        entry = RecordEntry.objects.filter(organisation=riverside, action=action).last()
        assert entry.payload[key] == text, (action, key)
        leaf = bytes(entry.canonical)
        assert text.encode() not in leaf, (action, key)
        assert json.loads(leaf)["payload"][key].keys() == {"$commitment"}


def test_erased_names_and_texts_leave_the_record_and_it_still_verifies(
    riverside, written, alice, bob, client, tmp_path
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
    data = path.read_bytes()
    assert b"Rose Lane" not in data
    assert [name for name in NAMES if name.encode() in data] == []
    assert not RecordEntry.objects.filter(payload__icontains="Rose Lane").exists()
    assert verify_export(str(path)).size == redaction.seq + 1
    left = RecordEntry.objects.get(organisation=riverside, action="membership.left")
    opened = {e.seq: e.payload for e in iter_entries(str(path))}
    assert opened[left.seq]["display_name"] == {"$redacted": redaction.seq}
    for person in (None, bob):  # a visitor of the public organisation, a steward
        if person is not None:
            client.force_login(person)
        page = client.get(reverse("record:page", args=["riverside"]), {"action": "membership"})
        assert page.status_code == 200 and "Rose Lane" not in page.content.decode()
        one = client.get(reverse("record:entry", args=["riverside", left.seq]))
        assert one.status_code == 200 and "Rose Lane" not in one.content.decode()
