"""The one way to write to an organisation's public record.

Every service that changes state calls :func:`record_append` inside its own transaction, so the
action and its entry commit together or not at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from parrhesia.methods.record import canonical, merkle
from parrhesia.record.checkpoints import checkpoint_after_commit, nodes_fetch
from parrhesia.record.models import MerkleNode, RecordEntry, RecordHead

if TYPE_CHECKING:
    from parrhesia.orgs.models import Membership, Organisation

Subject = tuple[str, Any]


def record_append(
    *,
    organisation: Organisation,
    actor: Membership | None,
    action: str,
    subject: Subject,
    payload: dict[str, Any] | None = None,
) -> RecordEntry:
    """Append one entry to the organisation's record, in the caller's transaction."""
    with transaction.atomic():
        head, _ = RecordHead.objects.select_for_update().get_or_create(organisation=organisation)
        seq = head.size
        now = timezone.now()
        subject_kind, subject_id = subject
        entry_bytes = canonical.entry_bytes(
            seq=seq,
            time=now,
            actor=actor.pk if actor is not None else None,
            action=action,
            subject_kind=subject_kind,
            subject_id=subject_id,
            payload=payload or {},
        )
        leaf = merkle.leaf_hash(entry_bytes)
        entry = RecordEntry.objects.create(
            organisation=organisation,
            seq=seq,
            time=now,
            actor=actor.pk if actor is not None else None,
            action=action,
            subject_kind=subject_kind,
            subject_id="" if subject_id is None else str(subject_id),
            payload=payload or {},
            canonical=entry_bytes,
            leaf_hash=leaf,
        )
        _store_nodes(organisation, seq, leaf)
        head.size = seq + 1
        queue_checkpoint = not head.checkpoint_queued
        head.checkpoint_queued = True
        head.save(update_fields=["size", "checkpoint_queued"])
        if queue_checkpoint:
            _schedule_checkpoint(organisation)
    return entry


def _store_nodes(organisation: Organisation, index: int, leaf: bytes) -> None:
    needed = merkle.needed_for_append(index)
    known = nodes_fetch(organisation, needed)
    new_nodes = merkle.nodes_to_store_on_append(index, leaf, known)
    MerkleNode.objects.bulk_create(
        MerkleNode(organisation=organisation, level=level, index=position, hash=digest)
        for level, position, digest in new_nodes
    )


def _schedule_checkpoint(organisation: Organisation) -> None:
    """Have a checkpoint signed once the write batch has committed (one task per batch)."""
    checkpoint_after_commit(organisation)
