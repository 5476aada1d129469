"""Signing keys and signed checkpoints of each organisation's record.

The signing key of an organisation lives outside the database (``PARRHESIA_KEY_DIR``, by default
``PARRHESIA_DATA_DIR/keys``), so that someone who can only write the database cannot forge a
checkpoint. Several app servers share the directory (or a copy of it) as a configured secret.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection
from django.utils import timezone

from parrhesia.methods.record import checkpoint as notes
from parrhesia.methods.record import merkle
from parrhesia.record.models import Checkpoint, MerkleNode, RecordHead

if TYPE_CHECKING:
    from parrhesia.orgs.models import Organisation


class SigningKeyMissing(Exception):
    """The organisation's signing key is not in the key directory.

    Not a ``DomainError``: no user causes it, the operator must restore the key directory
    (the record's pages answer 503 saying so, the command line names the expected file).
    """


@dataclass(frozen=True)
class OrganisationSigner:
    origin: str
    signer_key: str
    verifier_key: str


def origin_of(organisation: Organisation) -> str:
    return f"{settings.PARRHESIA_SITE_NAME}/{organisation.slug}"


def key_path(organisation: Organisation) -> Path:
    """Where the organisation's signing key lives (its previous keys beside it, numbered)."""
    return Path(settings.PARRHESIA_KEY_DIR) / f"{organisation.slug}.key"


def signer_ensure(organisation: Organisation) -> OrganisationSigner:
    """The organisation's signer, created (mode 0600) on first use."""
    path = key_path(organisation)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        signer_key, _ = notes.generate_signer(origin_of(organisation))
        # Write a private temporary file, then link it into place: a reader never sees a
        # half-written key, and if another process got there first, its key wins.
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(signer_key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return signer_load(organisation)


def signer_load(organisation: Organisation) -> OrganisationSigner:
    path = key_path(organisation)
    try:
        signer_key = path.read_text().strip()
    except FileNotFoundError:
        raise SigningKeyMissing(
            f"the signing key of '{organisation.slug}' is missing: expected {path} "
            "(set PARRHESIA_KEY_DIR to the shared key directory)"
        ) from None
    return OrganisationSigner(
        origin=origin_of(organisation),
        signer_key=signer_key,
        verifier_key=notes.verifier_from_signer(signer_key),
    )


def nodes_fetch(
    organisation: Organisation, keys: list[tuple[int, int]]
) -> dict[tuple[int, int], bytes]:
    """The given perfect-subtree hashes ``(level, index) -> hash``, in one indexed query."""
    if not keys:
        return {}
    shift = MerkleNode.LEVEL_SHIFT
    positions = sorted({MerkleNode.position_of(level, index) for level, index in keys})
    # Plain SQL: this runs on every append and every proof (see record/services.py).
    marks = ", ".join(["%s"] * len(positions))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT position, hash FROM {MerkleNode._meta.db_table}"
            f" WHERE organisation_id = %s AND position IN ({marks})",
            [organisation.pk, *positions],
        )
        rows = cursor.fetchall()
    mask = (1 << shift) - 1
    return {(position >> shift, position & mask): bytes(digest) for position, digest in rows}


def root_at(organisation: Organisation, size: int) -> bytes:
    return merkle.root_from_nodes(size, nodes_fetch(organisation, merkle.needed_for_root(size)))


def checkpoint_sign(organisation: Organisation) -> Checkpoint | None:
    """The checkpoint over the whole record, signed now unless the newest one already covers it.

    After a key rotation the newest checkpoint is re-signed with the current key, so that an
    export always ends with a checkpoint signed by the key in its header.
    """
    size = (
        RecordHead.objects.filter(organisation=organisation).values_list("size", flat=True).first()
    )
    if not size:
        return None
    signer = signer_load(organisation)
    latest = Checkpoint.objects.filter(organisation=organisation).order_by("-size").first()
    if latest is not None and latest.size >= size:
        if _signed_by(latest.note, signer.verifier_key):
            return latest
        latest.note = notes.sign_checkpoint(
            signer.origin, latest.size, bytes(latest.root_hash), signer.signer_key
        )
        latest.signed_at = timezone.now()
        latest.save(update_fields=["note", "signed_at"])
        return latest
    root = root_at(organisation, size)
    note = notes.sign_checkpoint(signer.origin, size, root, signer.signer_key)
    Checkpoint.objects.bulk_create(
        [
            Checkpoint(
                organisation=organisation,
                size=size,
                root_hash=root,
                note=note,
                signed_at=timezone.now(),
            )
        ],
        ignore_conflicts=True,
    )
    return Checkpoint.objects.filter(organisation=organisation).order_by("-size").first()


def _signed_by(note: str, verifier_key: str) -> bool:
    try:
        notes.open_checkpoint(note, verifier_key)
    except notes.CheckpointError:
        return False
    return True


def checkpoint_latest(organisation: Organisation) -> Checkpoint | None:
    """The newest checkpoint, signing one first if writes happened since the last."""
    return checkpoint_sign(organisation)
