"""The record as members meet it: the timeline, its filters, proofs they can check, downloads."""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile

import pytest
from django.urls import reverse

from parrhesia.methods.record import merkle
from parrhesia.methods.record.checkpoint import open_checkpoint
from parrhesia.methods.record.verify import verify_export
from parrhesia.orgs import services
from parrhesia.orgs.models import Membership, Visibility
from parrhesia.record.models import RecordEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, carol, riverside):
    client.force_login(carol)
    return client


def url(name: str, **kwargs) -> str:
    return reverse(f"record:{name}", kwargs={"slug": "riverside", **kwargs})


def b64(text: str) -> bytes:
    return base64.b64decode(text)


def test_the_timeline_shows_every_foundation_action(member_client, riverside, alice, bob, erin):
    riverside.visibility = Visibility.PUBLIC
    riverside.save()
    request = services.join_request_create(user=erin, organisation=riverside, message="Block C")
    services.join_request_refuse(user=bob, join_request=request, reason="Not a tenant")
    page = member_client.get(url("page")).content.decode()
    for action in (
        "organisation.created",
        "membership.founded",
        "conduct_code.adopted",
        "invitation.created",
        "membership.joined",
        "membership.role_changed",
        "membership.join_requested",
        "membership.join_request_refused",
    ):
        assert action in page
    assert "Not a tenant" in page


def shown(client, **query) -> set[str]:
    page = client.get(url("page"), query).content.decode()
    return set(re.findall(r'<code class="action">([^<]+)</code>', page))


def test_the_timeline_filters_by_action_family_actor_and_subject(member_client, riverside, alice):
    alice_id = Membership.objects.get(organisation=riverside, user=alice).pk
    assert shown(member_client, action="invitation") == {"invitation.created"}
    assert shown(member_client, action="membership.joined") == {"membership.joined"}
    assert shown(member_client, actor=alice_id) == {
        "membership.founded",
        "conduct_code.adopted",
        "invitation.created",
        "membership.role_changed",
    }
    assert shown(member_client, subject_kind="conduct_code") == {"conduct_code.adopted"}
    assert shown(member_client, since="2000-01-01", until="2000-01-02") == set()
    assert len(shown(member_client)) == 6


def test_bad_filters_are_ignored_with_a_message_not_a_crash(member_client):
    response = member_client.get(url("page"), {"since": "yesterday", "actor": "x"})
    assert response.status_code == 200


def test_the_checkpoint_is_signed_by_the_organisations_key(member_client, riverside):
    body = member_client.get(url("api_checkpoint")).json()
    checkpoint = open_checkpoint(body["note"], body["verifier_key"])
    assert checkpoint.size == RecordEntry.objects.filter(organisation=riverside).count()
    assert checkpoint.origin.endswith("/riverside")
    note = member_client.get(url("api_checkpoint"), {"format": "note"})
    assert note.content.decode() == body["note"]


def test_inclusion_proofs_verify_against_the_checkpoint(member_client, riverside):
    checkpoint = member_client.get(url("api_checkpoint")).json()
    size = checkpoint["size"]
    for entry in RecordEntry.objects.filter(organisation=riverside):
        proof = member_client.get(url("api_inclusion"), {"index": entry.seq, "size": size}).json()
        merkle.verify_inclusion(
            merkle.leaf_hash(bytes(entry.canonical)),
            entry.seq,
            size,
            [b64(h) for h in proof["proof"]],
            b64(checkpoint["root"]),
        )


