"""Every write of the tribunal up to the jury's decision: one function per step, each on the record.

The settings, the report and its dismissal, conflicts of interest, interim measures and the
defence. Each runs in one transaction, checks permission, and appends its entry to the
organisation's public record in that same transaction — except what anonymity protects: a reporter
whose identity is withheld is never an actor or a payload member of any entry.

The guarantee the tribunal is built around: no verdict (hence no final sanction) without the
defence period having closed — by its deadline or because the accused said they had answered.
The period closes here (``_defence_close``); the jury's votes and the verdict check it in
``verdicts.py``.

Juries — their draw, recusals, deadlines and the replacement of jurors who do not vote — are in
``juries.py``; what the jury decides — the room, anonymity, votes, the verdict and its sanctions,
the appeal — in ``verdicts.py``; what every step shares (the error, the acting member, notices)
in ``procedure.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.kernel.content import UnknownContent, reportable_of
from parrhesia.orgs.models import Membership, Organisation, Role
from parrhesia.orgs.selectors import conduct_code_current
from parrhesia.record.services import record_append
from parrhesia.tribunal import selectors
from parrhesia.tribunal.juries import _deliberation_deadline_set, _juror, _jury_draw_or_wait
from parrhesia.tribunal.models import (
    Case,
    ConflictDeclaration,
    ContentMeasure,
    Defence,
    MeasureSource,
    Phase,
    Round,
    TribunalSettings,
)
from parrhesia.tribunal.procedure import (
    TribunalError,
    _after_commit_enqueue,
    _locked,
    _measure_end,
    _member,
    _notify,
    _now,
    _subject,
)

# --- settings --------------------------------------------------------------------------------


def tribunal_settings_change(
    *,
    user: Any,
    organisation: Organisation,
    jury_size: int,
    defence_days: int,
    urgent_categories: list[str],
    reason: str,
    min_membership_days: int = 30,
    jury_days: int | None = None,
) -> TribunalSettings:
    """Change the settings, on the record; ``jury_days=None`` keeps the jury's time to decide."""
    if jury_size < 1 or jury_size % 2 == 0:
        raise TribunalError(_("A jury has an odd number of jurors."))
    if not 1 <= defence_days <= 60:
        raise TribunalError(_("The defence period is 1 to 60 days."))
    if jury_days is not None and not 2 <= jury_days <= 60:
        raise TribunalError(_("A jury has 2 to 60 days to decide."))
    if not reason.strip():
        raise TribunalError(_("Say why the tribunal's settings change."))
    with transaction.atomic():
        admin = _member(user, organisation, "tribunal.change_settings")
        settings, _created = TribunalSettings.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        settings.jury_size = jury_size
        settings.defence_days = defence_days
        settings.min_membership_days = min_membership_days
        if jury_days is not None:
            settings.jury_days = jury_days
        settings.urgent_categories = list(urgent_categories)
        settings.save()
        record_append(
            organisation=organisation,
            actor=admin,
            action="tribunal.settings_changed",
            subject=("tribunal", organisation.slug),
            payload={
                "jury_size": jury_size,
                "appeal_jury_size": settings.appeal_jury_size,
                "defence_days": defence_days,
                "min_membership_days": min_membership_days,
                "jury_days": settings.jury_days,
                "urgent_categories": list(urgent_categories),
                "reason": reason,
            },
        )
    return settings


# --- report, dismissal ------------------------------------------------------------------------


