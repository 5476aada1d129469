"""What the tribunal puts on the organisation's public record: the catalogue of its actions, and
the payloads more than one place builds or reads.

The strings are the record's format (each entry is hashed into the log, and ``parrhesia tribunal
redraw|report --record`` read exports of it): a new action gets a new name, an existing one never
changes. Pure: no Django, so the command line reads an export with it alone.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class Action(StrEnum):
    SETTINGS_CHANGED = "tribunal.settings_changed"
    # the report and what becomes of it before the jury
    CASE_OPENED = "case.opened"
    CASE_DISMISSED = "case.dismissed"
    CASE_JURY_REQUESTED = "case.jury_requested"
    CONFLICT_DECLARED = "jury.conflict_declared"
    INTERIM_MEASURE_TAKEN = "interim_measure.taken"
    INTERIM_MEASURE_CONFIRMED = "interim_measure.confirmed"
    INTERIM_MEASURE_LIFTED = "interim_measure.lifted"
    INTERIM_MEASURE_LAPSED = "interim_measure.lapsed"
    INTERIM_MEASURE_ENDED = "interim_measure.ended"  # superseded or lifted by the verdict
    DEFENCE_FILED = "defence.filed"
    DEFENCE_EXTENDED = "defence.extended"
    DEFENCE_CLOSED = "defence.closed"
    # juries: their draw (payload: jury_drawn_facts), recusals and deadlines
    JURY_NOT_DRAWN = "jury.not_drawn"
    JURY_DRAWN = "jury.drawn"
    JUROR_RECUSED = "jury.juror_recused"
    JURY_DEADLINE_SET = "jury.deadline_set"
    JURY_REMINDED = "jury.reminded"
    JUROR_LAPSED = "jury.juror_lapsed"
    JURY_STUCK = "jury.stuck"
    # what the jury decides, and the sanctions taking or ceasing effect
    ANONYMITY_GRANTED = "case.anonymity_granted"
    REPORTER_REVEALED = "case.reporter_revealed"
    JURY_VOTED = "jury.voted"
    VERDICT_PUBLISHED = "verdict.published"
    CONTENT_HIDDEN = "content.hidden"
    CONTENT_RESTORED = "content.restored"
    MEMBER_WARNED = "member.warned"
    MEMBER_SUSPENDED = "member.suspended"
    MEMBER_SUSPENSION_LIFTED = "member.suspension_lifted"
    MEMBER_EXPELLED = "member.expelled"
    MEMBER_REINSTATED = "member.reinstated"
    APPEAL_FILED = "appeal.filed"
    # added since (issue 13): a juror who may no longer sit (named advocate, a conflict) is
    # replaced by lot
    JUROR_UNSEATED = "jury.juror_unseated"
    # an advocate gives up the role (anyone may: a hidden reporter named advocate must)
    ADVOCATE_STEPPED_DOWN = "defence.advocate_stepped_down"


# The round of the first jury, as a verdict's payload names it (tribunal.models.Round.FIRST).
FIRST_ROUND = "jury"


def content_facts(kind: str, object_id: str) -> dict[str, Any]:
    """The content a measure hides or restores."""
    return {"kind": kind, "object_id": object_id}


def interim_measure_facts(
    kind: str, object_id: str, category: str, lapses_at: str | None
) -> dict[str, Any]:
    """An interim measure as ``interim_measure.taken`` states it. ``lapses_at`` (ISO 8601) is
    ``None`` for a measure that never lapses (personal data, since issue 13): it holds until
    the case is decided, so the clock alone never shows the hidden text again."""
    return {**content_facts(kind, object_id), "category": category, "lapses_at": lapses_at}


def interim_votes(confirm: int, lift: int, jurors: int) -> dict[str, Any]:
    """How the jury voted on an interim measure, once a majority confirmed or lifted it."""
    return {"for": confirm, "against": lift, "jurors": jurors}


def checkpoint_root_text(root: bytes) -> str:
    """A checkpoint's root as a draw's entry states it (base64)."""
    return base64.b64encode(root).decode("ascii")


def jury_drawn_facts(
    *,
    case: int,
    round: str,
    draw: str,
    checkpoint_size: int,
    root: bytes,
    eligible: list[int],
    size: int,
    jurors: list[int],
    withheld: int,
) -> dict[str, Any]:
    """A draw by lot as the record states it: everything anyone needs to redo it from an export
    (docs/tribunal.md §4; :func:`jury_draw_inputs` reads it back). ``withheld``: how many
    ``eligible`` ids may not sit for a reason kept off the record (added since issue 13; an
    entry without it was drawn with none)."""
    return {
        "case": case,
        "round": round,
        "draw": draw,
        "checkpoint_size": checkpoint_size,
        "checkpoint_root": checkpoint_root_text(root),
        "eligible": eligible,
        "size": size,
        "jurors": jurors,
        "withheld": withheld,
    }


def jury_draw_inputs(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The lot's inputs and outcome in a ``jury.drawn`` payload, as ``methods.jury.jury_verify``
    takes them (but the root, which the reader recomputes from the record). An entry written
    before ``withheld`` existed withheld nobody: its jurors are the first of the order."""
    return {
        "case": payload["case"],
        "round": payload["draw"],
        "eligible": payload["eligible"],
        "size": payload["size"],
        "jurors": payload["jurors"],
        "withheld": payload.get("withheld", 0),
    }
