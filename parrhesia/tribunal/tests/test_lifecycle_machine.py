"""Hypothesis state machine over the case life-cycle: whatever the order of steps, no verdict
(hence no sanction) is ever reached without the defence period having closed — by its deadline
or because the accused said they had answered; and a jury's deadline only replaces jurors who
have not voted, never before the defence closed."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Min
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from parrhesia.orgs import services as orgs
from parrhesia.orgs.models import Membership
from parrhesia.record.models import RecordEntry
from parrhesia.tribunal import services
from parrhesia.tribunal.models import LAPSED_REASON, Case, Defence, Juror, Jury, Sanction
from parrhesia.tribunal.services import TribunalError

pytestmark = pytest.mark.django_db

SANCTION_ACTIONS = {"member.warned", "member.suspended", "member.expelled", "content.hidden"}
slugs = itertools.count()


def fresh_court(users):
    founder, *others = users
    organisation = orgs.organisation_create(
        user=founder, name="Machine", slug=f"machine-{next(slugs)}"
    )
    invitation = orgs.invitation_create(user=founder, organisation=organisation)
    for user in others:
        orgs.invitation_accept(user=user, token=invitation.token)
    Membership.objects.filter(organisation=organisation).update(
        joined_at=timezone.now() - timedelta(days=90)
    )
    orgs.membership_role_change(
        user=founder,
        membership=Membership.objects.get(organisation=organisation, user=others[0]),
        role="steward",
        reason="Elected",
    )
    services.tribunal_settings_change(
        user=founder,
        organisation=organisation,
        jury_size=3,
        defence_days=5,
        urgent_categories=["personal_data"],
        reason="Small",
    )
    return organisation


def test_no_path_reaches_a_sanction_without_the_defence_period(court):
    from parrhesia.accounts.models import User

    reached = {"verdicts": 0, "lapsed": 0}
    users = list(User.objects.filter(username__startswith="juror").order_by("pk")[:10])

    class CaseLifeCycle(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.organisation = fresh_court(users)
            self.now = timezone.now()
            self.members = list(
                Membership.objects.filter(organisation=self.organisation).select_related("user")
            )

        def cases(self):
            return list(Case.objects.filter(organisation=self.organisation))

        @rule(reporter=st.integers(0, 9), accused=st.integers(0, 9), anonymous=st.booleans())
        def report(self, reporter, accused, anonymous):
            try:
                services.report_file(
                    user=self.members[reporter].user,
                    organisation=self.organisation,
                    kind="member",
                    object_id=self.members[accused].pk,
                    rules=[1],
                    description="d",
                    anonymous=anonymous,
                    now=self.now,
                )
            except TribunalError:
                assert reporter == accused

        @rule(hours=st.integers(1, 200))
        def time_passes(self, hours):
            self.now += timedelta(hours=hours)
            self.due()

        def due(self):
            services.defence_close_due(now=self.now)
            services.interim_measures_lapse_due(now=self.now)
            services.jury_deadlines_due(now=self.now)

        @rule()
        def a_jury_deadline_passes(self):
            deadline = Jury.objects.filter(
                case__organisation=self.organisation, decided_at__isnull=True
            ).aggregate(first=Min("deliberation_deadline"))["first"]
            if deadline is not None:
                self.now = max(self.now, deadline)
                self.due()

        @rule(
            pick=st.integers(0, 50),
            answered=st.booleans(),
            by=st.integers(0, 9),
            accused=st.booleans(),
        )
        def defend(self, pick, answered, by, accused):
            cases = self.cases()
            if cases:
                case = cases[pick % len(cases)]
                user = case.accused.user if accused else self.members[by].user
                try:
                    services.defence_file(
                        user=user,
                        case=cases[pick % len(cases)],
                        statement="s",
                        answered=answered,
                        now=self.now,
                    )
                except (TribunalError, PermissionDenied):
                    pass

        @rule(pick=st.integers(0, 50), by=st.integers(0, 9))
        def dismiss_or_revive(self, pick, by):
            cases = self.cases()
            if cases:
                case = cases[pick % len(cases)]
                for step in (services.case_dismiss, services.case_jury_request):
                    try:
                        if step is services.case_dismiss:
                            step(user=self.members[by].user, case=case, reason="r")
                        else:
                            step(user=self.members[by].user, case=case, now=self.now)
                    except (TribunalError, PermissionDenied):
                        pass

        @rule(
            pick=st.integers(0, 50),
            sanctions=st.lists(st.sampled_from(Sanction.values), min_size=3, max_size=3),
            grant=st.booleans(),
            appeal=st.booleans(),
        )
        def jury_acts(self, pick, sanctions, grant, appeal):
            seats = list(
                Juror.objects.filter(
                    jury__case__organisation=self.organisation,
                    recused_at__isnull=True,
                    voted_at__isnull=True,
                    jury__decided_at__isnull=True,
                ).select_related("member__user", "jury__case")
            )
            if not seats:
                return
            case = seats[pick % len(seats)].jury.case
            for seat, sanction in zip(
                [s for s in seats if s.jury.case == case], sanctions, strict=False
            ):
                try:
                    if case.anonymity_requested:
                        services.anonymity_decide(
                            user=seat.member.user, case=case, grant=grant, reason="r"
                        )
                except (TribunalError, PermissionDenied):
                    pass
                try:
                    services.jury_vote(
                        user=seat.member.user,
                        case=case,
                        breaches={1: sanction != Sanction.NONE},
                        sanction=sanction,
                        suspension_days=3,
                        reasons="r",
                        now=self.now,
                    )
                except (TribunalError, PermissionDenied):
                    pass
            if appeal and case.accused:
                try:
                    services.appeal_file(user=case.accused.user, case=case, now=self.now)
                except (TribunalError, PermissionDenied):
                    pass

        def teardown(self):
            reached["verdicts"] += RecordEntry.objects.filter(
                organisation=self.organisation, action="verdict.published"
            ).count()
            reached["lapsed"] += RecordEntry.objects.filter(
                organisation=self.organisation, action__in=["jury.juror_lapsed", "jury.stuck"]
            ).count()

        @invariant()
        def no_verdict_skips_the_defence(self):
            for case in Case.objects.filter(
                organisation=self.organisation, juries__decided_at__isnull=False
            ).distinct():
                assert case.defence_closed_at is not None
                answered = Defence.objects.filter(case=case).exists()
                assert answered or case.defence_closed_at >= case.defence_deadline
                for jury in case.juries.filter(decided_at__isnull=False):
                    assert jury.decided_at >= case.defence_closed_at
            closed = {
                e.subject_id
                for e in RecordEntry.objects.filter(
                    organisation=self.organisation, action="defence.closed"
                )
            }
            for entry in RecordEntry.objects.filter(
                organisation=self.organisation, action__in=SANCTION_ACTIONS
            ):
                assert entry.subject_id in closed

        @invariant()
        def only_silent_jurors_lapse_and_only_once_the_jury_may_vote(self):
            jurors = Juror.objects.filter(jury__case__organisation=self.organisation)
            for juror in jurors.filter(recusal_reason=LAPSED_REASON).select_related("jury__case"):
                assert juror.voted_at is None
                assert juror.jury.case.defence_closed_at is not None
                assert juror.recused_at >= juror.jury.case.defence_closed_at
            for jury in Jury.objects.filter(
                case__organisation=self.organisation, decided_at__isnull=True
            ).select_related("case"):
                # a jury that may vote has a deadline; one that may not, none
                assert (jury.deliberation_deadline is None) == (jury.case.defence_closed_at is None)

    run_state_machine_as_test(
        CaseLifeCycle,
        settings=settings(
            max_examples=30,
            derandomize=True,
            stateful_step_count=14,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    assert reached["verdicts"] > 0  # the machine does reach verdicts
    assert reached["lapsed"] > 0  # and juries whose deadline passed
