"""The one way to write to an organisation's public record.

Every service that changes state calls :func:`record_append` inside its own transaction, so the
action and its entry commit together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from parrhesia.methods.record import canonical, merkle
from parrhesia.record.checkpoints import checkpoint_after_commit, nodes_fetch
from parrhesia.record.models import MerkleNode, RecordEntry, RecordHead

if TYPE_CHECKING:
    from parrhesia.orgs.models import Membership, Organisation

Subject = tuple[str, Any]


@dataclass(frozen=True)
class Appendable:
    """One entry to append: who did what to which subject, with its public facts."""

    actor: Membership | None
    action: str
    subject: Subject
    payload: dict[str, Any]


def record_append(
    *,
    organisation: Organisation,
    actor: Membership | None,
    action: str,
    subject: Subject,
    payload: dict[str, Any] | None = None,
) -> RecordEntry:
    """Append one entry to the organisation's record, in the caller's transaction."""
    [entry] = record_append_many(
        organisation=organisation, items=[Appendable(actor, action, subject, payload or {})]
    )
    return entry


def record_append_many(*, organisation: Organisation, items: list[Appendable]) -> list[RecordEntry]:
    """Append entries in order, in the caller's transaction: O(log n) reads, three writes.

    The head row's lock serialises appenders, so seq never has a gap or a duplicate.
    """
    with transaction.atomic():
        head = RecordHead.objects.select_for_update().filter(organisation=organisation).first()
        if head is None:
            head = RecordHead.objects.create(organisation=organisation)
        size = head.size
        known = nodes_fetch(organisation, merkle.needed_for_root(size)) if size else {}
        now = timezone.now()
        entries, nodes = [], []
        for offset, item in enumerate(items):
            entry = _entry(organisation, size + offset, now, item)
            for level, index, digest in merkle.nodes_to_store_on_append(
                entry.seq, bytes(entry.leaf_hash), known
            ):
                known[(level, index)] = digest
                nodes.append(
                    MerkleNode(
                        organisation=organisation,
                        position=MerkleNode.position_of(level, index),
                        hash=digest,
                    )
                )
            entries.append(entry)
        RecordEntry.objects.bulk_create(entries)
        MerkleNode.objects.bulk_create(nodes)
        RecordHead.objects.filter(organisation=organisation).update(
            size=size + len(items), checkpoint_queued=True
        )
        if not head.checkpoint_queued:
            checkpoint_after_commit(organisation)
    return entries


def _entry(organisation: Organisation, seq: int, now: Any, item: Appendable) -> RecordEntry:
    subject_kind, subject_id = item.subject
    actor = item.actor.pk if item.actor is not None else None
    data = canonical.entry_bytes(
        seq=seq,
        time=now,
        actor=actor,
        action=item.action,
        subject_kind=subject_kind,
        subject_id=subject_id,
        payload=item.payload,
    )
    return RecordEntry(
        organisation=organisation,
        seq=seq,
        time=now,
        actor=actor,
        action=item.action,
        subject_kind=subject_kind,
        subject_id="" if subject_id is None else str(subject_id),
        payload=item.payload,
        canonical=data,
        leaf_hash=merkle.leaf_hash(data),
    )
