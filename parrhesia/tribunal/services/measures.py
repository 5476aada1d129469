"""Interim measures: in an urgent category a steward hides content at once, before any verdict;
the first jury (drawn at once for it) confirms or lifts the measure, which lapses unless it is
confirmed in time — but for personal data (``models.HELD_UNTIL_DECIDED``), which stays hidden
until the case is decided. Content is never destroyed: hiding it is a row that points at its case.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parrhesia.kernel.deferred import task_after_commit
from parrhesia.record.services import record_append
from parrhesia.tribunal import selectors
from parrhesia.tribunal.actions import (
    Action,
    content_facts,
    interim_measure_facts,
    interim_votes,
)
from parrhesia.tribunal.models import (
    HELD_UNTIL_DECIDED,
    Case,
    ContentMeasure,
    MeasureSource,
    Round,
)
from parrhesia.tribunal.services._shared import (
    TribunalError,
    case_locked,
    case_subject,
    juror_locked,
    measure_end,
    member_notify,
    member_on_case,
    now_or,
)
from parrhesia.tribunal.services.juries import jury_draw_or_wait
from parrhesia.tribunal.tasks import interim_lapse_task


def interim_measure_take(
    *, user: Any, case: Case, category: str, now: datetime | None = None
) -> ContentMeasure:
    """Hide content at once in an urgent category; it lapses unless a jury confirms it in time,
    or, for personal data, holds until the case is decided (no ``lapses_at``, no lapse task).

    The jury is drawn at once (seed: the record as it stands after this entry) so that it can
    confirm the measure before it lapses; it goes on to decide the case after the defence.
    Only a steward (403); then the category is checked, then where the case stands.
    """
    now = now_or(now)
    with transaction.atomic():
        case = case_locked(case)
        member_on_case(user, case, "tribunal.take_interim_measure", who_only=True)
        settings = selectors.tribunal_settings_of(case.organisation)
        if category not in settings.urgent_categories:
            raise TribunalError(_("Interim measures are only for the urgent categories listed."))
        steward = member_on_case(user, case, "tribunal.take_interim_measure")
        held = category in HELD_UNTIL_DECIDED
        measure = ContentMeasure.objects.create(
            organisation=case.organisation,
            kind=case.kind,
            object_id=case.object_id,
            case=case,
            source=MeasureSource.INTERIM,
            category=category,
            taken_by=steward,
            taken_at=now,
            lapses_at=None if held else now + timedelta(hours=settings.interim_hours),
        )
        case.acting_stewards = sorted({*case.acting_stewards, steward.pk})
        case.save(update_fields=["acting_stewards"])
        record_append(
            organisation=case.organisation,
            actor=steward,
            action=Action.INTERIM_MEASURE_TAKEN,
            subject=case_subject(case),
            payload=interim_measure_facts(
                case.kind,
                case.object_id,
                category,
                measure.lapses_at.isoformat() if measure.lapses_at else None,
            ),
        )
        member_notify(
            case.accused,
            case,
            "interim_measure_held" if held else "interim_measure",
            _("Case %(number)s: content hidden by an interim measure") % {"number": case.number},
        )
        if not case.juries.exists():
            jury_draw_or_wait(case, now)
        if measure.lapses_at is not None:
            task_after_commit(interim_lapse_task, measure.pk, run_after=measure.lapses_at)
    return measure


def interim_measure_confirm(
    *, user: Any, case: Case, confirm: bool, now: datetime | None = None
) -> ContentMeasure:
    """A juror's vote to confirm or lift the interim measure; a majority of the jury decides."""
    now = now_or(now)
    with transaction.atomic():
        member = member_on_case(user, case, "tribunal.confirm_interim_measure")
        juror = juror_locked(case, member, Round.FIRST)
        measure = (
            ContentMeasure.objects.select_for_update()
            .filter(case=case, source=MeasureSource.INTERIM, ended_at__isnull=True)
            .first()
        )
        if measure is None or measure.confirmed_at is not None:  # decided meanwhile
            raise TribunalError(_("There is no interim measure awaiting the jury."))
        if not measure.held_until_decided and measure.lapses_at and measure.lapses_at <= now:
            raise TribunalError(_("The interim measure has lapsed."))
        juror.confirms_interim = confirm
        juror.save(update_fields=["confirms_interim"])
        sitting = list(juror.jury.jurors.filter(recused_at__isnull=True))
        yes = sum(1 for j in sitting if j.confirms_interim is True)
        no = sum(1 for j in sitting if j.confirms_interim is False)
        if 2 * yes > len(sitting):
            measure.confirmed_at = now
            measure.save(update_fields=["confirmed_at"])
            record_append(
                organisation=case.organisation,
                actor=None,
                action=Action.INTERIM_MEASURE_CONFIRMED,
                subject=case_subject(case),
                payload=interim_votes(yes, no, len(sitting)),
            )
        elif 2 * no >= len(sitting):
            measure_end(measure, "lifted", now)
            record_append(
                organisation=case.organisation,
                actor=None,
                action=Action.INTERIM_MEASURE_LIFTED,
                subject=case_subject(case),
                payload=interim_votes(yes, no, len(sitting)),
            )
    return measure


def interim_measures_lapse_due(*, now: datetime, measure_id: int | None = None) -> int:
    """Restore content whose interim measure no jury confirmed in time; idempotent. A measure
    held until the case is decided has no ``lapses_at`` and is never due."""
    due = ContentMeasure.objects.filter(
        source=MeasureSource.INTERIM,
        ended_at__isnull=True,
        confirmed_at__isnull=True,
        lapses_at__lte=now,
    ).exclude(category__in=HELD_UNTIL_DECIDED)
    if measure_id is not None:
        due = due.filter(pk=measure_id)
    count = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            measure = (
                ContentMeasure.objects.select_for_update()
                .select_related("case__organisation")
                .get(pk=pk)
            )
            if measure.ended_at is not None or measure.confirmed_at is not None:
                continue  # decided meanwhile
            measure_end(measure, "lapsed", now)
            record_append(
                organisation=measure.case.organisation,
                actor=None,
                action=Action.INTERIM_MEASURE_LAPSED,
                subject=case_subject(measure.case),
                payload=content_facts(measure.kind, measure.object_id),
            )
            count += 1
    return count