def report_file(
    *,
    user: Any,
    organisation: Organisation,
    kind: str,
    object_id: Any,
    rules: list[int],
    description: str,
    evidence: str = "",
    anonymous: bool = False,
    now: datetime | None = None,
) -> Case:
    """Report content or conduct: this opens a case on the docket and gives notice at once."""
    now = _now(now)
    if not description.strip():
        raise TribunalError(_("Describe what happened."))
    with transaction.atomic():
        reporter = _member(user, organisation, "tribunal.report")
        reportable = reportable_of(kind)
        target = reportable.get(object_id)
        if reportable.organisation_of(target).pk != organisation.pk:
            raise UnknownContent(f"no {kind} {object_id} in {organisation.slug}")
        accused = reportable.author_of(target)
        if accused is not None and accused.pk == reporter.pk:
            raise TribunalError(_("You cannot report yourself."))
        code = conduct_code_current(organisation)
        numbers = {rule["number"] for rule in code.rules} if code else set()
        rules = sorted(set(rules))
        if not rules or not set(rules) <= numbers:
            raise TribunalError(_("Cite one or more rules of the code of conduct in force."))
        settings = selectors.tribunal_settings_of(organisation)
        # Case numbers run without gaps or duplicates: reports of one organisation queue here.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        number = (
            Case.objects.filter(organisation=organisation).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        case = Case.objects.create(
            organisation=organisation,
            number=number,
            kind=kind,
            object_id=str(target.pk),
            summary=reportable.summary_of(target)[:200],
            accused=accused,
            reporter=reporter,
            anonymity_requested=anonymous,
            rules_cited=rules,
            code_version=code.version if code else 0,
            description=description,
            evidence=evidence,
            opened_at=now,
            defence_deadline=now + timedelta(days=settings.defence_days),
        )
        if anonymous:
            initiator = "anonymous"
        else:
            initiator = "steward" if reporter.role in (Role.STEWARD, Role.ADMIN) else "member"
        record_append(
            organisation=organisation,
            actor=None if anonymous else reporter,
            action="case.opened",
            subject=_subject(case),
            payload={
                "kind": kind,
                "object_id": case.object_id,
                "summary": case.summary,
                "accused": accused.pk if accused else None,
                "reporter": None if anonymous else reporter.pk,
                "initiator": initiator,
                "anonymity_requested": anonymous,
                "rules": rules,
                "code_version": case.code_version,
                "description": description,
                "evidence": evidence,
                "defence_deadline": case.defence_deadline.isoformat(),
            },
        )
        _notify(
            accused,
            case,
            "case_reported",
            _("Case %(number)s: you have been reported") % {"number": number},
            deadline=case.defence_deadline.isoformat(),
        )
        _after_commit_enqueue("defence_close_task", case.defence_deadline, case.pk)
    return case


def case_dismiss(*, user: Any, case: Case, reason: str) -> Case:
    """A steward dismisses a report as manifestly outside the rules; the reason is public."""
    if not reason.strip():
        raise TribunalError(_("Dismissing a report needs a written reason."))
    with transaction.atomic():
        steward = _member(user, case.organisation, "tribunal.dismiss")
        case = _locked(case)
        if case.phase != Phase.DEFENCE or case.juries.exists():
            raise TribunalError(_("Only a report that no jury has yet can be dismissed."))
        if steward.pk in case.party_ids:
            raise TribunalError(_("A party cannot dismiss their own case."))
        case.phase = Phase.DISMISSED
        case.dismissal_reason = reason
        case.acting_stewards = sorted({*case.acting_stewards, steward.pk})
        case.save(update_fields=["phase", "dismissal_reason", "acting_stewards"])
        for measure in ContentMeasure.objects.filter(case=case, ended_at__isnull=True):
            _measure_end(measure, "lifted", timezone.now())
        record_append(
            organisation=case.organisation,
            actor=steward,
            action="case.dismissed",
            subject=_subject(case),
            payload={"reason": reason},
        )
        _notify(
            case.reporter,
            case,
            "case_dismissed",
            _("Case %(number)s: your report was dismissed") % {"number": case.number},
        )
    return case


def case_jury_request(*, user: Any, case: Case, now: datetime | None = None) -> Case:
    """The reporter asks for a jury anyway after a dismissal: the case goes on."""
    now = _now(now)
    with transaction.atomic():
        member = _member(user, case.organisation, "tribunal.act_on_case")
        case = _locked(case)
        if member.pk != case.reporter_id:
            raise PermissionDenied
        if case.phase != Phase.DISMISSED:
            raise TribunalError(_("Only a dismissed report can be sent to a jury anyway."))
        case.phase = Phase.DEFENCE
        case.save(update_fields=["phase"])
        record_append(
            organisation=case.organisation,
            actor=None if case.reporter_hidden else member,
            action="case.jury_requested",
            subject=_subject(case),
            payload={},
        )
        if case.defence_deadline <= now:
            _defence_close(case, now, "deadline")
    return case


