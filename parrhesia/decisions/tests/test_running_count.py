"""An open ballot's running count is kept by the votes, never counted by a page (issue 13,
finding 10: a 600-option Schulze ballot cost every visit of its page 30 s of CPU): it equals a
recount of the ballots after any sequence of votes and changes; the number of options is
capped; a large ballot's page draws no matrix and says how current its count is."""

from __future__ import annotations

import importlib
import random
import sys
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import override_settings
from django.urls import reverse

from parrhesia.cli import main
from parrhesia.decisions import counting, running, services
from parrhesia.decisions.models import Ballot, RunningCount, Vote
from parrhesia.decisions.selectors import ballot_facts

pytestmark = pytest.mark.django_db

OPTIONS = ["Ana", "Ben", "Chloé", "Dev", "Eli"]
METHODS = {
    "motion": {},
    "plurality": {"options": OPTIONS},
    "approval": {"options": OPTIONS, "seats": 2},
    "schulze": {"options": OPTIONS, "status_quo_label": "None"},
    "ranked-pairs": {"options": OPTIONS, "status_quo_label": "None"},
    "irv": {"options": OPTIONS},
    "stv": {"options": OPTIONS, "seats": 2},
}


def detail_url(ballot):
    return reverse("decisions:detail", args=["riverside", ballot.pk])


def random_choices(rng: random.Random, method: str, keys: list[int]):
    if method == "motion":
        return rng.choice(counting.MOTION_CHOICES)
    if method == "plurality":
        return rng.choice(keys)
    if method == "approval":
        return sorted(rng.sample(keys, rng.randint(0, len(keys))))
    chosen = rng.sample(keys, rng.randint(1, len(keys)))
    if method in ("irv", "stv"):
        return [[key] for key in chosen]
    tiers: list[list[int]] = []
    for key in chosen:  # ties now and then
        if tiers and rng.random() < 0.3:
            tiers[-1].append(key)
        else:
            tiers.append([key])
    return tiers


def recounted(ballot):
    """What the running count must hold: built again from the ballots themselves."""
    opened = ballot_facts(ballot)
    choices = list(Vote.objects.filter(ballot=ballot).values_list("choices", flat=True))
    count = running.running_empty(opened)
    for item in choices:
        running.running_add(count, opened, item, 1)
    return count, running.compact(counting.result_count(opened, choices))


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("seed", [1, 2])
def test_the_running_count_equals_a_recount_of_the_ballots(open_ballot, voters, method, seed):
    ballot = open_ballot(method, **METHODS[method])
    keys = list(ballot.options.values_list("key", flat=True))
    rng = random.Random(f"{method}-{seed}")
    changes = 0
    for _ in range(25):
        voter = voters[rng.choice(list(voters))]
        choices = random_choices(rng, method, keys)
        outcome = services.ballot_vote(user=voter, ballot=ballot, choices=choices, reason="Why")
        changes += outcome.state in ("recorded", "changed")
    stored = RunningCount.objects.get(ballot=ballot)
    count, result = recounted(ballot)
    assert stored.turnout == count.turnout == ballot.votes.count()
    assert (stored.scores, stored.valid) == (count.scores, count.valid)
    if count.pairwise is not None:
        stored_matrix = running.pairwise_of(stored.pairwise, len(keys))
        assert stored_matrix.tolist() == count.pairwise.tolist()
    assert stored.version == stored.result_version == changes
    assert stored.result == result
    after = ballot.closes_at + timedelta(minutes=1)  # blocks need no answer after the time
    closed = services.ballot_close(user=voters["bob"], ballot=ballot, now=after)
    assert closed.result == result  # the close, counting the ballots, finds the same


@pytest.fixture
def counted_ballot(open_ballot, voters):
    ballot = open_ballot("schulze", ["A", "B", "C"], status_quo_label="None")
    for name, ranking in [("alice", [[0], [1]]), ("bob", [[0], [3]]), ("carol", [[1], [0, 2]])]:
        services.ballot_vote(user=voters[name], ballot=ballot, choices=ranking)
    return ballot


def test_a_visit_of_an_open_ballot_counts_nothing(client, counted_ballot, voters, monkeypatch):
    """Finding 10: the page showed a running count it made itself on every visit."""

    def no_count(*args, **kwargs):
        raise AssertionError("a page counted the ballots")

    monkeypatch.setattr(counting, "result_count", no_count)
    schulze_module = sys.modules["parrhesia.methods.voting.schulze"]
    monkeypatch.setattr(schulze_module, "strongest_paths", no_count)  # Schulze's O(options³)
    client.force_login(voters["erin"])
    page = client.get(detail_url(counted_ballot)).content.decode()
    assert "Running count" in page and "Adopted: A" in page and "heat-title" in page


