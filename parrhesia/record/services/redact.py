"""Erasing sealed values from the record without breaking it (docs/record.md §6).

Free text and personal data enter the log as salted commitments (``methods.record.sealed``);
the values and their salts are kept beside the leaf. Erasing throws away a value and its salt:
the leaf — and so every root, checkpoint and proof — stays as it was, the export marks the
value as erased by the ``record.redacted`` entry that did it, and the record still verifies.

Who erases: the tribunal, when a verdict finds that something published someone's personal
data; stewards, on a lawful erasure request (each on the record, in the caller's transaction).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import connection

from parrhesia.methods.record.sealed import REDACTED, Sealed, pointer_set
from parrhesia.record.actions import Action
from parrhesia.record.models import RecordEntry
from parrhesia.record.services.append import record_append

if TYPE_CHECKING:
    from parrhesia.orgs.models import Membership, Organisation

#: Why a value was erased (the ``grounds`` of a ``record.redacted`` entry).
GROUNDS = ("verdict", "erasure_request")

Pointer = tuple[int, str]


def sealed_values(
    organisation: Organisation,
    *,
    seqs: Iterable[int] = (),
    subjects: Iterable[tuple[str, Any]] = (),
) -> list[Pointer]:
    """``(seq, pointer)`` of every value still sealed (not yet erased) in the given entries and
    in every entry about the given subjects, in record order."""
    wanted = RecordEntry.objects.none()
    seqs = list(seqs)
    if seqs:
        wanted = wanted | RecordEntry.objects.filter(organisation=organisation, seq__in=seqs)
    for kind, subject_id in subjects:
        wanted = wanted | RecordEntry.objects.filter(
            organisation=organisation, subject_kind=kind, subject_id=str(subject_id)
        )
    found = []
    for seq, openings in wanted.order_by("seq").values_list("seq", "openings"):
        found += [(seq, p) for p, stored in sorted(openings.items()) if "salt" in stored]
    return found


def record_redact(
    *,
    organisation: Organisation,
    actor: Membership | None,
    erased: Iterable[Pointer],
    grounds: str,
    case: int | None = None,
    reason: str = "",
) -> RecordEntry | None:
    """Erase sealed values, in the caller's transaction; the ``record.redacted`` entry, or None
    when none of them was still disclosed (nothing is written).

    ``reason`` (a steward's account of the request) is itself sealed, so that it can be erased.
    """
    if grounds not in GROUNDS:
        raise ValueError(f"grounds must be one of {GROUNDS}")
    if not connection.in_atomic_block:
        raise RuntimeError("record_redact must run inside the caller's transaction")
    wanted: dict[int, set[str]] = {}
    for seq, pointer in erased:
        wanted.setdefault(seq, set()).add(pointer)
    rows = {
        row.seq: row
        for row in RecordEntry.objects.select_for_update()
        .filter(organisation=organisation, seq__in=wanted)
        .order_by("seq")
    }
    targets = sorted(
        (seq, pointer)
        for seq, pointers in wanted.items()
        if seq in rows
        for pointer in pointers
        if "salt" in rows[seq].openings.get(pointer, {})
    )
    if not targets:
        return None
    payload: dict[str, Any] = {
        "erased": [{"seq": seq, "pointer": pointer} for seq, pointer in targets],
        "grounds": grounds,
        "case": case,
    }
    if reason.strip():
        payload["reason"] = Sealed(reason.strip())
    entry = record_append(
        organisation=organisation,
        actor=actor,
        action=Action.REDACTED,
        subject=("case", case) if case is not None else ("record", None),
        payload=payload,
    )
    for seq, pointer in targets:
        row = rows[seq]
        row.openings[pointer] = {"redacted": {"by": entry.seq}}
        document = {"payload": row.payload}
        pointer_set(document, pointer, {REDACTED: entry.seq})
        row.payload = document["payload"]
    RecordEntry.objects.bulk_update(list(rows.values()), ["openings", "payload"])
    return entry
