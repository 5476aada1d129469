"""The tribunal's demo step: a decided case, an appealed case, and an interim measure that lapsed.

The demo organisation has 8 members. A jury of N and an appeal jury of 2N+1 sharing no one, with
two parties left out, need 3N+3 members, so the demo sits juries of 1 (appeals: 3); a real
organisation keeps the default of 5 (appeals: 11) once it has 18 or more long-standing members.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from parrhesia.accounts.models import User
from parrhesia.orgs.models import JoinRequest, Membership, Organisation


def _sitting(case, round: str) -> list[User]:
    from parrhesia.tribunal.models import Juror

    return [
        juror.member.user
        for juror in Juror.objects.filter(
            jury__case=case, jury__round=round, recused_at__isnull=True
        ).select_related("member__user")
    ]


def _vote(case, round: str, sanctions: list[str], reasons: list[str]) -> None:
    from parrhesia.tribunal import verdicts

    for user, sanction, why in zip(_sitting(case, round), sanctions, reasons, strict=False):
        verdicts.jury_vote(
            user=user,
            case=case,
            breaches={rule: sanction != "none" for rule in case.rules_cited},
            sanction=sanction,
            suspension_days=7 if sanction == "suspension" else 0,
            reasons=why,
        )


def seed(organisation: Organisation, people: dict[str, User]) -> None:
    from parrhesia.tribunal import services, verdicts
    from parrhesia.tribunal.models import Case

    if Case.objects.filter(organisation=organisation).exists():
        return
    # Jurors must have been members for 30 days: the demo's founders joined "two months ago".
    Membership.objects.filter(
        organisation=organisation, joined_at__gt=timezone.now() - timedelta(days=30)
    ).update(joined_at=timezone.now() - timedelta(days=60))
    services.tribunal_settings_change(
        user=people["alice"],
        organisation=organisation,
        jury_size=1,
        defence_days=5,
        urgent_categories=["personal_data", "threats_of_violence", "unlawful_content"],
        reason="Eight members: juries of one, appeals of three, until we are more.",
    )

    def member(username: str) -> Membership:
        return Membership.objects.get(organisation=organisation, user=people[username])

    # 1. A decided case: a warning.
    decided = services.report_file(
        user=people["carol"],
        organisation=organisation,
        kind="member",
        object_id=member("dave").pk,
        rules=[1],
        description="Dave called the people of block B 'freeloaders' at the rent meeting.",
        evidence="Minutes of the 3 March meeting, item 4.",
    )
    services.defence_file(
        user=people["dave"],
        case=decided,
        statement="I was angry about the arrears, not at anyone. I apologise to block B.",
        answered=True,
    )
    _vote(
        Case.objects.get(pk=decided.pk),
        "jury",
        ["warning"],
        ["Rule 1 was breached, but the apology and a first offence call for a warning only."],
    )

    # 2. An appealed case: a suspension reduced to a warning on appeal.
    appealed = services.report_file(
        user=people["erin"],
        organisation=organisation,
        kind="member",
        object_id=member("frank").pk,
        rules=[1],
        description="Frank mocked Erin's accent in three replies about the heating petition.",
    )
    services.defence_file(
        user=people["frank"],
        case=appealed,
        statement="It was meant as a joke between neighbours.",
        answered=True,
    )
    _vote(
        Case.objects.get(pk=appealed.pk),
        "jury",
        ["suspension"],
        ["Three replies, after being asked to stop: a week without posting."],
    )
    verdicts.appeal_file(
        user=people["frank"],
        case=Case.objects.get(pk=appealed.pk),
        material="I apologised to Erin in person the next day; she accepted.",
    )
    _vote(
        Case.objects.get(pk=appealed.pk),
        "appeal",
        ["warning", "warning", "suspension"],
        [
            "The breach is clear; the apology makes a suspension disproportionate.",
            "A warning suffices after a sincere apology.",
            "Dissent: being asked to stop and going on deserves the week.",
        ],
    )

    # 3. An interim measure that no jury confirmed in time: it lapsed, the content is back.
    request = JoinRequest.objects.filter(organisation=organisation).first()
    if request is not None:
        urgent = services.report_file(
            user=people["grace"],
            organisation=organisation,
            kind="join_request",
            object_id=request.pk,
            rules=[2],
            description="The message names a flat in block C; I think that is someone's address.",
        )
        measure = services.interim_measure_take(
            user=people["bob"], case=urgent, category="personal_data"
        )
        assert measure.lapses_at is not None
        services.interim_measures_lapse_due(now=measure.lapses_at)
