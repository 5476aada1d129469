"""An item's phases: admission by quorum, the clock moving items on, a steward moving a
phase's end, and the seam for Decisions (the ballot's motions, voting, decided).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.agenda import notices
from parrhesia.agenda.models import TIMED_PHASES, AgendaItem, Motion, MotionStatus, Phase
from parrhesia.agenda.services.base import (
    REASON_MAX,
    AgendaError,
    PhaseClosed,
    _active_members,
    _item_url,
    _locked,
    _quorum,
    _require,
    _schedule_phase_end,
    _text,
)
from parrhesia.orgs.models import Membership
from parrhesia.record.services import record_append


def _close(item: AgendaItem, phase: str, reason: str, actor: Membership | None) -> None:
    item.phase, item.closing_reason = phase, reason
    item.phase_started_at, item.phase_ends_at = timezone.now(), None
    item.save(update_fields=["phase", "closing_reason", "phase_started_at", "phase_ends_at"])
    record_append(
        organisation=item.organisation,
        actor=actor,
        action=f"agenda_item.{phase}",
        subject=("agenda_item", item.pk),
        payload={"reason": reason},
    )
    notices.notify_followers(
        item, exclude=actor, kind="phase", params={"phase": phase}, url=_item_url(item)
    )


def _support_counts(item: AgendaItem) -> dict[int, int]:
    rows = item.motions.filter(status=MotionStatus.ACTIVE).annotate(n=Count("supports"))
    return {motion.pk: motion.n for motion in rows}


def _admit_if_quorum(item: AgendaItem, actor: Membership | None, now: datetime) -> None:
    if item.phase != Phase.ADMISSION:
        return
    counts = _support_counts(item)
    admitted = sorted(pk for pk, n in counts.items() if n >= item.admission_quorum)
    if admitted:
        _discussion_start(item, start=now, admitted=admitted, actor=actor)


def _discussion_start(
    item: AgendaItem, *, start: datetime, admitted: list[int], actor: Membership | None
) -> None:
    members = _active_members(item.organisation)
    item.phase, item.phase_started_at = Phase.DISCUSSION, start
    item.phase_ends_at = start + timedelta(days=item.discussion_days)
    item.members_at_discussion = members
    item.alternative_quorum = _quorum(members, item.alternative_quorum_percent)
    item.save()
    record_append(
        organisation=item.organisation,
        actor=None,
        action="agenda_item.admitted",
        subject=("agenda_item", item.pk),
        payload={
            "motions": admitted,
            "admission_quorum": item.admission_quorum,
            "discussion_ends_at": item.phase_ends_at.isoformat(),
            "members_at_start": members,
            "alternative_quorum": item.alternative_quorum,
        },
    )
    notices.notify_followers(
        item, exclude=actor, kind="phase", params={"phase": Phase.DISCUSSION}, url=_item_url(item)
    )
    _schedule_phase_end(item)


def _phase_step(item: AgendaItem) -> None:
    """Move one due item one phase on, starting the next phase when the last one was due."""
    start = item.phase_ends_at
    assert start is not None
    if item.phase == Phase.ADMISSION:
        reason = _(
            "No motion reached the admission quorum of %(quorum)s supporters "
            "(%(percent)s %% of the %(members)s members at the start of admission) in time."
        ) % {
            "quorum": item.admission_quorum,
            "percent": item.admission_quorum_percent,
            "members": item.members_at_admission,
        }
        item.motions.filter(status=MotionStatus.ACTIVE).update(
            status=MotionStatus.LAPSED, status_reason=reason
        )
        _close(item, Phase.LAPSED, reason, None)
    elif item.phase == Phase.DISCUSSION:
        _freeze(item, start)
    elif item.phase == Phase.FROZEN:
        item.phase, item.phase_started_at, item.phase_ends_at = Phase.READY, start, None
        item.save(update_fields=["phase", "phase_started_at", "phase_ends_at"])
        record_append(
            organisation=item.organisation,
            actor=None,
            action="agenda_item.ready_for_vote",
            subject=("agenda_item", item.pk),
            payload={"motions": [m.pk for m in motions_on_ballot(item)]},
        )
        notices.notify_followers(
            item, exclude=None, kind="phase", params={"phase": Phase.READY}, url=_item_url(item)
        )


def _freeze(item: AgendaItem, start: datetime) -> None:
    """Texts are fixed; a motion below the alternative quorum lapses with its count recorded."""
    quorum = item.alternative_quorum or 1
    counts = _support_counts(item)
    lapsed = {pk: n for pk, n in counts.items() if n < quorum}
    for pk, n in lapsed.items():
        reason = _(
            "%(count)s supporters when the texts were frozen, fewer than the alternative quorum "
            "of %(quorum)s."
        ) % {"count": n, "quorum": quorum}
        Motion.objects.filter(pk=pk).update(status=MotionStatus.LAPSED, status_reason=reason)
        record_append(
            organisation=item.organisation,
            actor=None,
            action="motion.lapsed",
            subject=("motion", pk),
            payload={"supporters": n, "alternative_quorum": quorum},
        )
    if len(lapsed) == len(counts):
        _close(item, Phase.LAPSED, _("No motion kept enough supporters to reach the ballot."), None)
        return
    item.phase, item.phase_started_at = Phase.FROZEN, start
    item.phase_ends_at = start + timedelta(days=item.frozen_days)
    item.save(update_fields=["phase", "phase_started_at", "phase_ends_at"])
    record_append(
        organisation=item.organisation,
        actor=None,
        action="agenda_item.frozen",
        subject=("agenda_item", item.pk),
        payload={
            "motions": sorted(set(counts) - set(lapsed)),
            "frozen_ends_at": item.phase_ends_at.isoformat(),
        },
    )
    notices.notify_followers(
        item, exclude=None, kind="phase", params={"phase": Phase.FROZEN}, url=_item_url(item)
    )
    _schedule_phase_end(item)


def agenda_item_advance_due(*, item_id: int, now: datetime) -> AgendaItem:
    """Advance one item through every phase whose end is past. Idempotent."""
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().select_related("organisation").get(pk=item_id)
        while item.phase in TIMED_PHASES and item.phase_ends_at and item.phase_ends_at <= now:
            _phase_step(item)
    return item


def phases_advance_due(now: datetime) -> int:
    """Advance every item whose phase has ended by ``now``; return how many moved.

    The background task calls this at each phase's end; running it twice does nothing more.
    """
    due = AgendaItem.objects.filter(phase__in=TIMED_PHASES, phase_ends_at__lte=now)
    moved = 0
    for item_id in due.values_list("pk", flat=True):
        agenda_item_advance_due(item_id=item_id, now=now)
        moved += 1
    return moved


def phase_adjust(*, user: User, item: AgendaItem, ends_at: datetime, reason: str) -> AgendaItem:
    """A steward moves the current phase's end, only forward of now, with a reason on record."""
    reason = _text(reason, limit=REASON_MAX, what=_("reason"))
    with transaction.atomic():
        steward = _require(user, "agenda.adjust_phase", item.organisation)
        item = _locked(item)
        if item.phase not in TIMED_PHASES:
            raise PhaseClosed(_("This item is not in a timed phase."))
        if ends_at <= timezone.now():
            raise AgendaError(_("The new end must be in the future."))
        before = item.phase_ends_at
        item.phase_ends_at = ends_at
        item.save(update_fields=["phase_ends_at"])
        record_append(
            organisation=item.organisation,
            actor=steward,
            action="agenda_item.phase_adjusted",
            subject=("agenda_item", item.pk),
            payload={
                "phase": item.phase,
                "ends_at_before": before.isoformat() if before else None,
                "ends_at": ends_at.isoformat(),
                "reason": reason,
            },
        )
        notices.notify_followers(
            item, exclude=steward, kind="phase_adjusted", params={"phase": item.phase},
            url=_item_url(item),
        )  # fmt: skip
        _schedule_phase_end(item)
    return item