def conflict_declare(*, user: Any, case: Case, reason: str) -> ConflictDeclaration:
    """A member declares a conflict of interest: they will not be drawn for this case."""
    if not reason.strip():
        raise TribunalError(_("Say what the conflict is."))
    with transaction.atomic():
        member = _member(user, case.organisation, "tribunal.act_on_case")
        declaration, created = ConflictDeclaration.objects.get_or_create(
            case=case, member=member, defaults={"reason": reason}
        )
        if not created:
            raise TribunalError(_("You have already declared a conflict in this case."))
        record_append(
            organisation=case.organisation,
            actor=member,
            action="jury.conflict_declared",
            subject=_subject(case),
            payload={"member": member.pk, "reason": reason},
        )
    return declaration


# --- interim measures ---------------------------------------------------------------------------


def interim_measure_take(
    *, user: Any, case: Case, category: str, now: datetime | None = None
) -> ContentMeasure:
    """Hide content at once in an urgent category; it lapses unless a jury confirms it in time.

    The jury is drawn at once (seed: the record as it stands after this entry) so that it can
    confirm the measure before it lapses; it goes on to decide the case after the defence.
    """
    now = _now(now)
    with transaction.atomic():
        steward = _member(user, case.organisation, "tribunal.interim_measure")
        case = _locked(case)
        settings = selectors.tribunal_settings_of(case.organisation)
        if category not in settings.urgent_categories:
            raise TribunalError(_("Interim measures are only for the urgent categories listed."))
        if not reportable_of(case.kind).hideable:
            raise TribunalError(_("This kind of case cannot be hidden."))
        if case.phase != Phase.DEFENCE:
            raise TribunalError(_("An interim measure is only taken before the jury decides."))
        if steward.pk in case.party_ids:
            raise TribunalError(_("A party cannot take an interim measure in their own case."))
        if selectors.hidden_measure(case.kind, case.object_id) is not None:
            raise TribunalError(_("This content is already hidden."))
        measure = ContentMeasure.objects.create(
            organisation=case.organisation,
            kind=case.kind,
            object_id=case.object_id,
            case=case,
            source=MeasureSource.INTERIM,
            category=category,
            taken_by=steward,
            taken_at=now,
            lapses_at=now + timedelta(hours=settings.interim_hours),
        )
        case.acting_stewards = sorted({*case.acting_stewards, steward.pk})
        case.save(update_fields=["acting_stewards"])
        record_append(
            organisation=case.organisation,
            actor=steward,
            action="interim_measure.taken",
            subject=_subject(case),
            payload={
                "kind": case.kind,
                "object_id": case.object_id,
                "category": category,
                "lapses_at": measure.lapses_at.isoformat(),
            },
        )
        _notify(
            case.accused,
            case,
            "interim_measure",
            _("Case %(number)s: content hidden by an interim measure") % {"number": case.number},
        )
        if not case.juries.exists():
            _jury_draw_or_wait(case, now)
        _after_commit_enqueue("interim_lapse_task", measure.lapses_at, measure.pk)
    return measure


def interim_measure_confirm(
    *, user: Any, case: Case, confirm: bool, now: datetime | None = None
) -> ContentMeasure:
    """A juror's vote to confirm or lift the interim measure; a majority of the jury decides."""
    now = _now(now)
    with transaction.atomic():
        juror = _juror(user, case, Round.FIRST)
        measure = (
            ContentMeasure.objects.select_for_update()
            .filter(case=case, source=MeasureSource.INTERIM, ended_at__isnull=True)
            .first()
        )
        if measure is None or measure.confirmed_at is not None:
            raise TribunalError(_("There is no interim measure awaiting the jury."))
        if measure.lapses_at and measure.lapses_at <= now:
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
                action="interim_measure.confirmed",
                subject=_subject(case),
                payload={"for": yes, "against": no, "jurors": len(sitting)},
            )
        elif 2 * no >= len(sitting):
            _measure_end(measure, "lifted", now)
            record_append(
                organisation=case.organisation,
                actor=None,
                action="interim_measure.lifted",
                subject=_subject(case),
                payload={"for": yes, "against": no, "jurors": len(sitting)},
            )
    return measure


