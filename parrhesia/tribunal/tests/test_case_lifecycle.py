"""A case from report to final verdict, through the services, each step on the record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from parrhesia.orgs.models import JoinRequest, MembershipStatus
from parrhesia.record.models import RecordEntry
from parrhesia.tribunal import selectors, services
from parrhesia.tribunal.models import EXPELLED, Phase, Sanction
from parrhesia.tribunal.services import TribunalError
from tests.fixtures.tribunal import all_vote, case_reload, jurors_of

pytestmark = pytest.mark.django_db


def entries(organisation, prefix=""):
    return list(
        RecordEntry.objects.filter(organisation=organisation, action__startswith=prefix)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def report_carol(court, alice, carol, member_of, **extra):
    return services.report_file(
        user=alice,
        organisation=court,
        kind="member",
        object_id=member_of(carol).pk,
        rules=[1],
        description="Insulted a neighbour at the meeting.",
        **extra,
    )


def test_a_report_opens_a_case_on_the_record_with_a_defence_period(court, alice, carol, member_of):
    case = report_carol(court, alice, carol, member_of)
    assert case.number == 1 and case.phase == Phase.DEFENCE
    assert case.accused == member_of(carol) and case.code_version == 1
    assert case.defence_deadline - case.opened_at == timedelta(days=5)
    opened = RecordEntry.objects.get(organisation=court, action="case.opened")
    assert opened.actor == member_of(alice).pk and opened.payload["rules"] == [1]


def test_it_refuses_rules_not_in_the_code_and_reporting_oneself(court, alice, carol, member_of):
    with pytest.raises(TribunalError):
        report_carol(court, alice, carol, member_of) and services.report_file(
            user=alice,
            organisation=court,
            kind="member",
            object_id=member_of(carol).pk,
            rules=[99],
            description="x",
        )
    with pytest.raises(TribunalError):
        services.report_file(
            user=carol,
            organisation=court,
            kind="member",
            object_id=member_of(carol).pk,
            rules=[1],
            description="x",
        )


def test_an_outsider_cannot_report(court, erin, carol, member_of):
    with pytest.raises(PermissionDenied):
        services.report_file(
            user=erin,
            organisation=court,
            kind="member",
            object_id=member_of(carol).pk,
            rules=[1],
            description="x",
        )


def test_no_vote_before_the_defence_period_closes(court, alice, bob, carol, member_of):
    case = report_carol(court, alice, carol, member_of)
    # no jury yet: nobody can vote
    with pytest.raises(PermissionDenied):
        services.jury_vote(user=bob, case=case, breaches={1: True}, sanction="warning", reasons="r")


def test_the_full_procedure_reaches_a_final_verdict_on_appeal(court, alice, bob, carol, member_of):
    case = report_carol(court, alice, carol, member_of)
    services.defence_file(user=carol, case=case, statement="I was provoked.", answered=True)
    case = case_reload(case)
    assert case.phase == Phase.DELIBERATION and case.defence_closed_at
    jury = case.juries.get()
    assert jury.jurors.count() == 3
    parties = {member_of(alice).pk, member_of(carol).pk}
    assert not parties & set(jury.jurors.values_list("member_id", flat=True))
    case = all_vote(case, [Sanction.SUSPENSION, Sanction.SUSPENSION, Sanction.WARNING])
    assert case.phase == Phase.DECIDED
    first = case.juries.get()
    assert first.sanction == Sanction.SUSPENSION and first.suspension_days == 7
    assert selectors.member_is_suspended(member_of(carol))
    assert not selectors.posting_allowed(carol, court)
    assert selectors.posting_allowed(alice, court)

    services.appeal_file(user=carol, case=case, material="New witnesses.")
    case = case_reload(case)
    appeal = case.juries.get(round="appeal")
    appeal_ids = set(appeal.jurors.values_list("member_id", flat=True))
    assert len(appeal_ids) == 7
    assert not appeal_ids & set(first.jurors.values_list("member_id", flat=True))
    assert not appeal_ids & parties
    case = all_vote(case, [Sanction.NONE] * 4 + [Sanction.WARNING] * 3, round="appeal")
    assert case.phase == Phase.FINAL
    assert not selectors.member_is_suspended(member_of(carol))
    assert entries(court, "verdict") == ["verdict.published", "verdict.published"]
    assert "member.suspension_lifted" in entries(court, "member")
    with pytest.raises(TribunalError):
        services.appeal_file(user=alice, case=case)


def test_expulsion_needs_four_fifths_of_the_jury(court, alice, carol, member_of):
    case = report_carol(court, alice, carol, member_of)
    services.defence_file(user=carol, case=case, statement="No.", answered=True)
    case = all_vote(
        case_reload(case), [Sanction.EXPULSION, Sanction.EXPULSION, Sanction.SUSPENSION]
    )
    # 2 of 3 is not 4/5: the median sanction, a suspension, is decided instead
    assert case.juries.get().sanction == Sanction.SUSPENSION
    case2 = services.report_file(
        user=alice,
        organisation=court,
        kind="member",
        object_id=member_of(carol).pk,
        rules=[1, 2],
        description="Again.",
    )
    services.defence_file(user=carol, case=case2, statement="No.", answered=True)
    case2 = all_vote(case_reload(case2), [Sanction.EXPULSION] * 3)
    assert case2.juries.get().sanction == Sanction.EXPULSION
    assert member_of(carol).status == EXPELLED
    # the expelled member may still appeal, and the appeal may reinstate them
    services.appeal_file(user=carol, case=case2, material="Disproportionate.")
    all_vote(case_reload(case2), [Sanction.WARNING] * 7, round="appeal")
    assert member_of(carol).status == MembershipStatus.ACTIVE


def test_the_defence_period_closes_by_its_deadline_and_draws_the_jury(
    court, alice, carol, member_of
):
    case = report_carol(court, alice, carol, member_of)
    assert services.defence_close_due(now=timezone.now()) == 0
    later = case.defence_deadline + timedelta(seconds=1)
    assert services.defence_close_due(now=later) == 1
    assert services.defence_close_due(now=later) == 0  # idempotent
    case = case_reload(case)
    assert case.phase == Phase.DELIBERATION and case.juries.count() == 1


def test_one_extension_of_the_defence_period(court, alice, carol, member_of):
    case = report_carol(court, alice, carol, member_of)
    deadline = case.defence_deadline
    case = services.defence_extend(user=carol, case=case)
    assert case.defence_deadline == deadline + timedelta(days=5)
    with pytest.raises(TribunalError):
        services.defence_extend(user=carol, case=case)
    with pytest.raises(PermissionDenied):
        services.defence_extend(user=alice, case=case)


def test_a_dismissed_report_can_go_to_a_jury_anyway(court, alice, bob, carol, member_of):
    case = services.report_file(
        user=carol,
        organisation=court,
        kind="member",
        object_id=member_of(alice).pk,
        rules=[4],
        description="Did not cite a source.",
    )
    with pytest.raises(TribunalError):
        services.case_dismiss(user=bob, case=case, reason="  ")
    with pytest.raises(PermissionDenied):
        services.case_dismiss(user=carol, case=case, reason="Mine")
    case = services.case_dismiss(user=bob, case=case, reason="Not a breach of any rule.")
    assert case.phase == Phase.DISMISSED
    case = services.case_jury_request(user=carol, case=case)
    assert case.phase == Phase.DEFENCE
    services.defence_close_due(now=case.defence_deadline + timedelta(seconds=1))
    jury = case_reload(case).juries.get()
    assert member_of(bob).pk not in set(jury.jurors.values_list("member_id", flat=True))


def join_request_of(court, carol):
    return JoinRequest.objects.create(
        organisation=court, user=carol, message="Call Dan on 06 12 34 56 78", status="accepted"
    )


def test_an_interim_measure_hides_at_once_and_lapses_unless_confirmed(court, alice, bob, carol):
    request = join_request_of(court, carol)
    case = services.report_file(
        user=alice,
        organisation=court,
        kind="join_request",
        object_id=request.pk,
        rules=[2],
        description="Publishes Dan's phone number.",
    )
    with pytest.raises(TribunalError):
        services.interim_measure_take(user=bob, case=case, category="rudeness")
    with pytest.raises(PermissionDenied):
        services.interim_measure_take(user=carol, case=case, category="personal_data")
    measure = services.interim_measure_take(user=bob, case=case, category="threats_of_violence")
    assert selectors.hidden_measure("join_request", request.pk) == measure
    assert case_reload(case).juries.count() == 1  # drawn at once, to confirm in time
    assert services.interim_measures_lapse_due(now=measure.lapses_at - timedelta(seconds=1)) == 0
    assert services.interim_measures_lapse_due(now=measure.lapses_at) == 1
    assert services.interim_measures_lapse_due(now=measure.lapses_at) == 0
    assert selectors.hidden_measure("join_request", request.pk) is None
    assert "interim_measure.lapsed" in entries(court, "interim_measure")


def test_a_jury_confirms_an_interim_measure_and_a_verdict_hides_for_good(court, alice, bob, carol):
    request = join_request_of(court, carol)
    case = services.report_file(
        user=alice,
        organisation=court,
        kind="join_request",
        object_id=request.pk,
        rules=[2],
        description="Phone number.",
    )
    measure = services.interim_measure_take(user=bob, case=case, category="threats_of_violence")
    case = case_reload(case)
    for user in jurors_of(case)[:2]:
        services.interim_measure_confirm(user=user, case=case, confirm=True)
    assert services.interim_measures_lapse_due(now=measure.lapses_at) == 0
    assert selectors.hidden_measure("join_request", request.pk).source == "interim"
    services.defence_file(user=carol, case=case, statement="Sorry.", answered=True)
    all_vote(case_reload(case), [Sanction.HIDE] * 3)
    hidden = selectors.hidden_measure("join_request", request.pk)
    assert hidden.source == "verdict" and hidden.case == case
    assert JoinRequest.objects.filter(pk=request.pk).exists()  # never destroyed


def test_a_juror_recuses_and_a_replacement_is_drawn(court, alice, carol, member_of):
    case = report_carol(court, alice, carol, member_of)
    services.defence_file(user=carol, case=case, statement="No.", answered=True)
    case = case_reload(case)
    first = jurors_of(case)
    services.juror_recuse(user=first[0], case=case, reason="I live next door to Carol.")
    now_sitting = jurors_of(case_reload(case))
    assert len(now_sitting) == 3 and first[0] not in now_sitting
    assert entries(court, "jury.drawn") == ["jury.drawn", "jury.drawn"]


def test_a_declared_conflict_keeps_a_member_off_the_jury(court, alice, carol, member_of):
    from parrhesia.orgs.models import Membership

    case = report_carol(court, alice, carol, member_of)
    others = Membership.objects.filter(organisation=court, user__username__startswith="juror")
    for membership in others[:9]:
        services.conflict_declare(user=membership.user, case=case, reason="Friend of Carol")
    services.defence_file(user=carol, case=case, statement="No.", answered=True)
    jury_ids = set(case_reload(case).juries.get().jurors.values_list("member_id", flat=True))
    assert not jury_ids & {m.pk for m in others[:9]}


def test_an_advocate_who_names_another_closes_with_the_new_one_a_party(
    court, alice, bob, carol, member_of
):
    """The jury drawn as the defence closes keeps off the advocate just named, not the one
    before: only three members are left eligible, so a stale defence would seat the new one."""
    from parrhesia.orgs.models import Membership

    case = report_carol(court, alice, carol, member_of)
    jurors = {m.user.username: m for m in Membership.objects.filter(organisation=court)}
    old, new = jurors["juror1"], jurors["juror2"]
    for number in range(3, 12):
        services.conflict_declare(
            user=jurors[f"juror{number}"].user, case=case, reason="Friend of Carol"
        )
    services.defence_file(user=carol, case=case, statement="No.", advocate=old)
    services.defence_file(
        user=old.user, case=case, statement="No, and here is why.", advocate=new, answered=True
    )
    drawn = RecordEntry.objects.get(organisation=court, action="jury.drawn").payload
    assert drawn["eligible"] == sorted([member_of(bob).pk, old.pk, jurors["juror12"].pk])
    assert new.pk not in drawn["jurors"]
    case = case_reload(case)
    assert case.defence.advocate == new and new.pk in case.party_ids
    assert new.pk not in case.juries.get().jurors.values_list("member_id", flat=True)


def test_an_anonymous_reporter_never_appears_on_the_record(court, alice, bob, carol, member_of):
    case = services.report_file(
        user=bob,
        organisation=court,
        kind="member",
        object_id=member_of(carol).pk,
        rules=[1],
        description="Threatened me.",
        anonymous=True,
    )
    services.defence_file(user=carol, case=case, statement="Who?", answered=True)
    case = case_reload(case)
    with pytest.raises(TribunalError):
        services.jury_vote(
            user=jurors_of(case)[0],
            case=case,
            breaches={1: True},
            sanction="warning",
            reasons="r",
        )
    for user in jurors_of(case)[:2]:
        services.anonymity_decide(user=user, case=case, grant=True, reason="Fear of reprisal.")
    case = all_vote(case_reload(case), [Sanction.WARNING] * 3)
    bob_id = member_of(bob).pk
    for entry in RecordEntry.objects.filter(organisation=court, subject_kind="case"):
        assert entry.actor != bob_id
        assert f'"reporter":{bob_id}' not in bytes(entry.canonical).decode()
    assert case.anonymity_granted is True


def test_the_task_runner_lapses_an_unconfirmed_interim_measure(court, alice, bob, carol):
    from parrhesia.tribunal.models import ContentMeasure
    from parrhesia.tribunal.tasks import interim_lapse_task

    request = join_request_of(court, carol)
    case = services.report_file(
        user=alice,
        organisation=court,
        kind="join_request",
        object_id=request.pk,
        rules=[2],
        description="Phone number.",
    )
    measure = services.interim_measure_take(user=bob, case=case, category="threats_of_violence")
    interim_lapse_task.enqueue(measure.pk)  # too early: nothing happens
    assert selectors.hidden_measure("join_request", request.pk) is not None
    ContentMeasure.objects.filter(pk=measure.pk).update(
        lapses_at=timezone.now() - timedelta(seconds=1)
    )
    interim_lapse_task.enqueue(measure.pk)
    assert selectors.hidden_measure("join_request", request.pk) is None
    assert ContentMeasure.objects.get(pk=measure.pk).end == "lapsed"


def test_the_accused_is_notified_at_once_and_the_reporter_follows_the_verdict(
    court, alice, carol, member_of, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = report_carol(court, alice, carol, member_of)
    # Besides the stewards' notice of a case waiting for them (issue 14), the accused's alone.
    assert [m.to for m in mailoutbox if "was opened" not in m.body] == [[carol.email]]
    with django_capture_on_commit_callbacks(execute=True):
        services.defence_file(user=carol, case=case, statement="No.", answered=True)
        all_vote(case_reload(case), [Sanction.WARNING] * 3)
    assert [alice.email] in [m.to for m in mailoutbox]


def test_notice_reaches_the_accused_in_the_app_and_by_mail_once(
    court, alice, carol, member_of, client, mailoutbox, django_capture_on_commit_callbacks
):
    from parrhesia.notifications.models import Notification
    from parrhesia.notifications.notices import notification_text
    from parrhesia.notifications.services import digest_body

    carol.email = "carol@example.org"
    carol.save()
    with django_capture_on_commit_callbacks(execute=True):
        case = report_carol(court, alice, carol, member_of)
    notice = Notification.objects.get(recipient=carol, kind="case_reported")
    assert notice.url == f"/o/{court.slug}/tribunal/{case.number}/"
    assert notification_text(notice).startswith(f"Case {case.number}: you have been reported.")
    assert "UTC" in notification_text(notice)  # the deadline, readable
    # Besides the stewards' notice of a case waiting for them (issue 14), the accused's alone.
    assert [m.to for m in mailoutbox if "was opened" not in m.body] == [["carol@example.org"]]
    assert notice.emailed_at is not None  # so the digest does not send it again
    client.force_login(carol)
    page = client.get(f"/o/{court.slug}/").content.decode()
    assert "Notifications (1 new)" in page
    assert "you have been reported" in digest_body([notice])
