"""The defence: filed by the accused (or their advocate), extended once, and closed — by its
deadline or because the accused said they had answered — which sends the case to its jury.

The accused may name any member but themselves and a reporter the record names: a hidden
reporter is among the choices and is named like anyone (a missing name, or an error of its own,
would point at them). They then have no advocate's powers and step down, as any advocate may
(:func:`advocate_step_down`).

The guarantee the tribunal is built around: no verdict (hence no final sanction) without the
defence period having closed. It closes here (:func:`defence_close`); the jury's votes and the
verdict check it in ``verdicts.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parrhesia.kernel.deferred import task_after_commit
from parrhesia.methods.jury import JuryTooSmall
from parrhesia.methods.record.sealed import Sealed
from parrhesia.orgs.models import Membership
from parrhesia.record.services import record_append
from parrhesia.tribunal import selectors
from parrhesia.tribunal.actions import Action
from parrhesia.tribunal.models import Case, Defence, Phase, Round
from parrhesia.tribunal.services._shared import (
    TribunalError,
    case_actor,
    case_locked,
    case_subject,
    member_notify,
    member_on_case,
    now_or,
)
from parrhesia.tribunal.services.juries import (
    deliberation_deadline_set,
    juror_unseat,
    jury_draw_or_wait,
    sitting_seat,
)
from parrhesia.tribunal.tasks import defence_close_task


def defence_file(
    *,
    user: Any,
    case: Case,
    statement: str,
    evidence: str = "",
    advocate: Membership | None = None,
    answered: bool = False,
    now: datetime | None = None,
) -> Defence:
    """The accused (or their advocate) files the defence; ``answered`` closes the period now."""
    now = now_or(now)
    if not statement.strip():
        raise TribunalError(_("Write the statement of your defence."))
    with transaction.atomic():
        case = case_locked(case)
        member = member_on_case(user, case, "tribunal.defend_case")
        existing = Defence.objects.filter(case=case).first()
        if advocate is not None and (
            advocate.organisation_id != case.organisation_id
            or not advocate.is_active
            or advocate.pk == case.accused_id
            or (advocate.pk == case.reporter_id and not case.reporter_hidden)
        ):
            raise TribunalError(_("Your advocate must be another member of the organisation."))
        defence, _created = Defence.objects.update_or_create(
            case=case,
            defaults={
                "statement": statement,
                "evidence": evidence,
                "advocate": advocate or (existing.advocate if existing else None),
                "filed_at": now,
            },
        )
        case.defence = defence  # the case names the advocate as filed (the jury's draw reads it)
        record_append(
            organisation=case.organisation,
            actor=case_actor(case, member),
            action=Action.DEFENCE_FILED,
            subject=case_subject(case),
            payload={
                "statement": Sealed(statement),
                "evidence": Sealed(evidence),
                "advocate": defence.advocate_id,
                "answered": answered,
            },
        )
        if advocate is not None:
            first_choice = existing is None or existing.advocate_id is None
            advocate_unseat(case, advocate, now, first_choice=first_choice)
            if existing is None or existing.advocate_id != advocate.pk:
                member_notify(
                    advocate,
                    case,
                    "advocate_named",
                    _("Case %(number)s: you are named advocate") % {"number": case.number},
                )
        if answered and case.phase == Phase.DEFENCE:
            defence_close(case, now, "answered")
    return defence


def advocate_unseat(
    case: Case, advocate: Membership, now: datetime, *, first_choice: bool
) -> None:
    """The accused chooses their advocate: one who sits on the case's jury leaves their seat to
    a member drawn by lot (nobody left to draw: the nomination is refused).

    Only the first choice may cost a juror their seat: otherwise naming juror after juror would
    let the accused strike the jury one seat at a time.
    """
    seat = sitting_seat(case, advocate.pk)
    if seat is None:
        return
    if not first_choice:
        raise TribunalError(
            _("This member sits on the jury of this case: name another advocate.")
        )
    try:
        juror_unseat(case, seat, now, why="advocate")
    except JuryTooSmall:
        raise TribunalError(
            _(
                "This member sits on the jury of this case and no other member can take their "
                "seat: name another advocate."
            )
        ) from None


def advocate_step_down(*, user: Any, case: Case) -> Defence:
    """The advocate gives up the role while the defence runs; the accused may name another.

    Any advocate may, for a reason of their own: a hidden reporter the accused named does so
    like anyone, and the record reads the same (docs/tribunal.md §3).
    """
    with transaction.atomic():
        case = case_locked(case)
        member = member_on_case(user, case, "tribunal.step_down")
        defence = Defence.objects.select_for_update().get(case=case)
        defence.advocate = None
        defence.save(update_fields=["advocate"])
        case.defence = defence
        record_append(
            organisation=case.organisation,
            actor=member,
            action=Action.ADVOCATE_STEPPED_DOWN,
            subject=case_subject(case),
            payload={"member": member.pk},
        )
        member_notify(
            case.accused,
            case,
            "advocate_stepped_down",
            _("Case %(number)s: your advocate stepped down") % {"number": case.number},
        )
    return defence


def defence_extend(*, user: Any, case: Case) -> Case:
    """One extension of the defence period, on the accused's request."""
    with transaction.atomic():
        case = case_locked(case)
        member = member_on_case(user, case, "tribunal.extend_defence")
        settings = selectors.tribunal_settings_of(case.organisation)
        case.defence_deadline += timedelta(days=settings.defence_days)
        case.defence_extended = True
        case.save(update_fields=["defence_deadline", "defence_extended"])
        record_append(
            organisation=case.organisation,
            actor=case_actor(case, member),
            action=Action.DEFENCE_EXTENDED,
            subject=case_subject(case),
            payload={"defence_deadline": case.defence_deadline.isoformat()},
        )
        task_after_commit(defence_close_task, case.pk, run_after=case.defence_deadline)
    return case


def defence_close_due(*, now: datetime, case_id: int | None = None) -> int:
    """Close every defence period whose deadline has passed and draw the jury; idempotent."""
    due = Case.objects.filter(
        phase=Phase.DEFENCE, defence_closed_at__isnull=True, defence_deadline__lte=now
    )
    if case_id is not None:
        due = due.filter(pk=case_id)
    count = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            case = Case.objects.select_for_update().select_related("organisation").get(pk=pk)
            if case.phase != Phase.DEFENCE or case.defence_closed_at or case.defence_deadline > now:
                continue
            defence_close(case, now, "deadline")
            count += 1
    return count


def defence_close(case: Case, now: datetime, why: str) -> None:
    """Close the defence period of the (locked) case: its jury may vote from now on."""
    case.defence_closed_at = now
    case.phase = Phase.DELIBERATION
    case.save(update_fields=["defence_closed_at", "phase"])
    record_append(
        organisation=case.organisation,
        actor=None,
        action=Action.DEFENCE_CLOSED,
        subject=case_subject(case),
        payload={"why": why},
    )
    jury = case.juries.filter(round=Round.FIRST).first()
    if jury is None:
        jury_draw_or_wait(case, now)  # gives the jury its deadline
    else:  # drawn earlier to confirm an interim measure: it may vote from now on
        settings = selectors.tribunal_settings_of(case.organisation)
        deliberation_deadline_set(case, jury, now, days=settings.jury_days, why="defence_closed")
