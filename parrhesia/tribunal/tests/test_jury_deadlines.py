"""A jury cannot stall a case: it has a deadline once it may vote, its silent jurors are reminded
at two thirds of the time and replaced by lot at the deadline, each step on the record."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parrhesia.notifications.models import Notification
from parrhesia.notifications.notices import notification_text
from parrhesia.orgs.models import Membership
from parrhesia.record.models import RecordEntry
from parrhesia.tribunal import selectors, services
from parrhesia.tribunal.models import LAPSED_REASON, Juror, Jury, Phase, Sanction
from parrhesia.tribunal.services import TribunalError
from tests.fixtures.tribunal import all_vote, case_reload, jurors_of

pytestmark = pytest.mark.django_db


def entries(organisation, action):
    return list(
        RecordEntry.objects.filter(organisation=organisation, action=action).order_by("seq")
    )


def vote(user, case, sanction=Sanction.WARNING, now=None):
    return services.jury_vote(
        user=user,
        case=case,
        breaches={rule: sanction != Sanction.NONE for rule in case.rules_cited},
        sanction=sanction,
        reasons=f"{user.username} weighed it.",
        now=now,
    )


@pytest.fixture
def t0():
    return timezone.now()


@pytest.fixture
def deliberating(court, alice, carol, member_of, t0):
    """Alice reports Carol; Carol answers at t0: a jury of three may vote from t0."""
    case = services.report_file(
        user=alice,
        organisation=court,
        kind="member",
        object_id=member_of(carol).pk,
        rules=[1],
        description="Insulted a neighbour.",
        now=t0,
    )
    services.defence_file(user=carol, case=case, statement="No.", answered=True, now=t0)
    return case_reload(case)


def jury_of(case, round="jury"):
    return Jury.objects.get(case=case, round=round)


def test_a_jury_may_vote_once_the_defence_closes_and_has_jury_days_to_decide(
    court, deliberating, t0
):
    jury = jury_of(deliberating)
    assert jury.deliberation_deadline == t0 + timedelta(days=14)
    assert jury.reminder_at == t0 + timedelta(days=14) * 2 / 3
    drawn, deadline = entries(court, "jury.drawn")[0], entries(court, "jury.deadline_set")[0]
    assert deadline.seq > drawn.seq  # the draw's checkpoint is not moved by the deadline
    assert deadline.payload == {
        "round": "jury",
        "deadline": jury.deliberation_deadline.isoformat(),
        "days": 14,
        "why": "defence_closed",
    }


def test_the_verdict_still_requires_the_defence_closed(court, alice, bob, carol, t0):
    from parrhesia.orgs.models import JoinRequest

    request = JoinRequest.objects.create(
        organisation=court, user=carol, message="Call Dan on 06 12 34 56 78", status="accepted"
    )
    case = services.report_file(
        user=alice,
        organisation=court,
        kind="join_request",
        object_id=request.pk,
        rules=[2],
        description="Phone number.",
        now=t0,
    )
    services.interim_measure_take(user=bob, case=case, category="personal_data", now=t0)
    assert jury_of(case).deliberation_deadline is None  # it may not vote yet
    # However late the clock, a jury that may not vote is neither reminded nor replaced.
    assert services.jury_deadlines_due(now=t0 + timedelta(days=400)) == 0
    assert not entries(court, "jury.juror_lapsed")
    with pytest.raises(TribunalError):
        vote(jurors_of(case)[0], case_reload(case), now=t0 + timedelta(days=400))
    assert not entries(court, "verdict.published")
    later = t0 + timedelta(days=2)
    services.defence_file(user=carol, case=case, statement="Sorry.", answered=True, now=later)
    assert jury_of(case).deliberation_deadline == later + timedelta(days=14)


def test_the_jurors_who_have_not_voted_are_reminded_once(court, deliberating, t0):
    first, *silent = jurors_of(deliberating)
    vote(first, deliberating, now=t0 + timedelta(days=1))
    jury = jury_of(deliberating)
    assert services.jury_deadlines_due(now=jury.reminder_at - timedelta(seconds=1)) == 0
    assert services.jury_deadlines_due(now=jury.reminder_at) == 1
    assert services.jury_deadlines_due(now=jury.reminder_at + timedelta(hours=1)) == 0
    reminders = Notification.objects.filter(kind="jury_reminder")
    assert sorted(n.recipient_id for n in reminders) == sorted(u.pk for u in silent)
    assert "have not voted yet" in notification_text(reminders[0])
    assert "UTC" in notification_text(reminders[0])  # the deadline, readable
    [reminded] = entries(court, "jury.reminded")
    assert len(reminded.payload["members"]) == 2
    assert jury_of(deliberating).reminder_at is None


def test_the_reminder_e_mail_says_the_deadline_as_the_app_does(
    deliberating, mailoutbox, django_capture_on_commit_callbacks
):
    from django.utils.formats import date_format

    juror = jurors_of(deliberating)[0]
    juror.email = "juror@example.org"
    juror.save()
    jury = jury_of(deliberating)
    with django_capture_on_commit_callbacks(execute=True):
        services.jury_deadlines_due(now=jury.reminder_at)
    [mail] = [m for m in mailoutbox if m.to == ["juror@example.org"]]
    assert jury.deliberation_deadline.isoformat() not in mail.body
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:", mail.body)  # no ISO timestamp at all
    assert date_format(jury.deliberation_deadline, "DATETIME_FORMAT") in mail.body
    notice = Notification.objects.get(recipient=juror, kind="jury_reminder")
    # one wording, in the app and by e-mail (which ends with its unsubscribe link, issue 14)
    assert mail.body.startswith(notification_text(notice) + "\n")


def test_at_the_deadline_a_silent_juror_is_replaced_and_the_reason_recorded(
    court, deliberating, t0
):
    voter, *silent = jurors_of(deliberating)
    vote(voter, deliberating, now=t0 + timedelta(days=1))
    deadline = jury_of(deliberating).deliberation_deadline
    assert services.jury_deadlines_due(now=deadline - timedelta(seconds=1)) <= 1  # the reminder
    assert not entries(court, "jury.juror_lapsed")
    assert services.jury_deadlines_due(now=deadline) == 1
    assert services.jury_deadlines_due(now=deadline) == 0  # idempotent
    lapsed = entries(court, "jury.juror_lapsed")
    assert [e.payload["reason"] for e in lapsed] == [LAPSED_REASON] * 2
    assert {e.payload["member"] for e in lapsed} == {
        Membership.objects.get(organisation=court, user=u).pk for u in silent
    }
    assert all(e.actor is None for e in lapsed)  # the clock, not the juror, acted
    sitting = jurors_of(case_reload(deliberating))
    assert voter in sitting and not set(silent) & set(sitting) and len(sitting) == 3
    draws = [e.payload["draw"] for e in entries(court, "jury.drawn")]
    assert draws == ["jury", "replacement-1", "replacement-2"]
    for juror in Juror.objects.filter(jury__case=deliberating, recused_at__isnull=False):
        assert juror.lapsed and juror.recusal_reason == LAPSED_REASON
    assert Notification.objects.filter(kind="juror_lapsed").count() == 2
    jury = jury_of(deliberating)
    assert jury.deliberation_deadline == deadline + timedelta(days=7)  # half of 14 days
    assert entries(court, "jury.deadline_set")[-1].payload["why"] == "replacement"
    # The replacements decide; the first juror's vote still counts.
    case = case_reload(deliberating)
    for user in jurors_of(case)[1:]:
        vote(user, case, now=deadline + timedelta(days=1))
    verdict = entries(court, "verdict.published")[-1]
    assert len(verdict.payload["votes"]) == 3
    assert case_reload(deliberating).phase == Phase.DECIDED


def test_a_juror_who_voted_is_never_replaced(court, deliberating, t0):
    voters = jurors_of(deliberating)[:2]
    for user in voters:
        vote(user, deliberating, now=t0)
    services.jury_deadlines_due(now=t0 + timedelta(days=30))
    [lapsed] = entries(court, "jury.juror_lapsed")
    voted = Juror.objects.filter(jury__case=deliberating, voted_at__isnull=False)
    assert {j.member.user for j in voted} == set(voters)
    assert all(j.sitting for j in voted)
    assert lapsed.payload["member"] not in {j.member_id for j in voted}


def test_the_replacements_are_reproducible_by_anyone_from_the_export(
    court, deliberating, t0, tmp_path
):
    from parrhesia.cli.tribunal import redraw_check
    from parrhesia.methods.record.export import iter_entries
    from parrhesia.tribunal.tests.test_redraw_and_report import export

    services.jury_deadlines_due(now=t0 + timedelta(days=15))
    checked, failure = redraw_check(list(iter_entries(export(court, tmp_path))))
    assert failure is None and checked == 4  # the jury, then three replacements


def test_when_no_member_is_left_the_case_is_stuck_and_the_stewards_are_told(
    court, alice, bob, deliberating, t0
):
    now = t0 + timedelta(days=1)
    seated = Juror.objects.filter(jury__case=deliberating).values_list("member_id", flat=True)
    for member in Membership.objects.filter(
        pk__in=selectors.eligible_member_ids(deliberating, now, exclude=seated)
    ).select_related("user"):
        services.conflict_declare(user=member.user, case=deliberating, reason="Friends.")
    deadline = jury_of(deliberating).deliberation_deadline
    assert services.jury_deadlines_due(now=deadline) == 1
    assert services.jury_deadlines_due(now=deadline + timedelta(hours=1)) == 0  # said once
    [stuck] = entries(court, "jury.stuck")
    assert len(stuck.payload["not_voted"]) == 3 and stuck.payload["eligible"] == 0
    told = set(Notification.objects.filter(kind="jury_stuck").values_list("recipient", flat=True))
    assert told == {alice.pk, bob.pk}
    assert jury_of(deliberating).stuck_at is not None
    assert len(jurors_of(case_reload(deliberating))) == 3  # they keep their seats
    # A member who becomes eligible unsticks it at the next sweep.
    from parrhesia.accounts.models import User
    from parrhesia.orgs import services as orgs

    invitation = orgs.invitation_create(user=alice, organisation=court)
    for n in range(3):
        user = User.objects.create_user(username=f"late{n}", password="x", display_name=f"L{n}")
        orgs.invitation_accept(user=user, token=invitation.token)
    Membership.objects.filter(user__username__startswith="late").update(
        joined_at=t0 - timedelta(days=60)
    )
    later = deadline + timedelta(days=1)
    assert services.jury_deadlines_due(now=later) == 1
    jury = jury_of(deliberating)
    assert jury.stuck_at is None and jury.deliberation_deadline == later + timedelta(days=7)
    assert len(entries(court, "jury.juror_lapsed")) == 3


def test_a_late_vote_still_counts_while_the_jury_is_stuck(court, deliberating, t0):
    seated = Juror.objects.filter(jury__case=deliberating).values_list("member_id", flat=True)
    for member in Membership.objects.filter(
        pk__in=selectors.eligible_member_ids(deliberating, t0, exclude=seated)
    ).select_related("user"):
        services.conflict_declare(user=member.user, case=deliberating, reason="Friends.")
    later = t0 + timedelta(days=20)
    services.jury_deadlines_due(now=later)
    for user in jurors_of(deliberating):
        vote(user, case_reload(deliberating), now=later)
    assert case_reload(deliberating).phase == Phase.DECIDED


def test_a_replacement_after_a_recusal_gets_time_to_read_the_case(court, deliberating, t0):
    jury = jury_of(deliberating)
    services.juror_recuse(
        user=jurors_of(deliberating)[0], case=deliberating, reason="Neighbour", now=t0
    )
    assert jury_of(deliberating).deliberation_deadline == jury.deliberation_deadline  # plenty
    late = jury.deliberation_deadline - timedelta(days=1)
    services.juror_recuse(
        user=jurors_of(case_reload(deliberating))[0], case=deliberating, reason="Ill", now=late
    )
    assert jury_of(deliberating).deliberation_deadline == late + timedelta(days=7)
    assert [e.payload["why"] for e in entries(court, "jury.deadline_set")] == [
        "defence_closed",
        "replacement",
    ]


def test_an_appeal_jury_has_its_own_deadline(court, carol, deliberating, t0):
    case = all_vote(deliberating, [Sanction.WARNING] * 3)
    later = t0 + timedelta(days=3)
    services.appeal_file(user=carol, case=case, material="Too harsh.", now=later)
    assert jury_of(case, "appeal").deliberation_deadline == later + timedelta(days=14)
    assert entries(court, "jury.deadline_set")[-1].payload["why"] == "appeal"


def test_jury_days_is_a_setting_on_the_record(court, alice):
    def change(**extra):
        return services.tribunal_settings_change(
            user=alice,
            organisation=court,
            jury_size=3,
            defence_days=5,
            urgent_categories=["personal_data"],
            reason="Busy members",
            **extra,
        )

    for wrong in (1, 61):
        with pytest.raises(TribunalError):
            change(jury_days=wrong)
    assert change(jury_days=21).jury_days == 21
    assert change().jury_days == 21  # left out: kept
    assert entries(court, "tribunal.settings_changed")[-1].payload["jury_days"] == 21
    assert selectors.tribunal_settings_of(court).replacement_days == 11


def test_the_docket_and_the_case_page_say_when_the_jury_decides(client, carol, deliberating):
    client.force_login(carol)
    docket = client.get(reverse("tribunal:docket", args=["riverside"])).content.decode()
    assert "The jury decides by" in docket and "14 days to decide" in docket
    page = client.get(reverse("tribunal:case", args=["riverside", deliberating.number]))
    assert "The jury decides by" in page.content.decode()


def test_a_morning_deadline_ends_with_one_full_stop(client, carol, deliberating):
    jury = jury_of(deliberating)
    jury.deliberation_deadline = jury.deliberation_deadline.replace(hour=1, minute=14)
    jury.save()
    client.force_login(carol)
    page = client.get(reverse("tribunal:case", args=["riverside", deliberating.number]))
    page = page.content.decode()
    assert "1:14 a.m." in page and "a.m.." not in page  # not "1:14 a.m.." (issue 14)


def test_a_stuck_jury_shows_no_past_deadline_but_why_it_waits(client, carol, deliberating, t0):
    seated = Juror.objects.filter(jury__case=deliberating).values_list("member_id", flat=True)
    for member in Membership.objects.filter(
        pk__in=selectors.eligible_member_ids(deliberating, t0, exclude=seated)
    ).select_related("user"):
        services.conflict_declare(user=member.user, case=deliberating, reason="Friends.")
    services.jury_deadlines_due(now=jury_of(deliberating).deliberation_deadline)
    assert jury_of(deliberating).stuck_at is not None
    client.force_login(carol)
    page = client.get(reverse("tribunal:case", args=["riverside", deliberating.number]))
    page = page.content.decode()
    assert "The jury decides by" not in page
    assert "too few eligible members are left to replace them" in page
    docket = client.get(reverse("tribunal:docket", args=["riverside"])).content.decode()
    assert "The jury decides by" not in docket
    assert "Waiting for eligible members" in docket
    url = reverse("tribunal:docket", args=["riverside"])
    docket = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "En attente de membres éligibles" in docket


def test_the_due_sweep_and_the_task_keep_jury_deadlines(court, deliberating, t0):
    from parrhesia.cli.due import due_steps
    from parrhesia.tribunal.tasks import jury_deadline_task

    jury = jury_of(deliberating)
    jury_deadline_task.enqueue(jury.pk)  # too early: nothing happens
    assert not entries(court, "jury.reminded")
    Jury.objects.filter(pk=jury.pk).update(reminder_at=timezone.now() - timedelta(seconds=1))
    jury_deadline_task.enqueue(jury.pk)
    assert len(entries(court, "jury.reminded")) == 1
    step = dict(due_steps())["jury deadlines kept"]
    assert step(jury.deliberation_deadline) == 1
    assert len(entries(court, "jury.juror_lapsed")) == 3


def test_a_case_that_waited_for_members_gets_its_jury_when_they_come(riverside, alice, carol):
    from tests.fixtures.tribunal import case_reload, court_convene

    case = services.report_file(
        user=alice, organisation=riverside, kind="member",
        object_id=Membership.objects.get(organisation=riverside, user=carol).pk,
        rules=[1], description="Shouted at a neighbour.",
    )  # fmt: skip
    later = case.defence_deadline + timedelta(minutes=1)
    services.defence_close_due(now=later)
    assert not case_reload(case).juries.exists()
    waiting = RecordEntry.objects.filter(organisation=riverside).count()
    assert services.juries_draw_due(now=later) == 0  # still too few: nothing drawn, nothing new
    assert RecordEntry.objects.filter(organisation=riverside).count() == waiting
    court_convene(riverside, alice)  # twelve long-standing members join
    assert services.juries_draw_due(now=later) == 1
    jury = case_reload(case).juries.get()
    assert jury.jurors.count() == 3 and jury.deliberation_deadline is not None
    assert services.juries_draw_due(now=later) == 0  # idempotent


def test_a_draw_with_too_few_members_signs_no_checkpoint(riverside, alice, carol):
    from parrhesia.record.models import Checkpoint

    case = services.report_file(
        user=alice, organisation=riverside, kind="member",
        object_id=Membership.objects.get(organisation=riverside, user=carol).pk,
        rules=[1], description="Shouted at a neighbour.",
    )  # fmt: skip
    later = case.defence_deadline + timedelta(minutes=1)
    services.defence_close_due(now=later)
    signed = Checkpoint.objects.filter(organisation=riverside).count()
    eligible = len(selectors.eligible_member_ids(case, later))
    assert services.jury_draw(case=case_reload(case), now=later) is None
    assert Checkpoint.objects.filter(organisation=riverside).count() == signed
    not_drawn = entries(riverside, "jury.not_drawn")[-1]
    size = selectors.tribunal_settings_of(riverside).jury_size
    assert not_drawn.payload["reason"] == f"{eligible} eligible members for a jury of {size}"


def test_the_transparency_report_counts_reminders_replacements_and_stuck_juries(
    client, court, carol, deliberating, t0, tmp_path, capsys
):
    import json

    from parrhesia.cli import main
    from parrhesia.tribunal.tests.test_redraw_and_report import export

    voter, *silent = jurors_of(deliberating)
    vote(voter, deliberating, now=t0)
    jury = jury_of(deliberating)
    services.jury_deadlines_due(now=jury.reminder_at)  # two reminded
    services.jury_deadlines_due(now=jury.deliberation_deadline)  # the same two replaced
    now = jury.deliberation_deadline
    seated = Juror.objects.filter(jury__case=deliberating).values_list("member_id", flat=True)
    for member in Membership.objects.filter(
        pk__in=selectors.eligible_member_ids(deliberating, now, exclude=seated)
    ).select_related("user"):
        services.conflict_declare(user=member.user, case=deliberating, reason="Friends.")
    jury = jury_of(deliberating)
    services.jury_deadlines_due(now=jury.reminder_at)  # the two replacements reminded
    services.jury_deadlines_due(now=jury.deliberation_deadline)  # nobody left: stuck
    services.jury_deadlines_due(now=jury.deliberation_deadline + timedelta(days=1))
    report = selectors.transparency_of(court)
    assert report["jurors_reminded"] == 4
    assert report["jurors_lapsed"] == 2
    assert report["juries_stuck"] == 1
    # The same numbers from an export, offline, as JSON and as CSV.
    path = export(court, tmp_path)
    assert main(["tribunal", "report", "--record", path]) == 0
    assert json.loads(capsys.readouterr().out) == report
    assert main(["tribunal", "report", "--record", path, "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert {"jurors_reminded,,4", "jurors_lapsed,,2", "juries_stuck,,1"} <= set(rows)
    # And on the page, in words, in English and in French.
    client.force_login(carol)
    url = reverse("tribunal:transparency", args=["riverside"])
    page = client.get(url).content.decode()
    assert "Jurors replaced by lot for not voting by the deadline</th><td>2<" in page
    assert "Juries stuck: too few members left" in page
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Rappels envoyés aux jurés qui n’avaient pas encore voté</th><td>4<" in page
    assert "Jurés remplacés par tirage au sort faute d’avoir voté dans le délai" in page
    assert "Jurys bloqués" in page and "Juries stuck" not in page
