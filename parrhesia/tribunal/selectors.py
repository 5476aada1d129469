"""Reads of the tribunal, including the ones other apps call (hidden content, suspensions)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from parrhesia.orgs.models import Membership, MembershipStatus, Organisation
from parrhesia.orgs.rules import active_membership
from parrhesia.tribunal.models import (
    Case,
    ConflictDeclaration,
    ContentMeasure,
    Juror,
    Jury,
    Suspension,
    TribunalSettings,
)


def tribunal_settings_of(organisation: Organisation) -> TribunalSettings:
    found = TribunalSettings.objects.filter(organisation=organisation).first()
    return found or TribunalSettings(organisation=organisation)


# --- for every app: hidden content and suspended members -----------------------------------


def hidden_measure(kind: str, object_id: Any) -> ContentMeasure | None:
    """The measure hiding this piece of content now, if any (with its case)."""
    return hidden_measures(kind, [object_id]).get(str(object_id))


def hidden_measures(kind: str, object_ids: Iterable[Any]) -> dict[str, ContentMeasure]:
    """``{object id (str): measure}`` for those of the ids that are hidden now; one query."""
    ids = [str(object_id) for object_id in object_ids]
    if not ids:
        return {}
    measures = (
        ContentMeasure.objects.filter(kind=kind, object_id__in=ids, ended_at__isnull=True)
        .select_related("case__organisation")
        .order_by("taken_at")
    )
    return {measure.object_id: measure for measure in measures}


def member_is_suspended(membership: Membership | None, now: datetime | None = None) -> bool:
    """Whether a verdict suspended this member from posting at ``now``."""
    if membership is None:
        return False
    now = now or timezone.now()
    return Suspension.objects.filter(
        member=membership, starts_at__lte=now, ends_at__gt=now, lifted_at__isnull=True
    ).exists()


def posting_allowed(user: Any, organisation: Organisation, now: datetime | None = None) -> bool:
    """Whether the user may post in the organisation: an active member, not suspended.

    Every service that creates content (motions, arguments, statements, comments…) calls this
    and refuses otherwise; a suspended member can still read, vote and defend themselves.
    """
    membership = active_membership(user, organisation)
    return membership is not None and not member_is_suspended(membership, now)


def suspensions_active(organisation: Organisation, now: datetime | None = None) -> QuerySet:
    now = now or timezone.now()
    return Suspension.objects.filter(
        member__organisation=organisation, ends_at__gt=now, lifted_at__isnull=True
    )


# --- the docket ------------------------------------------------------------------------------


def cases_docket(organisation: Organisation) -> QuerySet[Case]:
    """The organisation's cases, each with ``jury_deadline``: when its sitting jury must decide,
    and ``jury_stuck``: whether that jury waits for eligible members (its deadline is past)."""
    sitting = Jury.objects.filter(case=OuterRef("pk"), decided_at__isnull=True)
    return (
        Case.objects.filter(organisation=organisation)
        .select_related("accused__user")
        .annotate(
            jury_deadline=Subquery(sitting.values("deliberation_deadline")[:1]),
            jury_stuck=Exists(sitting.filter(stuck_at__isnull=False)),
        )
    )


def case_get(organisation: Organisation, number: int) -> Case:
    case = (
        Case.objects.filter(organisation=organisation, number=number)
        .select_related("accused__user", "reporter__user", "organisation")
        .prefetch_related(
            Prefetch(
                "juries",
                queryset=Jury.objects.prefetch_related(
                    Prefetch("jurors", queryset=Juror.objects.select_related("member__user"))
                ),
            )
        )
        .first()
    )
    if case is None:
        raise Http404
    return case


def jury_current(case: Case) -> Jury | None:
    """The jury that has the case now: the appeal jury if there is one, else the first."""
    juries = sorted(case.juries.all(), key=lambda jury: jury.round != "appeal")
    return juries[0] if juries else None


def jury_first(case: Case) -> Jury | None:
    return next((jury for jury in case.juries.all() if jury.round == "jury"), None)


def juror_seat(jury: Jury | None, membership: Membership | None) -> Juror | None:
    if jury is None or membership is None:
        return None
    return next((j for j in jury.jurors.all() if j.member_id == membership.pk and j.sitting), None)


def eligible_member_ids(case: Case, now: datetime, exclude: Iterable[int] = ()) -> list[int]:
    """Members who may sit on the case's jury now (docs/tribunal.md §4), sorted."""
    settings = tribunal_settings_of(case.organisation)
    candidates = set(
        Membership.objects.filter(
            organisation=case.organisation,
            status=MembershipStatus.ACTIVE,
            joined_at__lte=now - timedelta(days=settings.min_membership_days),
        ).values_list("pk", flat=True)
    )
    busy = Juror.objects.filter(
        recused_at__isnull=True, jury__decided_at__isnull=True, member__in=candidates
    ).exclude(jury__case=case)
    suspended = Suspension.objects.filter(
        member__in=candidates, starts_at__lte=now, ends_at__gt=now, lifted_at__isnull=True
    )
    conflicted = ConflictDeclaration.objects.filter(case=case)
    excluded = (
        case.party_ids
        | {int(member) for member in case.acting_stewards}
        | set(exclude)
        | set(busy.values_list("member_id", flat=True))
        | set(suspended.values_list("member_id", flat=True))
        | set(conflicted.values_list("member_id", flat=True))
    )
    return sorted(candidates - excluded)


def transparency_of(organisation: Organisation) -> dict[str, Any]:
    """The transparency report from the organisation's record entries (as an export has them)."""
    import json

    from parrhesia.record.models import RecordEntry
    from parrhesia.tribunal.transparency import ACTIONS, transparency_report

    rows = (
        RecordEntry.objects.filter(organisation=organisation, action__in=ACTIONS)
        .order_by("seq")
        .values_list("canonical", flat=True)
    )
    return transparency_report(json.loads(bytes(data)) for data in rows)
