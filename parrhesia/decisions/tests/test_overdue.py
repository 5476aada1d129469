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
    client.post(reverse("decisions:close", args=["riverside", overdue.pk]))
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
