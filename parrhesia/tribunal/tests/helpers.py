"""Steps of a case that several tests share."""

from __future__ import annotations

from typing import Any

from parrhesia.tribunal import selectors, services, verdicts
from parrhesia.tribunal.models import Case, Sanction


def case_reload(case: Case) -> Case:
    return selectors.case_get(case.organisation, case.number)


def jurors_of(case: Case, round: str = "jury") -> list[Any]:
    jury = case.juries.get(round=round)
    return [
        j.member.user
        for j in jury.jurors.filter(recused_at__isnull=True).select_related("member__user")
    ]


def all_vote(case: Case, sanctions: list[str], round: str = "jury", days: int = 7) -> Case:
    for user, sanction in zip(jurors_of(case, round), sanctions, strict=True):
        breached = sanction != Sanction.NONE
        verdicts.jury_vote(
            user=user,
            case=case,
            breaches={rule: breached for rule in case.rules_cited},
            sanction=sanction,
            suspension_days=days if sanction == Sanction.SUSPENSION else 0,
            reasons=f"{user.username} weighed the evidence.",
        )
    return case_reload(case)


def court_convene(organisation: Any, admin: Any) -> Any:
    """Give an organisation enough long-standing members for juries of three (appeals of seven):
    twelve more members, everyone's joining dated 60 days back, juries of three."""
    from datetime import timedelta

    from django.utils import timezone

    from parrhesia.accounts.models import User
    from parrhesia.orgs import services as orgs
    from parrhesia.orgs.models import Membership
    from parrhesia.tribunal.services import tribunal_settings_change

    invitation = orgs.invitation_create(user=admin, organisation=organisation)
    for number in range(1, 13):
        user = User.objects.create_user(
            username=f"juror{number}", password="x", display_name=f"Juror {number}"
        )
        orgs.invitation_accept(user=user, token=invitation.token)
    Membership.objects.filter(organisation=organisation).update(
        joined_at=timezone.now() - timedelta(days=60)
    )
    tribunal_settings_change(
        user=admin,
        organisation=organisation,
        jury_size=3,
        defence_days=5,
        urgent_categories=["personal_data", "threats_of_violence", "unlawful_content"],
        reason="A small union: juries of three.",
    )
    return organisation


def content_report(court: Any, reporter: Any, kind: str, obj: Any) -> Case:
    """Report a piece of content for publishing someone's personal data (rule 2)."""
    return services.report_file(
        user=reporter,
        organisation=court,
        kind=kind,
        object_id=obj.pk,
        rules=[2],
        description="Publishes someone's personal data.",
    )


def content_hide_interim(court: Any, reporter: Any, kind: str, obj: Any, steward: Any) -> Case:
    case = content_report(court, reporter, kind, obj)
    services.interim_measure_take(user=steward, case=case, category="personal_data")
    return case


def content_hide_by_verdict(court: Any, reporter: Any, kind: str, obj: Any, accused: Any) -> Case:
    case = content_report(court, reporter, kind, obj)
    services.defence_file(user=accused, case=case, statement="Sorry.", answered=True)
    all_vote(case_reload(case), [Sanction.HIDE] * 3)
    return case
