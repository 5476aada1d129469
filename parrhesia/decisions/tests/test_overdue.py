"""The close at the closing time: opening a ballot queues its close task for then; until the task
(or ``parrhesia due``) has made the count, the overdue ballot's pages show it closed for voting
and change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from parrhesia.decisions import services
from parrhesia.decisions.models import Ballot, Status
from parrhesia.decisions.tasks import ballot_close_task
from parrhesia.record.models import RecordEntry

pytestmark = pytest.mark.django_db

COUNTING = "Voting has closed. The count is being made"
DEFERRING = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@override_settings(TASKS=DEFERRING)
def test_opening_queues_the_close_for_the_closing_time(
    open_ballot, voters, django_capture_on_commit_callbacks
):
    backend = ballot_close_task.get_backend()
    backend.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ballot = open_ballot()
    assert backend.results == []  # nothing before the commit
    for callback in callbacks:
        callback()
    [queued] = [r for r in backend.results if r.task.func == ballot_close_task.func]
    assert queued.args == [ballot.pk] and queued.task.run_after == ballot.closes_at


@pytest.fixture
def overdue(open_ballot, voters):
    """A motion vote with one vote for, whose closing time passed a minute ago."""
    ballot = open_ballot(early_close_allowed=False)
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="for")
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    ballot.refresh_from_db()
    return ballot


def test_its_page_shows_it_closed_for_voting_and_writes_nothing(client, overdue, voters):
    entries = RecordEntry.objects.count()
    client.force_login(voters["alice"])
    page = client.get(reverse("decisions:detail", args=["riverside", overdue.pk])).content.decode()
    assert COUNTING in page
    assert "Cast my vote" not in page and "You joined after" not in page
    listing = client.get(reverse("decisions:index", args=["riverside"])).content.decode()
    assert "voting closed; the count is being made" in listing
    overdue.refresh_from_db()
    assert overdue.status == Status.OPEN and RecordEntry.objects.count() == entries


def test_a_vote_is_refused_as_before(client, overdue, voters):
    client.force_login(voters["erin"])
    url = reverse("decisions:vote", args=["riverside", overdue.pk])
    response = client.post(url, {"choice": "against"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This vote has closed" in page and COUNTING in page


def test_a_steward_may_still_close_it(client, overdue, voters):
    client.force_login(voters["bob"])
    page = client.get(reverse("decisions:detail", args=["riverside", overdue.pk])).content.decode()
    assert "Close the vote now" in page
    client.post(reverse("decisions:close", args=["riverside", overdue.pk]), {"confirm": "on"})
    overdue.refresh_from_db()
    assert overdue.status == Status.CLOSED


@pytest.mark.parametrize("due", ["parrhesia due", "the close task"])
def test_the_due_work_closes_it_and_the_page_shows_the_result(client, overdue, voters, due):
    if due == "parrhesia due":
        assert services.ballots_close_due(now=timezone.now()) == 1
    else:
        assert ballot_close_task.call(overdue.pk) is True
    client.force_login(voters["alice"])
    page = client.get(reverse("decisions:detail", args=["riverside", overdue.pk])).content.decode()
    assert COUNTING not in page and "Adopted." in page
    assert RecordEntry.objects.filter(action="ballot.closed").count() == 1


def test_its_page_calls_the_count_so_far_not_final_and_offers_no_early_close(
    client, open_ballot, voters
):
    ballot = open_ballot(early_close_allowed=True)  # results shown while the vote runs
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="for")
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    client.force_login(voters["alice"])
    page = client.get(reverse("decisions:detail", args=["riverside", ballot.pk])).content.decode()
    assert COUNTING in page and "Count so far, not final" in page and "Adopted." in page
    assert "If the vote closed now" not in page and "Running count" not in page
    assert "may close it earlier" not in page and "UTC; the count is being made." in page


@pytest.fixture
def overdue_block(open_ballot, voters):
    """A motion vote blocked by carol and not answered, whose closing time passed a minute ago."""
    ballot = open_ballot()
    services.ballot_vote(
        user=voters["carol"], ballot=ballot, choices="block", reason="It breaks the lease."
    )
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    ballot.refresh_from_db()
    return ballot


def test_its_blocks_can_no_longer_be_answered(client, overdue_block, voters):
    entries = RecordEntry.objects.count()
    client.force_login(voters["bob"])  # the motion's author
    page = client.get(reverse("decisions:detail", args=["riverside", overdue_block.pk]))
    page = page.content.decode()
    assert "Answer the blocks" not in page and "must answer in writing before the close" not in page
    assert "its authors did not answer before the close" in page
    with pytest.raises(services.BallotError, match="answers are given before the close"):
        services.ballot_block_answer(user=voters["bob"], ballot=overdue_block, text="Too late.")
    url = reverse("decisions:answer", args=["riverside", overdue_block.pk])
    response = client.post(url, {"text": "Too late."})
    assert response.status_code == 400
    assert "answers are given before the close" in response.content.decode()
    overdue_block.refresh_from_db()
    assert overdue_block.block_answer == "" and RecordEntry.objects.count() == entries


def test_a_block_is_answered_until_the_closing_time_not_after(open_ballot, voters):
    ballot = open_ballot()
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="block", reason="No.")
    with pytest.raises(services.BallotError, match="closed"):
        services.ballot_block_answer(
            user=voters["bob"], ballot=ballot, text="Late.", now=ballot.closes_at
        )
    services.ballot_block_answer(
        user=voters["bob"], ballot=ballot, text="In time.", now=ballot.closes_at - timedelta(1)
    )
    ballot.refresh_from_db()
    assert ballot.block_answer == "In time."
