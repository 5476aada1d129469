"""An item's phases: admission by quorum, the clock moving items on, a steward moving a
phase's end, and the seam for Decisions (the ballot's motions, voting, decided).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.agenda import notices
from parrhesia.agenda.actions import ITEM_CLOSED, Action
from parrhesia.agenda.models import TIMED_PHASES, AgendaItem, Motion, MotionStatus, Phase
from parrhesia.agenda.rules import phase_is_timed
from parrhesia.agenda.selectors import motions_on_ballot, support_counts
from parrhesia.agenda.services._shared import (
    REASON_MAX,
    AgendaError,
    PhaseClosed,
    item_locked,
    item_url,
    phase_end_schedule,
    quorum,
    text_checked,
)
from parrhesia.kernel.access import member_for
from parrhesia.methods.record.sealed import Sealed
from parrhesia.orgs.models import Membership
from parrhesia.orgs.selectors import members_active
from parrhesia.record.services import record_append


def item_close(item: AgendaItem, phase: str, reason: str, actor: Membership | None) -> None:
    """Close the item into ``phase`` (decided, lapsed, withdrawn) with the reason, on the record,
    and tell its followers; in the caller's transaction, on the caller's locked item."""
    item.phase, item.closing_reason = phase, reason
    item.phase_started_at, item.phase_ends_at = timezone.now(), None
    item.save(update_fields=["phase", "closing_reason", "phase_started_at", "phase_ends_at"])
    record_append(
        organisation=item.organisation,
        actor=actor,
        action=ITEM_CLOSED[Phase(phase)],
        subject=("agenda_item", item.pk),
        payload={"reason": reason},
    )
    notices.notify_followers(
        item, exclude=actor, kind="phase", params={"phase": phase}, url=item_url(item)
    )


def item_admit_if_quorum(item: AgendaItem, actor: Membership | None, now: datetime) -> None:
    """Admit the item to discussion if one of its motions has reached the admission quorum
    (after a support, or a motion filed with its author's own); in the caller's transaction."""
    if item.phase != Phase.ADMISSION:
        return
    counts = support_counts(item)
    admitted = sorted(pk for pk, n in counts.items() if n >= item.admission_quorum)
    if admitted:
        _discussion_start(item, start=now, admitted=admitted, actor=actor)


def _discussion_start(
    item: AgendaItem, *, start: datetime, admitted: list[int], actor: Membership | None
) -> None:
    members = members_active(item.organisation).count()
    item.phase, item.phase_started_at = Phase.DISCUSSION, start
    item.phase_ends_at = start + timedelta(days=item.discussion_days)
    item.members_at_discussion = members
    item.alternative_quorum = quorum(members, item.alternative_quorum_percent)
    item.save()
    record_append(
        organisation=item.organisation,
        actor=None,
        action=Action.AGENDA_ITEM_ADMITTED,
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
        item, exclude=actor, kind="phase", params={"phase": Phase.DISCUSSION}, url=item_url(item)
    )
    phase_end_schedule(item)


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
        item_close(item, Phase.LAPSED, reason, None)
    elif item.phase == Phase.DISCUSSION:
        _freeze(item, start)
    elif item.phase == Phase.FROZEN:
        item.phase, item.phase_started_at, item.phase_ends_at = Phase.READY, start, None
        item.save(update_fields=["phase", "phase_started_at", "phase_ends_at"])
        record_append(
            organisation=item.organisation,
            actor=None,
            action=Action.AGENDA_ITEM_READY_FOR_VOTE,
            subject=("agenda_item", item.pk),
            payload={"motions": [m.pk for m in motions_on_ballot(item)]},
        )
        notices.notify_followers(
            item, exclude=None, kind="phase", params={"phase": Phase.READY}, url=item_url(item)
        )


def _freeze(item: AgendaItem, start: datetime) -> None:
    """Texts are fixed; a motion below the alternative quorum lapses with its count recorded."""
    quorum = item.alternative_quorum or 1
    counts = support_counts(item)
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
            action=Action.MOTION_LAPSED,
            subject=("motion", pk),
            payload={"supporters": n, "alternative_quorum": quorum},
        )
    if len(lapsed) == len(counts):
        reason = _("No motion kept enough supporters to reach the ballot.")
        item_close(item, Phase.LAPSED, reason, None)
        return
    item.phase, item.phase_started_at = Phase.FROZEN, start
    item.phase_ends_at = start + timedelta(days=item.frozen_days)
    item.save(update_fields=["phase", "phase_started_at", "phase_ends_at"])
    record_append(
        organisation=item.organisation,
        actor=None,
        action=Action.AGENDA_ITEM_FROZEN,
        subject=("agenda_item", item.pk),
        payload={
            "motions": sorted(set(counts) - set(lapsed)),
            "frozen_ends_at": item.phase_ends_at.isoformat(),
        },
    )
    notices.notify_followers(
        item, exclude=None, kind="phase", params={"phase": Phase.FROZEN}, url=item_url(item)
    )
    phase_end_schedule(item)


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
    reason = text_checked(reason, limit=REASON_MAX, what=_("reason"))
    with transaction.atomic():
        steward = member_for(user, item, "agenda.adjust_phase")
        item = item_locked(item)
        if not phase_is_timed(user, item):
            raise PhaseClosed(_("This item is not in a timed phase."))
        if ends_at <= timezone.now():
            raise AgendaError(_("The new end must be in the future."))
        before = item.phase_ends_at
        item.phase_ends_at = ends_at
        item.save(update_fields=["phase_ends_at"])
        record_append(
            organisation=item.organisation,
            actor=steward,
            action=Action.AGENDA_ITEM_PHASE_ADJUSTED,
            subject=("agenda_item", item.pk),
            payload={
                "phase": item.phase,
                "ends_at_before": before.isoformat() if before else None,
                "ends_at": ends_at.isoformat(),
                "reason": Sealed(reason),
            },
        )
        notices.notify_followers(
            item, exclude=steward, kind="phase_adjusted", params={"phase": item.phase},
            url=item_url(item),
        )  # fmt: skip
        phase_end_schedule(item)
    return item


def agenda_item_voting_start(*, item: AgendaItem, decision_ref: str) -> AgendaItem:
    """Called by the Decisions app when it opens the ballot of a ready item."""
    with transaction.atomic():
        item = item_locked(item)
        if item.phase != Phase.READY:
            raise PhaseClosed(_("Only an item ready for vote can go to the vote."))
        item.phase, item.decision_ref = Phase.VOTING, decision_ref
        item.phase_started_at = timezone.now()
        item.save(update_fields=["phase", "decision_ref", "phase_started_at"])
        record_append(
            organisation=item.organisation,
            actor=None,
            action=Action.AGENDA_ITEM_VOTING,
            subject=("agenda_item", item.pk),
            payload={"decision": decision_ref},
        )
        notices.notify_followers(
            item, exclude=None, kind="phase", params={"phase": Phase.VOTING}, url=item_url(item)
        )
    return item


def agenda_item_decide(*, item: AgendaItem, outcome: str, decision_ref: str = "") -> AgendaItem:
    """Called by the Decisions app with the result once the vote is counted."""
    with transaction.atomic():
        item = item_locked(item)
        if item.phase not in (Phase.READY, Phase.VOTING):
            raise PhaseClosed(_("Only an item at the vote can be decided."))
        item.outcome = outcome
        item.decision_ref = decision_ref or item.decision_ref
        item.save(update_fields=["outcome", "decision_ref"])
        item_close(item, Phase.DECIDED, outcome, None)
    return item
