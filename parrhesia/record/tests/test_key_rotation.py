"""Rotating a signing key: the old key endorses the new one on the record, nothing is lost,
and the export still verifies, now under the new key."""

from __future__ import annotations

import pytest

from parrhesia.methods.record.verify import verify_export
from parrhesia.orgs import services as orgs
from parrhesia.record.checkpoints import checkpoint_latest, signer_load
from parrhesia.record.exports import record_export_write
from parrhesia.record.models import RecordEntry
from parrhesia.record.services import signing_key_rotate

pytestmark = pytest.mark.django_db


def test_a_rotated_key_is_endorsed_on_the_record_and_the_export_verifies(alice, settings, tmp_path):
    settings.PARRHESIA_KEY_DIR = tmp_path / "keys"
    organisation = orgs.organisation_create(user=alice, name="Rotating", slug="rotating")
    before = signer_load(organisation).verifier_key

    after = signing_key_rotate(organisation)

    assert after != before and signer_load(organisation).verifier_key == after
    assert (tmp_path / "keys" / "rotating.key.1").exists()  # the old key is kept
    entry = RecordEntry.objects.filter(organisation=organisation).order_by("-seq").first()
    assert entry.action == "record.key_rotated" and entry.subject_kind == "record"
    assert entry.payload["previous_verifier_key"] == before
    assert entry.payload["new_verifier_key"] == after
    assert checkpoint_latest(organisation).size == entry.seq + 1
    path = tmp_path / "export.jsonl"
    with open(path, "wb") as handle:
        record_export_write(organisation, handle)
    summary = verify_export(str(path), trusted_key=before)
    assert summary.verifier_key == after and summary.rotations == 1