def test_consistency_proofs_verify_between_any_two_sizes(member_client, riverside):
    size = RecordEntry.objects.filter(organisation=riverside).count()
    for old in range(1, size + 1):
        proof = member_client.get(url("api_consistency"), {"old": old, "new": size}).json()
        merkle.verify_consistency(
            old,
            size,
            b64(proof["old_root"]),
            b64(proof["new_root"]),
            [b64(h) for h in proof["proof"]],
        )


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        ("api_inclusion", {"index": "0"}, "'size' is required"),
        ("api_inclusion", {"index": "a", "size": "1"}, "whole number"),
        ("api_inclusion", {"index": "5", "size": "2"}, "index must be"),
        ("api_inclusion", {"index": "0", "size": "99999"}, "size must be"),
        ("api_consistency", {"old": "3", "new": "2"}, "old must be"),
        ("api_entries", {"start": "5", "end": "1"}, "start <= end"),
    ],
)
def test_bad_proof_requests_get_a_clear_400(member_client, name, query, message):
    response = member_client.get(url(name), query)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_entries_are_served_as_their_exact_bytes(member_client, riverside):
    body = member_client.get(url("api_entries"), {"start": 0, "end": 3}).json()
    stored = RecordEntry.objects.filter(organisation=riverside, seq__lt=3).order_by("seq")
    assert [e.encode() for e in body["entries"]] == [bytes(e.canonical) for e in stored]


def test_the_downloaded_record_verifies_offline(member_client, tmp_path, riverside):
    response = member_client.get(url("export"))
    path = tmp_path / "riverside.jsonl"
    path.write_bytes(b"".join(response.streaming_content))
    summary = verify_export(str(path))
    assert summary.organisation == "riverside"
    assert summary.size == RecordEntry.objects.filter(organisation=riverside).count()


def test_the_zip_holds_the_record_and_what_the_member_may_see(member_client, tmp_path):
    response = member_client.get(url("download"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert {
        "README.txt",
        "record.jsonl",
        "organisation.json",
        "members.csv",
        "conduct_codes.json",
    } <= set(archive.namelist())
    (tmp_path / "r.jsonl").write_bytes(archive.read("record.jsonl"))
    assert verify_export(str(tmp_path / "r.jsonl")).organisation == "riverside"
    assert json.loads(archive.read("organisation.json"))["slug"] == "riverside"
    assert "Carol Member" in archive.read("members.csv").decode()


def test_the_entry_page_shows_its_bytes_and_proof(member_client, riverside):
    page = member_client.get(url("entry", seq=2)).content.decode()
    assert "conduct_code.adopted" in page and "Inclusion proof" in page
    assert member_client.get(url("entry", seq=9999)).status_code == 404


def test_private_facts_never_enter_the_record(riverside, alice, erin):
    invitation = services.invitation_create(user=alice, organisation=riverside)
    services.invitation_accept(user=erin, token=invitation.token)
    everything = b"\n".join(bytes(e.canonical) for e in RecordEntry.objects.all())
    for person in (alice, erin):
        assert person.email.encode() not in everything
    assert invitation.token.encode() not in everything


def test_the_signing_key_is_not_in_the_database(riverside, settings):
    key_file = settings.PARRHESIA_KEY_DIR / "riverside.key"
    secret = key_file.read_text().strip().split("+", 4)[4].encode()  # base64 may hold "+"
    assert len(secret) == 44
    for entry in RecordEntry.objects.all():
        assert secret not in bytes(entry.canonical)
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_the_activity_chart_counts_this_weeks_entries(member_client, riverside):
    from parrhesia.record.selectors import activity_by_week

    bars = activity_by_week(riverside)
    assert len(bars) == 12
    assert bars[-1].count == RecordEntry.objects.filter(organisation=riverside).count()
    assert bars[-1].height == 100 and bars[0].height == 0
    page = member_client.get(url("page")).content.decode()
    assert 'role="img"' in page and "Entries on the record per week" in page


def test_a_server_without_the_signing_key_says_what_to_restore(member_client, riverside, settings):
    key = settings.PARRHESIA_KEY_DIR / "riverside.key"
    hidden = key.with_name("riverside.key.away")
    key.rename(hidden)
    try:
        page = member_client.get(url("page"))
        assert page.status_code == 503
        assert "PARRHESIA_KEY_DIR" in page.content.decode()
        api = member_client.get(url("api_checkpoint"))
        assert api.status_code == 503 and "signing key" in api.json()["error"]
    finally:
        hidden.rename(key)
