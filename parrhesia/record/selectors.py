"""Reads on the public record: filtered timelines, entries, proofs."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404

from parrhesia.methods.record import merkle
from parrhesia.record.checkpoints import nodes_fetch
from parrhesia.record.models import RecordEntry, RecordHead

if TYPE_CHECKING:
    from parrhesia.orgs.models import Organisation


class ProofRequestError(ValueError):
    """A proof was asked for sizes or indexes the record does not have; the message says which."""


def b64(data: bytes) -> str:
    return base64.b64encode(bytes(data)).decode("ascii")


def record_size(organisation: Organisation) -> int:
    return (
        RecordHead.objects.filter(organisation=organisation).values_list("size", flat=True).first()
        or 0
    )


@dataclass(frozen=True)
class TimelineFilter:
    action: str = ""
    actor: int | None = None
    subject_kind: str = ""
    subject_id: str = ""
    since: date | None = None
    until: date | None = None


def entries_filtered(organisation: Organisation, criteria: TimelineFilter) -> QuerySet[RecordEntry]:
    entries = RecordEntry.objects.filter(organisation=organisation).defer("canonical")
    if criteria.action:
        # "membership" matches every membership.* action; "membership.left" only that one.
        if "." in criteria.action:
            entries = entries.filter(action=criteria.action)
        else:
            entries = entries.filter(action__startswith=f"{criteria.action}.")
    if criteria.actor is not None:
        entries = entries.filter(actor=criteria.actor)
    if criteria.subject_kind:
        entries = entries.filter(subject_kind=criteria.subject_kind)
    if criteria.subject_id:
        entries = entries.filter(subject_id=criteria.subject_id)
    if criteria.since:
        entries = entries.filter(time__gte=_start_of(criteria.since))
    if criteria.until:
        entries = entries.filter(time__lt=_start_of(criteria.until) + timedelta(days=1))
    return entries.order_by("-seq")


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def actor_names(organisation: Organisation) -> dict[int, str]:
    """The public name of every member the record may name as actor, past members included."""
    members = organisation.memberships.select_related("user")
    return {m.pk: m.user.public_name for m in members}


def entry_at(organisation: Organisation, seq: int) -> RecordEntry:
    """The organisation's record entry number ``seq``; 404 if the record has none."""
    entry = RecordEntry.objects.filter(organisation=organisation, seq=seq).first()
    if entry is None:
        raise Http404
    return entry


def record_latest(organisation: Organisation, count: int) -> list[RecordEntry]:
    return list(
        RecordEntry.objects.filter(organisation=organisation)
        .only("seq", "time", "action")
        .order_by("-seq")[:count]
    )


@dataclass(frozen=True)
class WeekBar:
    """One bar of the activity chart: the entries of the week starting `start`."""

    start: date
    count: int
    x: int
    y: int
    height: int


CHART_HEIGHT = 100
BAR_STEP = 40


def activity_by_week(organisation: Organisation, weeks: int = 12) -> list[WeekBar]:
    """Entries per week over the last `weeks` weeks (Mondays), scaled for an SVG bar chart."""
    today = datetime.now(UTC).date()
    first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    per_day = (
        RecordEntry.objects.filter(organisation=organisation, time__gte=_start_of(first))
        .annotate(day=TruncDate("time"))
        .values("day")
        .annotate(count=Count("id"))
    )
    counts = [0] * weeks
    for row in per_day:
        counts[min(weeks - 1, (row["day"] - first).days // 7)] += row["count"]
    peak = max(counts) or 1
    bars = []
    for number, count in enumerate(counts):
        height = round(CHART_HEIGHT * count / peak)
        bars.append(
            WeekBar(
                start=first + timedelta(days=7 * number),
                count=count,
                x=number * BAR_STEP + 4,
                y=CHART_HEIGHT - height,
                height=height,
            )
        )
    return bars


def action_names(organisation: Organisation) -> list[str]:
    return list(
        RecordEntry.objects.filter(organisation=organisation)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )


def subject_kinds(organisation: Organisation) -> list[str]:
    return list(
        RecordEntry.objects.filter(organisation=organisation)
        .order_by("subject_kind")
        .values_list("subject_kind", flat=True)
        .distinct()
    )


def entries_range(organisation: Organisation, start: int, end: int) -> list[bytes]:
    """Canonical bytes of entries seq ∈ [start, end)."""
    return [
        bytes(data)
        for data in RecordEntry.objects.filter(
            organisation=organisation, seq__gte=start, seq__lt=end
        )
        .order_by("seq")
        .values_list("canonical", flat=True)
    ]


def inclusion(organisation: Organisation, index: int, size: int) -> dict[str, Any]:
    current = record_size(organisation)
    if not 0 < size <= current:
        raise ProofRequestError(f"size must be between 1 and the record's size, {current}")
    if not 0 <= index < size:
        raise ProofRequestError(f"index must be between 0 and size - 1 ({size - 1})")
    nodes = nodes_fetch(
        organisation,
        merkle.needed_for_inclusion(index, size) + merkle.needed_for_root(size) + [(0, index)],
    )
    return {
        "index": index,
        "size": size,
        "leaf_hash": b64(nodes[(0, index)]),
        "proof": [b64(h) for h in merkle.inclusion_proof(index, size, nodes)],
        "root": b64(merkle.root_from_nodes(size, nodes)),
    }


def consistency(organisation: Organisation, old_size: int, new_size: int) -> dict[str, Any]:
    current = record_size(organisation)
    if not 0 < new_size <= current:
        raise ProofRequestError(f"new must be between 1 and the record's size, {current}")
    if not 0 < old_size <= new_size:
        raise ProofRequestError("old must be between 1 and new")
    keys = (
        merkle.needed_for_consistency(old_size, new_size)
        + merkle.needed_for_root(old_size)
        + merkle.needed_for_root(new_size)
    )
    nodes = nodes_fetch(organisation, keys)
    return {
        "old_size": old_size,
        "new_size": new_size,
        "old_root": b64(merkle.root_from_nodes(old_size, nodes)),
        "new_root": b64(merkle.root_from_nodes(new_size, nodes)),
        "proof": [b64(h) for h in merkle.consistency_proof(old_size, new_size, nodes)],
    }
