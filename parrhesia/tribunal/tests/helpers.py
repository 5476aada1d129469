"""Steps of a case that several tests share."""

from __future__ import annotations

from typing import Any

from parrhesia.tribunal import selectors, services
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
        services.jury_vote(
            user=user,
            case=case,
            breaches={rule: breached for rule in case.rules_cited},
            sanction=sanction,
            suspension_days=days if sanction == Sanction.SUSPENSION else 0,
            reasons=f"{user.username} weighed the evidence.",
        )
    return case_reload(case)
