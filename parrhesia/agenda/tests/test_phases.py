"""Phases move with the clock (phases_advance_due) or a reached quorum, never otherwise."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from parrhesia.agenda import selectors, services
from parrhesia.agenda.models import MotionStatus, Phase
from parrhesia.record.models import RecordEntry
from tests.fixtures.agenda import newcomer

pytestmark = pytest.mark.django_db


def actions(organisation) -> list[str]:
    return list(
        RecordEntry.objects.filter(organisation=organisation)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_the_admission_quorum_is_counted_at_the_start(item):
    assert item.phase == Phase.ADMISSION
    assert (item.members_at_admission, item.admission_quorum) == (3, 2)
    assert item.phase_ends_at - item.phase_started_at == timedelta(days=14)


def test_it_is_admitted_exactly_at_quorum(item, motion, bob, riverside):
    services.motion_support(user=bob, motion=motion)
    item.refresh_from_db()
    assert item.phase == Phase.DISCUSSION
    assert item.phase_ends_at - item.phase_started_at == timedelta(days=7)
    assert item.alternative_quorum == 2  # 34 % of 3, rounded up
    assert actions(riverside)[-2:] == ["motion.supported", "agenda_item.admitted"]


def test_one_short_of_quorum_it_lapses_at_the_end_with_a_reason(item, motion, riverside):
    end = item.phase_ends_at
    assert services.phases_advance_due(end - timedelta(seconds=1)) == 0
    assert services.phases_advance_due(end) == 1
    item.refresh_from_db()
    motion.refresh_from_db()
    assert item.phase == Phase.LAPSED
    assert "admission quorum of 2 supporters" in item.closing_reason
    assert motion.status == MotionStatus.LAPSED
    assert actions(riverside)[-1] == "agenda_item.lapsed"


def test_members_joining_during_admission_do_not_raise_the_quorum(
    item, motion, riverside, alice, bob
):
    for name in ("frank", "grace", "heidi"):
        newcomer(riverside, alice, name)
    services.motion_support(user=bob, motion=motion)
    item.refresh_from_db()
    assert item.admission_quorum == 2
    assert item.phase == Phase.DISCUSSION
    assert item.members_at_discussion == 6  # the next phase counts anew, at its start
    assert item.alternative_quorum == 3


def test_the_clock_walks_an_item_to_ready_for_vote(admitted, carol, riverside):
    alternative = services.motion_file_alternative(
        user=carol, item=admitted, title="Negotiate", text="We ask for a meeting first."
    )
    discussion_end = admitted.phase_ends_at
    services.phases_advance_due(discussion_end)
    admitted.refresh_from_db()
    alternative.refresh_from_db()
    assert admitted.phase == Phase.FROZEN
    # One supporter of three is under the alternative quorum of two: it lapses, recorded.
    assert alternative.status == MotionStatus.LAPSED
    assert "alternative quorum of 2" in alternative.status_reason
    assert [m.title for m in selectors.motions_on_ballot(admitted)] == ["Rent strike"]
    services.phases_advance_due(discussion_end + timedelta(days=2))
    admitted.refresh_from_db()
    assert admitted.phase == Phase.READY and admitted.phase_ends_at is None
    assert actions(riverside)[-3:] == [
        "motion.lapsed",
        "agenda_item.frozen",
        "agenda_item.ready_for_vote",
    ]


def test_an_alternative_at_the_alternative_quorum_reaches_the_ballot(admitted, carol, bob):
    alternative = services.motion_file_alternative(
        user=carol, item=admitted, title="Negotiate", text="We ask for a meeting first."
    )
    services.motion_support(user=bob, motion=alternative)
    services.phases_advance_due(admitted.phase_ends_at)
    admitted.refresh_from_db()
    assert admitted.phase == Phase.FROZEN
    assert len(selectors.motions_on_ballot(admitted)) == 2


def test_advancing_is_idempotent_and_skips_phases_when_late(admitted):
    discussion_end = admitted.phase_ends_at
    late = discussion_end + timedelta(days=30)
    assert services.phases_advance_due(late) == 1
    assert services.phases_advance_due(late) == 0
    admitted.refresh_from_db()
    assert admitted.phase == Phase.READY
    # Each phase starts when the last was due to end, not when the late task ran.
    assert admitted.phase_started_at == discussion_end + timedelta(days=2)


def test_frozen_texts_refuse_changes(admitted, alice, carol, motion):
    services.phases_advance_due(admitted.phase_ends_at)
    with pytest.raises(services.PhaseClosed):
        services.motion_revise(user=alice, motion=motion, text="Another text")
    with pytest.raises(services.PhaseClosed):
        services.motion_file_alternative(user=carol, item=admitted, title="Late", text="Too late")
    with pytest.raises(services.PhaseClosed):
        services.motion_support(user=carol, motion=motion)


def test_a_steward_moves_a_phase_end_only_with_a_reason(admitted, bob, carol, riverside):
    later = admitted.phase_ends_at + timedelta(days=3)
    with pytest.raises(services.TextInvalid):
        services.phase_adjust(user=bob, item=admitted, ends_at=later, reason="  ")
    with pytest.raises(PermissionDenied):
        services.phase_adjust(user=carol, item=admitted, ends_at=later, reason="I want more time")
    with pytest.raises(services.AgendaError):
        services.phase_adjust(
            user=bob, item=admitted, ends_at=timezone.now() - timedelta(minutes=1), reason="now!"
        )
    services.phase_adjust(user=bob, item=admitted, ends_at=later, reason="Landlord replies late")
    entry = RecordEntry.objects.filter(organisation=riverside).order_by("-seq").first()
    assert entry.action == "agenda_item.phase_adjusted"
    assert entry.payload["reason"] == "Landlord replies late"
    assert services.phases_advance_due(later - timedelta(days=1)) == 0


def test_phase_actions_out_of_order_are_refused(item, admitted):
    with pytest.raises(services.PhaseClosed):
        services.agenda_item_voting_start(item=admitted, decision_ref="1")
    with pytest.raises(services.PhaseClosed):
        services.agenda_item_decide(item=admitted, outcome="Adopted")


def test_decisions_seam_takes_a_ready_item_to_decided(admitted, bob):
    services.phases_advance_due(admitted.phase_ends_at + timedelta(days=30))
    services.agenda_item_voting_start(item=admitted, decision_ref="ballot-7")
    services.agenda_item_decide(item=admitted, outcome="Rent strike adopted, 61 %")
    admitted.refresh_from_db()
    assert admitted.phase == Phase.DECIDED
    services.follow_up_log(user=bob, item=admitted, status="planned", text="Letters drafted")
    assert admitted.follow_ups.count() == 1


def test_withdrawing_every_motion_withdraws_the_item(item, motion, alice):
    services.motion_withdraw(user=alice, motion=motion, reason="We found another way")
    item.refresh_from_db()
    assert item.phase == Phase.WITHDRAWN


def test_the_phase_task_advances_what_is_due(admitted):
    from parrhesia.agenda.tasks import phase_end_task

    assert phase_end_task.call(admitted.pk) == Phase.DISCUSSION  # not due yet: nothing moves