def motions_on_ballot(item: AgendaItem) -> list[Motion]:
    """The seam for Decisions: the frozen motions of an item that go to the vote, in filing order.

    Meaningful once the item is frozen, ready for vote or voting; their texts are the
    ``motion.version`` versions, which no longer change.
    """
    return list(
        item.motions.filter(status=MotionStatus.ACTIVE)
        .select_related("author__user")
        .order_by("pk")
    )


def agenda_item_voting_start(*, item: AgendaItem, decision_ref: str) -> AgendaItem:
    """Called by the Decisions app when it opens the ballot of a ready item."""
    with transaction.atomic():
        item = _locked(item)
        if item.phase != Phase.READY:
            raise PhaseClosed(_("Only an item ready for vote can go to the vote."))
        item.phase, item.decision_ref = Phase.VOTING, decision_ref
        item.phase_started_at = timezone.now()
        item.save(update_fields=["phase", "decision_ref", "phase_started_at"])
        record_append(
            organisation=item.organisation,
            actor=None,
            action="agenda_item.voting",
            subject=("agenda_item", item.pk),
            payload={"decision": decision_ref},
        )
        notices.notify_followers(
            item, exclude=None, kind="phase", params={"phase": Phase.VOTING}, url=_item_url(item)
        )
    return item


def agenda_item_decide(*, item: AgendaItem, outcome: str, decision_ref: str = "") -> AgendaItem:
    """Called by the Decisions app with the result once the vote is counted."""
    with transaction.atomic():
        item = _locked(item)
        if item.phase not in (Phase.READY, Phase.VOTING):
            raise PhaseClosed(_("Only an item at the vote can be decided."))
        item.outcome = outcome
        item.decision_ref = decision_ref or item.decision_ref
        item.save(update_fields=["outcome", "decision_ref"])
        _close(item, Phase.DECIDED, outcome, None)
    return item
