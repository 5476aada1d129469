"""The tribunal's part of a member's to-do (kernel.todo): the cases they are a party to, the
juries they sit on, and, for stewards, the reports that wait for them.

A row names the case by its number and what is at issue, never a person: a hidden reporter
sees their own case here and nobody else learns of it (the row is theirs alone), and a steward
who is a party to a case gets the party's row, not the steward's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parrhesia.kernel.todo import Todo, todo_register
from parrhesia.orgs.models import Membership
from parrhesia.orgs.rules import holds_steward_powers
from parrhesia.tribunal.models import Case, Juror, Jury, Phase

PARTY_PHASES = [Phase.DEFENCE, Phase.DISMISSED, Phase.DELIBERATION, Phase.APPEAL]


def _case_row(
    case: Case, membership: Membership, uid: str, action: str | Promise, deadline: datetime | None
) -> Todo:
    organisation = membership.organisation
    return Todo(
        uid=uid,
        organisation=organisation,
        kind="case",
        title=gettext("Case %(number)s: %(kind)s")
        % {"number": case.number, "kind": case.kind_label},
        action=action,
        url=reverse("tribunal:case", args=[organisation.slug, case.number]),
        deadline=deadline,
    )


def _party_action(case: Case, member_id: int) -> tuple[str | Promise, datetime | None] | None:
    """What the case asks of this party now, and by when; None if nothing."""
    in_defence = case.defence_closed_at is None
    if case.phase == Phase.DEFENCE and in_defence:
        if case.accused_id == member_id:
            return _("Your defence is due"), case.defence_deadline
        if case.reporter_id == member_id:
            return _("Your report: the defence period runs"), case.defence_deadline
        return _("As advocate: the defence is due"), case.defence_deadline
    if case.phase == Phase.DISMISSED:
        if case.reporter_id == member_id and in_defence:
            return _("Your report was dismissed: you may ask for a jury"), case.defence_deadline
        return None
    if case.phase in (Phase.DELIBERATION, Phase.APPEAL):
        return _("The jury is deciding your case"), case.jury_deadline  # type: ignore[attr-defined]
    return None


def cases_as_party(memberships: Sequence[Membership], now: datetime) -> Iterable[Todo]:
    """One query: the member's cases (accused, reporter, advocate) that still move."""
    member_of = {membership.organisation_id: membership for membership in memberships}
    ids = [membership.pk for membership in memberships]
    sitting = Jury.objects.filter(case=OuterRef("pk"), decided_at__isnull=True)
    cases = (
        Case.objects.filter(organisation_id__in=member_of, phase__in=PARTY_PHASES)
        .filter(Q(accused_id__in=ids) | Q(reporter_id__in=ids) | Q(defence__advocate_id__in=ids))
        .annotate(
            jury_deadline=Subquery(sitting.values("deliberation_deadline")[:1]),
            advocate_id=F("defence__advocate_id"),
        )
        .only(*CASE_FIELDS)
    )
    rows = []
    for case in cases:
        membership = member_of[case.organisation_id]
        found = _party_action(case, membership.pk)
        if found is not None:
            rows.append(_case_row(case, membership, f"case-{case.pk}", *found))
    return rows


CASE_FIELDS = (
    "pk", "organisation_id", "number", "kind", "phase", "accused_id", "reporter_id",
    "defence_deadline", "defence_closed_at",
)  # fmt: skip


def juries_sat_on(memberships: Sequence[Membership], now: datetime) -> Iterable[Todo]:
    """One query: the juries the member sits on that have not decided and await their vote."""
    member_of = {membership.pk: membership for membership in memberships}
    seats = Juror.objects.filter(
        member_id__in=member_of,
        recused_at__isnull=True,
        voted_at__isnull=True,
        jury__decided_at__isnull=True,
    ).select_related("jury__case")
    rows = []
    for seat in seats:
        jury = seat.jury
        deadline = jury.deliberation_deadline
        action = (
            _("Your vote as a juror is due")
            if deadline
            else _("You sit on its jury: it votes once the defence closes")
        )
        rows.append(
            _case_row(jury.case, member_of[seat.member_id], f"jury-{jury.pk}", action, deadline)
        )
    return rows


def reports_for_stewards(memberships: Sequence[Membership], now: datetime) -> Iterable[Todo]:
    """One query (none for a member who is no steward): the reports no jury has yet, which a
    steward may dismiss or act on, in the organisations the member is a steward of, but not
    their own cases."""
    member_of = {
        membership.organisation_id: membership
        for membership in memberships
        if holds_steward_powers(membership.user, membership)
    }
    if not member_of:
        return []
    cases = (
        Case.objects.filter(organisation_id__in=member_of, phase=Phase.DEFENCE)
        .filter(~Exists(Jury.objects.filter(case=OuterRef("pk"))))
        .annotate(advocate_id=F("defence__advocate_id"))
        .only(*CASE_FIELDS)
    )
    rows = []
    for case in cases:
        membership = member_of[case.organisation_id]
        parties = {case.accused_id, case.reporter_id, case.advocate_id}  # type: ignore[attr-defined]
        if membership.pk in parties:
            continue
        rows.append(
            _case_row(
                case,
                membership,
                f"docket-{case.pk}",
                _("A report awaits the stewards"),
                case.defence_deadline,
            )
        )
    return rows


todo_register(cases_as_party)
todo_register(juries_sat_on)
todo_register(reports_for_stewards)