def interim_measures_lapse_due(*, now: datetime, measure_id: int | None = None) -> int:
    """Restore content whose interim measure no jury confirmed in time; idempotent."""
    due = ContentMeasure.objects.filter(
        source=MeasureSource.INTERIM,
        ended_at__isnull=True,
        confirmed_at__isnull=True,
        lapses_at__lte=now,
    )
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
                continue
            _measure_end(measure, "lapsed", now)
            record_append(
                organisation=measure.case.organisation,
                actor=None,
                action="interim_measure.lapsed",
                subject=_subject(measure.case),
                payload={"kind": measure.kind, "object_id": measure.object_id},
            )
            count += 1
    return count


# --- defence ---------------------------------------------------------------------------------


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
    now = _now(now)
    if not statement.strip():
        raise TribunalError(_("Write the statement of your defence."))
    with transaction.atomic():
        member = _member(user, case.organisation, "tribunal.act_on_case")
        case = _locked(case)
        existing = Defence.objects.filter(case=case).first()
        if member.pk != case.accused_id and not (existing and existing.advocate_id == member.pk):
            raise PermissionDenied
        if case.phase not in (Phase.DEFENCE, Phase.DISMISSED) or case.defence_closed_at:
            raise TribunalError(_("The defence period is closed."))
        if advocate is not None and (
            advocate.organisation_id != case.organisation_id
            or not advocate.is_active
            or advocate.pk in (case.accused_id, case.reporter_id)
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
        record_append(
            organisation=case.organisation,
            actor=member,
            action="defence.filed",
            subject=_subject(case),
            payload={
                "statement": statement,
                "evidence": evidence,
                "advocate": defence.advocate_id,
                "answered": answered,
            },
        )
        if answered and case.phase == Phase.DEFENCE:
            _defence_close(case, now, "answered")
    return defence


def defence_extend(*, user: Any, case: Case) -> Case:
    """One extension of the defence period, on the accused's request."""
    with transaction.atomic():
        member = _member(user, case.organisation, "tribunal.act_on_case")
        case = _locked(case)
        if member.pk != case.accused_id:
            raise PermissionDenied
        if case.defence_closed_at or case.phase != Phase.DEFENCE:
            raise TribunalError(_("The defence period is closed."))
        if case.defence_extended:
            raise TribunalError(_("The defence period has already been extended once."))
        settings = selectors.tribunal_settings_of(case.organisation)
        case.defence_deadline += timedelta(days=settings.defence_days)
        case.defence_extended = True
        case.save(update_fields=["defence_deadline", "defence_extended"])
        record_append(
            organisation=case.organisation,
            actor=member,
            action="defence.extended",
            subject=_subject(case),
            payload={"defence_deadline": case.defence_deadline.isoformat()},
        )
        _after_commit_enqueue("defence_close_task", case.defence_deadline, case.pk)
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
            _defence_close(case, now, "deadline")
            count += 1
    return count


def _defence_close(case: Case, now: datetime, why: str) -> None:
    case.defence_closed_at = now
    case.phase = Phase.DELIBERATION
    case.save(update_fields=["defence_closed_at", "phase"])
    record_append(
        organisation=case.organisation,
        actor=None,
        action="defence.closed",
        subject=_subject(case),
        payload={"why": why},
    )
    jury = case.juries.filter(round=Round.FIRST).first()
    if jury is None:
        _jury_draw_or_wait(case, now)  # gives the jury its deadline
    else:  # drawn earlier to confirm an interim measure: it may vote from now on
        settings = selectors.tribunal_settings_of(case.organisation)
        _deliberation_deadline_set(case, jury, now, days=settings.jury_days, why="defence_closed")
