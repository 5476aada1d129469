"""A report opens a case; a steward may dismiss it, and its reporter ask for a jury anyway; any
member may declare a conflict of interest in it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.kernel.access import member_for
from parrhesia.kernel.content import ContentKind, UnknownContent, reportable_of
from parrhesia.kernel.deferred import task_after_commit
from parrhesia.methods.jury import JuryTooSmall
from parrhesia.methods.record.sealed import Sealed
from parrhesia.orgs.models import ConductCode, Membership, Organisation, Role
from parrhesia.orgs.selectors import conduct_code_current
from parrhesia.record.services import record_append
from parrhesia.tribunal import selectors
from parrhesia.tribunal.actions import Action
from parrhesia.tribunal.models import Case, ConflictDeclaration, ContentMeasure, Phase
from parrhesia.tribunal.notices import case_opened_notify
from parrhesia.tribunal.services._shared import (
    TribunalError,
    case_locked,
    case_subject,
    measure_end,
    member_notify,
    member_on_case,
    now_or,
)
from parrhesia.tribunal.services.defence import defence_close
from parrhesia.tribunal.services.juries import juror_unseat, sitting_seat
from parrhesia.tribunal.tasks import defence_close_task


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
    now = now_or(now)
    if not description.strip():
        raise TribunalError(_("Describe what happened."))
    with transaction.atomic():
        reporter = member_for(user, organisation, "tribunal.report")
        reportable, target, accused = _reported(organisation, kind, object_id, reporter)
        code, rules = _rules_in_force(organisation, rules)
        settings = selectors.tribunal_settings_of(organisation)
        case = Case.objects.create(
            organisation=organisation,
            number=_number_next(organisation),
            kind=kind,
            object_id=str(target.pk),
            summary=reportable.summary_of(target)[:200],
            accused=accused,
            accused_pseudonym=(reportable.pseudonym_of(target) or "")
            if reportable.pseudonym_of and accused is not None
            else "",
            reporter=reporter,
            anonymity_requested=anonymous,
            rules_cited=rules,
            code_version=code.version if code else 0,
            description=description,
            evidence=evidence,
            opened_at=now,
            defence_deadline=now + timedelta(days=settings.defence_days),
        )
        record_append(
            organisation=organisation,
            actor=None if anonymous else reporter,
            action=Action.CASE_OPENED,
            subject=case_subject(case),
            payload=_opened_facts(case, reporter),
        )
        member_notify(
            accused,
            case,
            "case_reported",
            _("Case %(number)s: you have been reported") % {"number": case.number},
            deadline=case.defence_deadline.isoformat(),
        )
        case_opened_notify(case)
        task_after_commit(defence_close_task, case.pk, run_after=case.defence_deadline)
    return case


def _reported(
    organisation: Organisation, kind: str, object_id: Any, reporter: Membership
) -> tuple[ContentKind, Any, Membership | None]:
    """What is reported (of this organisation), and the member it is about (never the reporter)."""
    reportable = reportable_of(kind)
    target = reportable.get(object_id)
    if reportable.organisation_of(target).pk != organisation.pk:
        raise UnknownContent(f"no {kind} {object_id} in {organisation.slug}")
    accused = reportable.author_of(target)
    if accused is not None and accused.pk == reporter.pk:
        raise TribunalError(_("You cannot report yourself."))
    return reportable, target, accused


def _rules_in_force(
    organisation: Organisation, rules: list[int]
) -> tuple[ConductCode | None, list[int]]:
    """The code of conduct in force, and the cited rules (sorted) if it has them all."""
    code = conduct_code_current(organisation)
    numbers = {rule["number"] for rule in code.rules} if code else set()
    rules = sorted(set(rules))
    if not rules or not set(rules) <= numbers:
        raise TribunalError(_("Cite one or more rules of the code of conduct in force."))
    return code, rules


def _number_next(organisation: Organisation) -> int:
    """The next case number: numbers run without gaps or duplicates, so reports of one
    organisation queue here (on its row) until the transaction ends."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    last = Case.objects.filter(organisation=organisation).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def _opened_facts(case: Case, reporter: Membership) -> dict[str, Any]:
    """The ``case.opened`` entry: never the reporter who asked for anonymity, nor the author of
    content published under a pseudonym (then ``accused`` is null and ``pseudonym`` says whose
    the content is, as its own entry did)."""
    anonymous = case.anonymity_requested
    if anonymous:
        initiator = "anonymous"
    else:
        initiator = "steward" if reporter.role in (Role.STEWARD, Role.ADMIN) else "member"
    pseudonym = {"pseudonym": case.accused_pseudonym} if case.accused_hidden else {}
    return {
        "kind": case.kind,
        "object_id": case.object_id,
        "summary": Sealed(case.summary),
        "accused": None if case.accused_hidden else case.accused_id,
        **pseudonym,
        "reporter": None if anonymous else reporter.pk,
        "initiator": initiator,
        "anonymity_requested": anonymous,
        "rules": case.rules_cited,
        "code_version": case.code_version,
        "description": Sealed(case.description),
        "evidence": Sealed(case.evidence),
        "defence_deadline": case.defence_deadline.isoformat(),
    }


