"""The tribunal's demo step: a decided case, an appealed case, and an interim measure that holds
until its case is decided (personal data).

The demo organisation has 8 members. A jury of N and an appeal jury of 2N+1 sharing no one, with
two parties left out, need 3N+3 members, so the demo sits juries of 1 (appeals: 3); a real
organisation keeps the default of 5 (appeals: 11) once it has 18 or more long-standing members.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from parrhesia.accounts.models import User
from parrhesia.orgs.models import JoinRequest, Membership, Organisation
from parrhesia.tribunal import selectors, services
from parrhesia.tribunal.models import Case


def _vote(case: Case, round: str, sanctions: list[str], reasons: list[str]) -> None:
    sitting = [juror.member.user for juror in selectors.jurors_sitting(case, round)]
    for user, sanction, why in zip(sitting, sanctions, reasons, strict=False):
        services.jury_vote(
            user=user,
            case=case,
            breaches={rule: sanction != "none" for rule in case.rules_cited},
            sanction=sanction,
            suspension_days=7 if sanction == "suspension" else 0,
            reasons=why,
        )


def seed(organisation: Organisation, people: dict[str, User]) -> None:
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
    _case_decided(organisation, people)
    _case_appealed(organisation, people)
    _measure_held(organisation, people)


def _member(organisation: Organisation, people: dict[str, User], username: str) -> Membership:
    return Membership.objects.get(organisation=organisation, user=people[username])


def _case_decided(organisation: Organisation, people: dict[str, User]) -> None:
    """A decided case: a warning."""
    decided = services.report_file(
        user=people["carol"],
        organisation=organisation,
        kind="member",
        object_id=_member(organisation, people, "dave").pk,
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


def _case_appealed(organisation: Organisation, people: dict[str, User]) -> None:
    """An appealed case: a suspension reduced to a warning on appeal."""
    appealed = services.report_file(
        user=people["erin"],
        organisation=organisation,
        kind="member",
        object_id=_member(organisation, people, "frank").pk,
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
    services.appeal_file(
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


def _measure_held(organisation: Organisation, people: dict[str, User]) -> None:
    """An interim measure for personal data: the content stays hidden until the case is decided,
    confirmed by the jury or not."""
    request = JoinRequest.objects.filter(organisation=organisation).first()
    if request is None:
        return
    urgent = services.report_file(
        user=people["grace"],
        organisation=organisation,
        kind="join_request",
        object_id=request.pk,
        rules=[2],
        description="The message names a flat in block C; I think that is someone's address.",
    )
    services.interim_measure_take(user=people["bob"], case=urgent, category="personal_data")