@pytest.mark.parametrize("hidden", [{"results_hidden": True}, {"secrecy": "secret"}])
def test_a_ballot_with_hidden_results_keeps_no_running_count(client, open_ballot, voters, hidden):
    ballot = open_ballot("plurality", ["Green", "Red"], **hidden)
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices=0)
    assert not RunningCount.objects.filter(ballot=ballot).exists()
    client.force_login(voters["alice"])
    page = client.get(detail_url(ballot)).content.decode()
    assert "The results are hidden until the close." in page and "Running count" not in page


def test_a_large_ballot_is_counted_by_the_worker_and_says_as_of_which_vote(
    client, open_ballot, voters, django_capture_on_commit_callbacks
):
    options = [f"Motion {n}" for n in range(running.MATRIX_DRAWN_UP_TO + 5)]
    ballot = open_ballot("schulze", options, status_quo_label="None")
    ranking = [[key] for key in (3, 1, 2)]
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not run yet
        services.ballot_vote(user=voters["carol"], ballot=ballot, choices=ranking)
    client.force_login(voters["alice"])
    page = client.get(detail_url(ballot)).content.decode()
    assert "This count is as of vote 0 of 1" in page
    with django_capture_on_commit_callbacks(execute=True):  # the worker's task runs
        services.ballot_vote(user=voters["alice"], ballot=ballot, choices=ranking)
    page = client.get(detail_url(ballot)).content.decode()
    assert "as of vote" not in page and "Adopted: Motion 3" in page
    # no matrix of 46 × 46 cells on the page, the ranking instead
    assert "heat-title" not in page and 'id="matrix-too-large"' in page
    assert "Ranking: Motion 3 › Motion 1 › Motion 2" in page


def test_parrhesia_due_catches_up_a_count_whose_task_was_lost(open_ballot, voters, capsys):
    options = [f"Motion {n}" for n in range(running.INLINE_OPTIONS + 1)]
    ballot = open_ballot("ranked-pairs", options, status_quo_label="None")
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices=[[4], [2]])  # no worker
    assert RunningCount.objects.get(ballot=ballot).result_version == 0
    assert main(["due"]) == 0
    assert "1 running counts brought up to date" in capsys.readouterr().out
    count = RunningCount.objects.get(ballot=ballot)
    assert count.result_version == count.version == 1
    assert count.result["winners"] == ["Motion 4"]
    assert services.running_counts_refresh_due(now=ballot.opened_at) == 0  # nothing left


def test_a_large_closed_ballot_draws_no_matrix(client, open_ballot, voters):
    options = [f"Motion {n}" for n in range(running.MATRIX_DRAWN_UP_TO + 5)]
    ballot = open_ballot("schulze", options, status_quo_label="None")
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices=[[2], [0]])
    ballot = services.ballot_close(user=voters["bob"], ballot=ballot)
    assert len(ballot.result["tally"]["pairwise"]) == len(options) + 1  # the record keeps it
    client.force_login(voters["alice"])
    page = client.get(detail_url(ballot)).content.decode()
    assert "heat-title" not in page and "in the ballot's JSON download below" in page


@override_settings(DECISIONS_MAX_OPTIONS=4)
def test_a_ballot_has_at_most_the_allowed_options(open_ballot, voters):
    with pytest.raises(services.BallotError, match="at most 4 options; this one has 5"):
        open_ballot("schulze", ["A", "B", "C", "D"], status_quo_label="None")
    assert open_ballot("schulze", ["A", "B", "C"], status_quo_label="None").options.count() == 4


@override_settings(DECISIONS_MAX_OPTIONS=4)
def test_the_opening_form_says_how_many_options_are_allowed(client, voters):
    client.force_login(voters["bob"])
    response = client.post(
        reverse("decisions:new", args=["riverside"]),
        {
            "title": "Too many",
            "method": "plurality",
            "options": "A\nB\nC\nD\nE",
            "seats": "1",
            "secrecy": "open",
            "reasons": "off",
            "threshold": "simple",
            "quorum_percent": "0",
            "closes_at": "2999-01-01T10:00",
        },
    )
    assert "A vote can have at most 4 options; this one has 5." in response.content.decode()
    assert not Ballot.objects.filter(title="Too many").exists()


def test_ballots_open_at_the_migration_get_their_running_count(open_ballot, voters):
    migration = importlib.import_module("parrhesia.decisions.migrations.0003_running_count")
    ballot = open_ballot("schulze", ["A", "B", "C"], status_quo_label="None")
    hidden = open_ballot("plurality", ["A", "B"], results_hidden=True)
    for name, ranking in [("alice", [[0], [1]]), ("bob", [[2], [3]]), ("carol", [[1], [0, 2]])]:
        services.ballot_vote(user=voters[name], ballot=ballot, choices=ranking)
    expected = RunningCount.objects.get(ballot=ballot)
    RunningCount.objects.all().delete()
    migration.running_counts_for_open_ballots(apps, None)
    built = RunningCount.objects.get()  # the hidden ballot gets none
    assert built.ballot_id == ballot.pk and hidden.pk != ballot.pk
    assert (built.version, built.turnout, built.result_version) == (3, 3, 3)
    assert bytes(built.pairwise) == bytes(expected.pairwise)
    assert built.result == expected.result