def case_dismiss(*, user: Any, case: Case, reason: str) -> Case:
    """A steward dismisses a report as manifestly outside the rules; the reason is public."""
    if not reason.strip():
        raise TribunalError(_("Dismissing a report needs a written reason."))
    with transaction.atomic():
        case = case_locked(case)
        steward = member_on_case(user, case, "tribunal.dismiss")
        case.phase = Phase.DISMISSED
        case.dismissal_reason = reason
        case.acting_stewards = sorted({*case.acting_stewards, steward.pk})
        case.save(update_fields=["phase", "dismissal_reason", "acting_stewards"])
        for measure in ContentMeasure.objects.filter(case=case, ended_at__isnull=True):
            measure_end(measure, "lifted", timezone.now())
        record_append(
            organisation=case.organisation,
            actor=steward,
            action=Action.CASE_DISMISSED,
            subject=case_subject(case),
            payload={"reason": Sealed(reason)},
        )
        member_notify(
            case.reporter,
            case,
            "case_dismissed",
            _("Case %(number)s: your report was dismissed") % {"number": case.number},
        )
    return case


def case_jury_request(*, user: Any, case: Case, now: datetime | None = None) -> Case:
    """The reporter asks for a jury anyway after a dismissal: the case goes on."""
    now = now_or(now)
    with transaction.atomic():
        case = case_locked(case)
        member = member_on_case(user, case, "tribunal.request_jury")
        case.phase = Phase.DEFENCE
        case.save(update_fields=["phase"])
        record_append(
            organisation=case.organisation,
            actor=None if case.reporter_hidden else member,
            action=Action.CASE_JURY_REQUESTED,
            subject=case_subject(case),
            payload={},
        )
        if case.defence_deadline <= now:
            defence_close(case, now, "deadline")
    return case


def conflict_declare(*, user: Any, case: Case, reason: str) -> ConflictDeclaration:
    """A member declares a conflict of interest: they will not be drawn for this case."""
    if not reason.strip():
        raise TribunalError(_("Say what the conflict is."))
    with transaction.atomic():
        case = case_locked(case)
        member = member_on_case(user, case, "tribunal.declare_conflict")
        declaration, created = ConflictDeclaration.objects.get_or_create(
            case=case, member=member, defaults={"reason": reason}
        )
        if not created:  # declared meanwhile (a second tab)
            raise TribunalError(_("You have already declared a conflict in this case."))
        record_append(
            organisation=case.organisation,
            actor=member,
            action=Action.CONFLICT_DECLARED,
            subject=case_subject(case),
            payload={"member": member.pk, "reason": Sealed(reason)},
        )
        seat = sitting_seat(case, member.pk)
        if seat is not None:  # a juror with a conflict may not go on sitting
            try:
                juror_unseat(case, seat, timezone.now(), why="conflict")
            except JuryTooSmall:
                raise TribunalError(
                    _("No eligible member is left to take your seat on the jury.")
                ) from None
    return declaration
