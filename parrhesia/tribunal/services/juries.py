"""Juries: drawn by lot, recused from and replaced, and given a deadline to decide.

The first jury is drawn when the defence period closes (or at once, to confirm an interim
measure), an appeal jury when the appeal is filed, a replacement when a juror recuses or lets the
deadline pass — each by the lot of docs/tribunal.md §4, on the record. Once a jury may vote it has
a deadline: its jurors who have not voted are reminded at two thirds of the time and replaced at
the deadline; with nobody left to replace them the jury is stuck and the stewards are told.
What jurors decide — the room, anonymity, their votes, the verdict — is in ``verdicts.py``.

:func:`jury_draw_or_wait`, :func:`jurors_draw` and :func:`deliberation_deadline_set` are the
steps the other service modules take within their own transactions.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parrhesia.kernel.deferred import task_after_commit
from parrhesia.methods.jury import JuryTooSmall, jury_size_check
from parrhesia.methods.jury import jury_draw as draw_lot
from parrhesia.methods.record.sealed import Sealed
from parrhesia.record.checkpoints import checkpoint_sign
from parrhesia.record.services import record_append
from parrhesia.tribunal import selectors
from parrhesia.tribunal.actions import Action, jury_drawn_facts
from parrhesia.tribunal.models import LAPSED_REASON, Case, Juror, Jury, Phase, Round
from parrhesia.tribunal.services._shared import (
    TribunalError,
    case_locked,
    case_subject,
    juror_locked,
    member_notify,
    member_on_case,
    now_or,
)
from parrhesia.tribunal.tasks import jury_deadline_task

# --- juries ------------------------------------------------------------------------------------


def jury_draw_or_wait(case: Case, now: datetime) -> Jury | None:
    """Draw the first jury; with too few eligible members, record that and wait for members.

    A jury drawn once the defence has closed may vote at once: its deadline starts now.
    """
    settings = selectors.tribunal_settings_of(case.organisation)
    jury = Jury.objects.create(case=case, round=Round.FIRST, size=settings.jury_size, drawn_at=now)
    try:
        jurors_draw(case, jury, label=Round.FIRST.value, size=settings.jury_size, now=now)
    except JuryTooSmall as error:
        jury.delete()
        record_append(
            organisation=case.organisation,
            actor=None,
            action=Action.JURY_NOT_DRAWN,
            subject=case_subject(case),
            payload={"reason": str(error)},
        )
        return None
    if case.defence_closed_at is not None:
        deliberation_deadline_set(case, jury, now, days=settings.jury_days, why="defence_closed")
    return jury


def jury_draw(*, case: Case, now: datetime | None = None) -> Jury | None:
    """Draw the first jury of a case whose defence closed but that has none yet (e.g. it
    waited for enough eligible members); idempotent."""
    now = now_or(now)
    with transaction.atomic():
        case = case_locked(case)
        if case.juries.exists() or case.defence_closed_at is None:
            return None
        return jury_draw_or_wait(case, now)


def juries_draw_due(*, now: datetime) -> int:
    """Draw the first jury of every case that waited for enough eligible members, once it has
    them; the number drawn. Cases still short are left alone (nothing more is recorded until
    a draw can succeed), so the sweep may run as often as it likes."""
    waiting = Case.objects.filter(
        phase=Phase.DELIBERATION, defence_closed_at__isnull=False, juries__isnull=True
    ).select_related("organisation")
    drawn = 0
    for case in waiting:
        eligible = selectors.eligible_member_ids(case, now)
        size = selectors.tribunal_settings_of(case.organisation).jury_size
        size += selectors.draw_withheld(case, eligible, now)[1]  # as the lot needs them (§4)
        if len(eligible) >= size and jury_draw(case=case, now=now):
            drawn += 1
    return drawn


def jurors_draw(case: Case, jury: Jury, *, label: str, size: int, now: datetime) -> list[Juror]:
    """Draw ``size`` jurors by lot from the record's newest root (docs/tribunal.md §4).

    The eligible list on the record includes a hidden reporter and members unavailable for
    juries, whom the lot passes over: the entry says how many ids may be so withheld, never which.
    """
    seated = set(Juror.objects.filter(jury__case=case).values_list("member_id", flat=True))
    eligible = selectors.eligible_member_ids(case, now, exclude=seated)
    barred, withheld = selectors.draw_withheld(case, eligible, now)
    # before signing: a draw that cannot happen signs nothing
    jury_size_check(len(set(eligible)), size, withheld)
    checkpoint = checkpoint_sign(case.organisation)
    assert checkpoint is not None  # the case's own entries are on the record
    root = bytes(checkpoint.root_hash)
    drawn = draw_lot(
        root=root,
        case=case.number,
        round=label,
        eligible=eligible,
        size=size,
        withheld=withheld,
        barred=barred,
    )
    jurors = [Juror.objects.create(jury=jury, member_id=member, draw=label) for member in drawn]
    record_append(
        organisation=case.organisation,
        actor=None,
        action=Action.JURY_DRAWN,
        subject=case_subject(case),
        payload=jury_drawn_facts(
            case=case.number,
            round=jury.round,
            draw=label,
            checkpoint_size=checkpoint.size,
            root=root,
            eligible=eligible,
            size=size,
            jurors=drawn,
            withheld=withheld,
        ),
    )
    for juror in jurors:
        member_notify(
            juror.member,
            case,
            "juror_drawn",
            _("Case %(number)s: you are drawn as a juror") % {"number": case.number},
        )
    return jurors


def juror_recuse(*, user: Any, case: Case, reason: str, now: datetime | None = None) -> Juror:
    """A juror steps down with a reason; a replacement is drawn the same way."""
    now = now_or(now)
    if not reason.strip():
        raise TribunalError(_("Say why you recuse yourself."))
    with transaction.atomic():
        case = case_locked(case)
        juror = juror_locked(case, member_on_case(user, case, "tribunal.recuse"))
        juror.recused_at = now
        juror.recusal_reason = reason
        juror.save(update_fields=["recused_at", "recusal_reason"])
        record_append(
            organisation=case.organisation,
            actor=juror.member,
            action=Action.JUROR_RECUSED,
            subject=case_subject(case),
            payload={"member": juror.member_id, "reason": Sealed(reason)},
        )
        try:
            _juror_replace(case, juror, now)
        except JuryTooSmall:
            raise TribunalError(_("No eligible member is left to replace you.")) from None
        if case.defence_closed_at is not None:  # the replacement needs time to read the case
            settings = selectors.tribunal_settings_of(case.organisation)
            deliberation_deadline_set(
                case, juror.jury, now, days=settings.replacement_days, why="replacement"
            )
    return juror


def juror_unseat(case: Case, juror: Juror, now: datetime, *, why: str) -> None:
    """Take off a sitting juror who may no longer sit in the case (``why``: "advocate", named
    the accused's advocate; "conflict", declared one) and draw their replacement by lot, on the
    record, as for a recusal. A vote they cast goes with their seat. ``JuryTooSmall`` when
    nobody eligible is left to replace them (the caller refuses what made it necessary)."""
    juror.recused_at = now
    juror.recusal_reason = why
    juror.save(update_fields=["recused_at", "recusal_reason"])
    record_append(
        organisation=case.organisation,
        actor=None,
        action=Action.JUROR_UNSEATED,
        subject=case_subject(case),
        payload={"member": juror.member_id, "round": juror.jury.round, "reason": why},
    )
    _juror_replace(case, juror, now)
    if case.defence_closed_at is not None:  # the replacement needs time to read the case
        settings = selectors.tribunal_settings_of(case.organisation)
        deliberation_deadline_set(
            case, juror.jury, now, days=settings.replacement_days, why="replacement"
        )


def sitting_seat(case: Case, member_id: int) -> Juror | None:
    """The member's seat on an undecided jury of the case, locked; None if they sit on none."""
    return (
        Juror.objects.select_for_update()
        .select_related("jury")
        .filter(jury__case=case, jury__decided_at__isnull=True, recused_at__isnull=True)
        .filter(member_id=member_id)
        .first()
    )


def _juror_replace(case: Case, juror: Juror, now: datetime) -> None:
    """Draw one member by lot to take the seat of a juror who left it (same lot, §4)."""
    replacements = Juror.objects.filter(jury__case=case, draw__startswith="replacement-")
    label = f"replacement-{replacements.count() + 1}"
    jurors_draw(case, juror.jury, label=label, size=1, now=now)


# --- deliberation deadlines ----------------------------------------------------------------------


def deliberation_deadline_set(
    case: Case, jury: Jury, now: datetime, *, days: int, why: str
) -> None:
    """Give a jury that may vote ``days`` from now to decide — never less than it already has.

    Its jurors who have not voted are reminded at two thirds of that time and replaced by lot at
    the deadline (:func:`jury_deadlines_due`).
    """
    deadline = now + timedelta(days=days)
    if jury.deliberation_deadline is not None and jury.deliberation_deadline >= deadline:
        return
    jury.deliberation_deadline = deadline
    jury.reminder_at = now + (deadline - now) * 2 / 3
    jury.stuck_at = None
    jury.save(update_fields=["deliberation_deadline", "reminder_at", "stuck_at"])
    record_append(
        organisation=case.organisation,
        actor=None,
        action=Action.JURY_DEADLINE_SET,
        subject=case_subject(case),
        payload={"round": jury.round, "deadline": deadline.isoformat(), "days": days, "why": why},
    )
    task_after_commit(jury_deadline_task, jury.pk, run_after=jury.reminder_at)
    task_after_commit(jury_deadline_task, jury.pk, run_after=deadline)


def jury_deadlines_due(*, now: datetime, jury_id: int | None = None) -> int:
    """Replace by lot the jurors who have not voted by their jury's deadline, and remind them at
    two thirds of their time; the number of juries acted on. Idempotent."""
    # A jury has a deliberation deadline only once its case's defence has closed.
    juries = Jury.objects.filter(decided_at__isnull=True)
    if jury_id is not None:
        juries = juries.filter(pk=jury_id)
    count = 0
    for pk in juries.filter(deliberation_deadline__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            count += _jury_lapse(pk, now)
    # After the lapses, so that no one is reminded of a deadline already past.
    due = juries.filter(reminder_at__lte=now, deliberation_deadline__gt=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            count += _jury_remind(pk, now)
    return count


def _jury_locked(pk: int) -> tuple[Case, Jury]:
    """The jury and its case, locked in the order every service locks them (case first)."""
    case_id = Jury.objects.values_list("case_id", flat=True).get(pk=pk)
    case = Case.objects.select_for_update().select_related("organisation").get(pk=case_id)
    return case, Jury.objects.select_for_update().get(pk=pk)


def _silent_jurors(jury: Jury) -> list[Juror]:
    return list(
        jury.jurors.filter(recused_at__isnull=True, voted_at__isnull=True)
        .select_related("member__user", "jury")
        .order_by("pk")
    )


def _jury_remind(pk: int, now: datetime) -> int:
    case, jury = _jury_locked(pk)
    deadline = jury.deliberation_deadline
    if jury.decided_at or jury.reminder_at is None or jury.reminder_at > now:
        return 0
    if deadline is None or deadline <= now:
        return 0
    jury.reminder_at = None
    jury.save(update_fields=["reminder_at"])
    silent = _silent_jurors(jury)
    if not silent:
        return 0
    record_append(
        organisation=case.organisation,
        actor=None,
        action=Action.JURY_REMINDED,
        subject=case_subject(case),
        payload={
            "round": jury.round,
            "members": [j.member_id for j in silent],
            "deadline": deadline.isoformat(),
        },
    )
    for juror in silent:
        member_notify(
            juror.member,
            case,
            "jury_reminder",
            _("Case %(number)s: your vote is awaited") % {"number": case.number},
            deadline=deadline.isoformat(),
        )
    return 1


def _jury_lapse(pk: int, now: datetime) -> int:
    """At the deadline, each juror who has not voted is replaced as if they had recused."""
    case, jury = _jury_locked(pk)
    deadline = jury.deliberation_deadline
    if jury.decided_at or deadline is None or deadline > now:
        return 0
    silent = _silent_jurors(jury)
    if not silent:
        return 0
    seated = Juror.objects.filter(jury__case=case).values_list("member_id", flat=True)
    eligible = selectors.eligible_member_ids(case, now, exclude=seated)
    if len(eligible) < len(silent) + selectors.draw_withheld(case, eligible, now)[1]:  # as the lot
        return _jury_stuck(case, jury, silent, len(eligible), now)
    for juror in silent:
        juror.recused_at = now
        juror.recusal_reason = LAPSED_REASON
        juror.save(update_fields=["recused_at", "recusal_reason"])
        record_append(
            organisation=case.organisation,
            actor=None,
            action=Action.JUROR_LAPSED,
            subject=case_subject(case),
            payload={
                "member": juror.member_id,
                "reason": LAPSED_REASON,
                "deadline": deadline.isoformat(),
            },
        )
        member_notify(
            juror.member,
            case,
            "juror_lapsed",
            _("Case %(number)s: you were replaced as a juror") % {"number": case.number},
        )
        _juror_replace(case, juror, now)
    settings = selectors.tribunal_settings_of(case.organisation)
    deliberation_deadline_set(case, jury, now, days=settings.replacement_days, why="replacement")
    return 1


def _jury_stuck(case: Case, jury: Jury, silent: list[Juror], eligible: int, now: datetime) -> int:
    """Too few members are left to replace the silent jurors: say so once, tell the stewards.

    The silent jurors keep their seats (a late vote still counts); every sweep tries the draw
    again, as members become eligible or free from other juries.
    """
    if jury.stuck_at is not None:
        return 0
    jury.stuck_at = now
    jury.reminder_at = None
    jury.save(update_fields=["stuck_at", "reminder_at"])
    record_append(
        organisation=case.organisation,
        actor=None,
        action=Action.JURY_STUCK,
        subject=case_subject(case),
        payload={
            "round": jury.round,
            "not_voted": [j.member_id for j in silent],
            "eligible": eligible,
        },
    )
    for steward in selectors.stewards_of(case.organisation):
        member_notify(
            steward,
            case,
            "jury_stuck",
            _("Case %(number)s: the jury is stuck") % {"number": case.number},
        )
    return 1
