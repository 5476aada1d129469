"""The one way to write to an organisation's public record.

Every service that changes state calls :func:`record_append` inside its own transaction, so the
action and its entry commit together or not at all; called outside a transaction it refuses.

The append path is the hottest write of the site (every action goes through it), so it talks
to the database with five plain SQL statements instead of the ORM: the ORM's per-statement
overhead was most of an append's cost (docs/benchmarks.md). The tables are the models' own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from parrhesia.kernel.deferred import task_after_commit
from parrhesia.methods.record import canonical, merkle
from parrhesia.methods.record.sealed import seal_payload
from parrhesia.record.checkpoints import nodes_fetch
from parrhesia.record.models import MerkleNode, RecordEntry, RecordHead
from parrhesia.record.tasks import checkpoint_sign_task

if TYPE_CHECKING:
    from parrhesia.orgs.models import Membership, Organisation

Subject = tuple[str, Any]

_HEAD = RecordHead._meta.db_table
_ENTRY = RecordEntry._meta.db_table
_NODE = MerkleNode._meta.db_table


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
    """Append one entry to the organisation's record, in the caller's transaction (a
    :class:`RuntimeError` outside one)."""
    [entry] = record_append_many(
        organisation=organisation, items=[Appendable(actor, action, subject, payload or {})]
    )
    return entry


def record_append_many(*, organisation: Organisation, items: list[Appendable]) -> list[RecordEntry]:
    """Append entries in order, in the caller's transaction: O(log n) reads, three writes.

    The head row's lock serialises appenders, so seq never has a gap or a duplicate. The
    returned entries carry their seq, time and canonical bytes (not their database id).

    Outside a transaction it raises :class:`RuntimeError` and writes nothing: an entry committed
    on its own could outlive the change it records, or record one that rolled back.
    """
    if not connection.in_atomic_block:
        raise RuntimeError(
            "record_append must run inside the transaction of the change it records "
            "(wrap the service's writes in transaction.atomic())"
        )
    # Inside a service's transaction no savepoint is needed: a failure here aborts the action.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        size, queued = _head_lock(cursor, organisation)
        # One entry needs only the left siblings of its leaf; a batch, the whole compact range.
        needed = merkle.needed_for_append(size) if len(items) == 1 else merkle.needed_for_root(size)
        known = nodes_fetch(organisation, needed)
        now = timezone.now()
        entries = [
            _entry(organisation, size + offset, now, item) for offset, item in enumerate(items)
        ]
        nodes: list[tuple[int, int, bytes]] = []
        for entry in entries:
            leaf = bytes(entry.leaf_hash)
            for level, index, digest in merkle.nodes_to_store_on_append(entry.seq, leaf, known):
                known[(level, index)] = digest
                nodes.append((organisation.pk, MerkleNode.position_of(level, index), digest))
        _insert(cursor, organisation, entries, nodes, now)
        cursor.execute(
            f"UPDATE {_HEAD} SET size = %s, checkpoint_queued = %s WHERE organisation_id = %s",
            [size + len(items), True, organisation.pk],
        )
        if not queued:
            # A worker signs the batch once it commits. Readers (the record page, the API,
            # exports) also sign on demand, so a checkpoint is never stale for someone who
            # looks, even with no worker running.
            task_after_commit(checkpoint_sign_task, organisation.pk)
    return entries


def _head_lock(cursor: Any, organisation: Organisation) -> tuple[int, bool]:
    """The record's size, with the head row locked (PostgreSQL; SQLite's IMMEDIATE transaction
    already holds the database's write lock)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    query = f"SELECT size, checkpoint_queued FROM {_HEAD} WHERE organisation_id = %s{lock}"
    cursor.execute(query, [organisation.pk])
    row = cursor.fetchone()
    if row is None:
        RecordHead.objects.create(organisation=organisation)
        cursor.execute(query, [organisation.pk])
        row = cursor.fetchone()
    return int(row[0]), bool(row[1])


def _insert(
    cursor: Any,
    organisation: Organisation,
    entries: list[RecordEntry],
    nodes: list[tuple[int, int, bytes]],
    now: datetime,
) -> None:
    operations = connection.ops
    time_value = operations.adapt_datetimefield_value(now)
    placeholder = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    cursor.executemany(
        f"INSERT INTO {_ENTRY} (organisation_id, seq, time, actor, action, subject_kind,"
        f" subject_id, payload, canonical, leaf_hash, openings)"
        f" VALUES (%s, %s, %s, %s, %s, %s, %s, {placeholder}, %s, %s, {placeholder})",
        [
            (
                organisation.pk,
                entry.seq,
                time_value,
                entry.actor,
                entry.action,
                entry.subject_kind,
                entry.subject_id,
                DjangoJSONEncoder().encode(entry.payload),
                bytes(entry.canonical),
                bytes(entry.leaf_hash),
                DjangoJSONEncoder().encode(entry.openings),
            )
            for entry in entries
        ],
    )
    cursor.executemany(
        f"INSERT INTO {_NODE} (organisation_id, position, hash) VALUES (%s, %s, %s)", nodes
    )


def _entry(organisation: Organisation, seq: int, now: Any, item: Appendable) -> RecordEntry:
    subject_kind, subject_id = item.subject
    actor = item.actor.pk if item.actor is not None else None
    # Sealed values (free text, personal data) enter the leaf as salted commitments; the values
    # and their salts stay beside it, so that an erasure can throw them away (docs/record.md §6).
    leaf_payload, payload, salts = seal_payload(item.payload)
    data = canonical.entry_bytes(
        seq=seq,
        time=now,
        actor=actor,
        action=str(item.action),
        subject_kind=subject_kind,
        subject_id=subject_id,
        payload=leaf_payload,
    )
    return RecordEntry(
        organisation=organisation,
        seq=seq,
        time=now,
        actor=actor,
        action=str(item.action),
        subject_kind=subject_kind,
        subject_id="" if subject_id is None else str(subject_id),
        payload=payload,
        canonical=data,
        leaf_hash=merkle.leaf_hash(data),
        openings={pointer: {"salt": salt} for pointer, salt in salts.items()},
    )
