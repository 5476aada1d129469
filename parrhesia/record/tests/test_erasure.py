"""Sealed values and their erasure on the site: the text is on the pages and in the export until
it is erased; then it is gone from the database row, the pages and the export, and the record
still verifies with the same checkpoint (docs/record.md §6)."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from parrhesia.methods.record.export import iter_entries
from parrhesia.methods.record.sealed import Sealed
from parrhesia.methods.record.verify import verify_export
from parrhesia.orgs import services as orgs
from parrhesia.record.checkpoints import checkpoint_sign
from parrhesia.record.exports import record_export_write
from parrhesia.record.models import RecordEntry
from parrhesia.record.services import record_append, record_redact, sealed_values

pytestmark = pytest.mark.django_db

SECRET = "She lives at 12 Rose Lane, flat 3"


def _export(organisation, path):
    with open(path, "wb") as handle:
        record_export_write(organisation, handle)
    return path.read_bytes()


@pytest.fixture
def sealed(alice):
    organisation = orgs.organisation_create(user=alice, name="Sealing", slug="sealing")
    with transaction.atomic():
        entry = record_append(
            organisation=organisation,
            actor=None,
            action="case.opened",
            subject=("case", 1),
            payload={"description": Sealed(SECRET), "rules": [2]},
        )
    return organisation, entry


def test_a_sealed_value_is_committed_in_the_leaf_and_disclosed_beside_it(sealed, tmp_path):
    organisation, entry = sealed
    row = RecordEntry.objects.get(organisation=organisation, seq=entry.seq)
    assert SECRET.encode() not in bytes(row.canonical)
    assert json.loads(bytes(row.canonical))["payload"]["description"].keys() == {"$commitment"}
    assert row.payload["description"] == SECRET  # the pages read the value
    data = _export(organisation, tmp_path / "a.jsonl")
    assert json.loads(data.splitlines()[0])["format"] == "parrhesia-record/2"
    assert verify_export(str(tmp_path / "a.jsonl")).size == entry.seq + 1
    opened = [e for e in iter_entries(str(tmp_path / "a.jsonl")) if e.seq == entry.seq]
    assert opened[0].payload == {"description": SECRET, "rules": [2]}


def test_an_erased_value_is_gone_everywhere_and_the_record_still_verifies(sealed, alice, tmp_path):
    organisation, entry = sealed
    before = _export(organisation, tmp_path / "before.jsonl")
    steward = organisation.memberships.get(user=alice)
    assert sealed_values(organisation, subjects=[("case", 1)]) == [
        (entry.seq, "/payload/description")
    ]

    with transaction.atomic():
        redaction = record_redact(
            organisation=organisation,
            actor=steward,
            erased=[(entry.seq, "/payload/description")],
            grounds="erasure_request",
            reason="Lawful request of the person named",
        )

    assert redaction.action == "record.redacted"
    assert redaction.payload["erased"] == [{"seq": entry.seq, "pointer": "/payload/description"}]
    row = RecordEntry.objects.get(organisation=organisation, seq=entry.seq)
    assert row.payload == {"description": {"$redacted": redaction.seq}, "rules": [2]}
    assert row.openings == {"/payload/description": {"redacted": {"by": redaction.seq}}}
    after = _export(organisation, tmp_path / "after.jsonl")
    assert SECRET.encode() not in after
    summary = verify_export(str(tmp_path / "after.jsonl"), previous=str(tmp_path / "before.jsonl"))
    assert summary.size == redaction.seq + 1
    # the erased entry's line kept its leaf: the earlier export's lines are a prefix, bar openings
    assert (
        before.splitlines()[1 + entry.seq].split(b',"openings"')[0]
        == (after.splitlines()[1 + entry.seq].split(b',"openings"')[0])
    )
    assert sealed_values(organisation, subjects=[("case", 1)]) == []
    checkpoint_sign(organisation)


def test_nothing_left_to_erase_writes_nothing(sealed):
    organisation, entry = sealed
    size = RecordEntry.objects.filter(organisation=organisation).count()
    with transaction.atomic():
        assert (
            record_redact(
                organisation=organisation,
                actor=None,
                erased=[(entry.seq, "/payload/rules"), (999, "/payload/x")],
                grounds="verdict",
            )
            is None
        )
    assert RecordEntry.objects.filter(organisation=organisation).count() == size


@pytest.mark.django_db(transaction=True)
def test_erasing_outside_a_transaction_is_refused(sealed):
    organisation, entry = sealed
    with pytest.raises(RuntimeError, match="transaction"):
        record_redact(
            organisation=organisation,
            actor=None,
            erased=[(entry.seq, "/payload/description")],
            grounds="verdict",
        )
    row = RecordEntry.objects.get(organisation=organisation, seq=entry.seq)
    assert row.payload["description"] == SECRET


def test_the_pages_show_a_sealed_value_until_it_is_erased(sealed, alice, client):
    organisation, entry = sealed
    client.force_login(alice)
    timeline = client.get(f"/o/{organisation.slug}/record/").content.decode()
    assert SECRET in timeline
    page = client.get(f"/o/{organisation.slug}/record/entries/{entry.seq}/").content.decode()
    assert SECRET in page and "/payload/description" in page  # the value and its salt, to check
    with transaction.atomic():
        redaction = record_redact(
            organisation=organisation,
            actor=None,
            erased=[(entry.seq, "/payload/description")],
            grounds="verdict",
            case=1,
        )
    for url in (
        f"/o/{organisation.slug}/record/",
        f"/o/{organisation.slug}/record/entries/{entry.seq}/",
        f"/o/{organisation.slug}/record/?action=case.opened",
    ):
        html = client.get(url).content.decode()
        assert SECRET not in html
        assert f"erased from the record by entry #{redaction.seq}" in html


def test_a_steward_is_offered_the_erasure_of_an_entrys_sealed_values(sealed, alice, client):
    organisation, entry = sealed
    client.force_login(alice)  # the founder: an admin
    page = client.get(f"/o/{organisation.slug}/record/entries/{entry.seq}/").content.decode()
    link = f"/o/{organisation.slug}/erasure/{entry.seq}/"
    assert link in page
    assert client.get(link).status_code == 200
    client.logout()
    assert (
        link
        not in client.get(f"/o/{organisation.slug}/record/entries/{entry.seq}/").content.decode()
    )


def test_an_erasure_committing_during_an_export_leaves_it_verifiable(sealed, tmp_path, monkeypatch):
    """The export's checkpoint is read first; an erasure that commits before its entries are
    read marks a value erased by an entry beyond that checkpoint: the export takes that entry
    in (review of issue 13: it was published and then failed verification)."""
    from parrhesia.record import exports

    organisation, entry = sealed
    real_sign = exports.checkpoint_sign

    def sign_then_erase(org):
        checkpoint = real_sign(org)
        with transaction.atomic():
            record_redact(
                organisation=org,
                actor=None,
                erased=[(entry.seq, "/payload/description")],
                grounds="verdict",
                case=1,
            )
        return checkpoint

    monkeypatch.setattr(exports, "checkpoint_sign", sign_then_erase)
    data = _export(organisation, tmp_path / "racing.jsonl")
    assert SECRET.encode() not in data
    summary = verify_export(str(tmp_path / "racing.jsonl"))
    redaction = RecordEntry.objects.get(organisation=organisation, action="record.redacted")
    assert summary.size == redaction.seq + 1
