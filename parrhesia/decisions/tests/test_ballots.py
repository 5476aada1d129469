"""Opening, voting, closing: the services, with the record written alongside."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from parrhesia.decisions import services
from parrhesia.decisions.models import Ballot, Vote
from parrhesia.decisions.services import BallotError
from parrhesia.record.models import RecordEntry
from tests.fixtures.decisions import soon

pytestmark = pytest.mark.django_db


def entries(ballot, action):
    return RecordEntry.objects.filter(
        organisation=ballot.organisation,
        subject_kind="ballot",
        subject_id=str(ballot.pk),
        action=action,
    ).order_by("seq")


def test_it_freezes_the_electorate_and_records_the_opening(open_ballot, voters):
    ballot = open_ballot("schulze", ["Motion A", "Motion B"], status_quo_label="Keep as is")
    [opened] = entries(ballot, "ballot.opened")
    assert opened.payload["electorate_size"] == 4 == len(ballot.electorate)
    assert [o["label"] for o in opened.payload["options"]] == ["Motion A", "Motion B", "Keep as is"]
    assert opened.payload["options"][2]["status_quo"] is True


def test_a_member_cannot_open_a_ballot(riverside, carol, voters):
    with pytest.raises(PermissionDenied):
        services.ballot_open(
            user=carol,
            organisation=riverside,
            title="x",
            method="motion",
            options=[],
            closes_at=soon(),
        )


@pytest.mark.parametrize(
    ("method", "options", "settings", "message"),
    [
        ("schulze", ["A", "B"], {}, "status quo"),
        ("irv", ["A", "A"], {}, "same name"),
        ("stv", ["A", "B", "C"], {"seats": 4}, "seats"),
        ("motion", [], {"closes_at": timezone.now() - timedelta(hours=1)}, "future"),
        ("plurality", ["A"], {}, "at least two"),
    ],
)
def test_it_refuses_a_malformed_ballot(open_ballot, method, options, settings, message):
    with pytest.raises(BallotError, match=message):
        open_ballot(method, options, **settings)


def test_the_latest_vote_counts_and_each_change_is_recorded(open_ballot, voters):
    ballot = open_ballot()
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="for")
    outcome = services.ballot_vote(user=voters["carol"], ballot=ballot, choices="against")
    assert outcome.state == "changed"
    assert Vote.objects.get(ballot=ballot).choices == "against"
    assert [e.payload["choices"] for e in entries(ballot, "ballot.voted")] == ["for", "against"]


def test_a_retried_submission_never_counts_twice(open_ballot, voters):
    ballot = open_ballot()
    first = services.ballot_vote(
        user=voters["carol"], ballot=ballot, choices="for", idempotency_key="k-1"
    )
    again = services.ballot_vote(
        user=voters["carol"], ballot=ballot, choices="for", idempotency_key="k-1"
    )
    assert (first.state, again.state) == ("recorded", "repeated")
    assert entries(ballot, "ballot.voted").count() == 1


def test_a_retried_secret_vote_is_not_counted_twice(open_ballot, voters):
    ballot = open_ballot("plurality", ["A", "B"], secrecy="secret")
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices=0, idempotency_key="k")
    again = services.ballot_vote(
        user=voters["carol"], ballot=ballot, choices=0, idempotency_key="k"
    )
    assert again.state == "repeated"
    assert ballot.secret_ballots.count() == 1 == entries(ballot, "ballot.participated").count()


def test_a_secret_vote_changes_only_with_its_receipt_code(open_ballot, voters):
    ballot = open_ballot("plurality", ["A", "B"], secrecy="secret")
    first = services.ballot_vote(user=voters["carol"], ballot=ballot, choices=0)
    with pytest.raises(BallotError, match="receipt code"):
        services.ballot_vote(user=voters["carol"], ballot=ballot, choices=1)
    with pytest.raises(BallotError, match="not one of"):
        services.ballot_vote(user=voters["carol"], ballot=ballot, choices=1, receipt_code="nope")
    changed = services.ballot_vote(
        user=voters["carol"], ballot=ballot, choices=1, receipt_code=first.receipt_code
    )
    assert changed.state == "changed" and changed.tracker != first.tracker
    assert [b.choices for b in ballot.secret_ballots.all()] == [1]
    assert changed.tracker == services.tracker_of(ballot.pk, 1, first.receipt_code)


def test_only_the_electorate_at_opening_votes(open_ballot, riverside, alice, dave, voters):
    from parrhesia.orgs import services as orgs

    ballot = open_ballot()
    invitation = orgs.invitation_create(user=alice, organisation=riverside)
    orgs.invitation_accept(user=dave, token=invitation.token)
    with pytest.raises(BallotError, match="joined after"):
        services.ballot_vote(user=dave, ballot=ballot, choices="for")


def test_no_vote_after_the_close(open_ballot, voters):
    ballot = open_ballot()
    services.ballot_close(user=voters["bob"], ballot=ballot)
    with pytest.raises(BallotError, match="closed"):
        services.ballot_vote(user=voters["carol"], ballot=ballot, choices="for")


def test_no_vote_after_the_closing_time_even_before_the_task_ran(open_ballot, voters):
    ballot = open_ballot()
    with pytest.raises(BallotError, match="closed"):
        services.ballot_vote(
            user=voters["carol"], ballot=ballot, choices="for", now=ballot.closes_at
        )


def test_a_block_needs_a_reason_and_an_answer_before_an_early_close(open_ballot, voters):
    ballot = open_ballot()
    with pytest.raises(BallotError, match="reason"):
        services.ballot_vote(user=voters["carol"], ballot=ballot, choices="block")
    services.ballot_vote(
        user=voters["carol"], ballot=ballot, choices="block", reason="It breaks the lease."
    )
    with pytest.raises(BallotError, match="answer"):
        services.ballot_close(user=voters["bob"], ballot=ballot)
    with pytest.raises(PermissionDenied):
        services.ballot_block_answer(user=voters["carol"], ballot=ballot, text="no")
    services.ballot_block_answer(user=voters["bob"], ballot=ballot, text="It does not: clause 4.")
    services.ballot_close(user=voters["bob"], ballot=ballot)
    assert entries(ballot, "ballot.block_answered").get().payload["text"].startswith("It does")


def test_reasons_can_be_required(open_ballot, voters):
    ballot = open_ballot(reasons="required")
    with pytest.raises(BallotError, match="reason"):
        services.ballot_vote(user=voters["carol"], ballot=ballot, choices="for")


def test_early_close_only_when_the_ballot_allows_it(open_ballot, voters):
    ballot = open_ballot(early_close_allowed=False)
    with pytest.raises(BallotError, match="may not be closed"):
        services.ballot_close(user=voters["bob"], ballot=ballot)
    with pytest.raises(PermissionDenied):
        services.ballot_close(user=voters["carol"], ballot=ballot)


def test_the_deadline_closes_it_once(open_ballot, voters):
    ballot = open_ballot()
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="for")
    assert not services.ballot_close_if_due(ballot_id=ballot.pk, now=timezone.now())
    later = ballot.closes_at + timedelta(seconds=1)
    assert services.ballots_close_due(now=later) == 1
    assert services.ballots_close_due(now=later) == 0
    ballot.refresh_from_db()
    assert ballot.result["outcome"] == "adopted" and ballot.closed_by is None
    assert entries(ballot, "ballot.closed").get().actor is None


@pytest.mark.parametrize(
    ("threshold", "votes", "outcome"),
    [
        ("simple", ["for", "for", "against", "abstain"], "adopted"),
        ("simple", ["for", "against"], "rejected"),
        ("two_thirds", ["for", "for", "against"], "adopted"),
        ("three_quarters", ["for", "for", "against", "abstain"], "rejected"),
        ("consensus_minus_one", ["for", "for", "for", "against"], "adopted"),
        ("consensus_minus_one", ["for", "for", "against", "block"], "rejected"),
    ],
)
def test_motion_thresholds(open_ballot, voters, threshold, votes, outcome):
    ballot = open_ballot(threshold=threshold)
    for name, choice in zip(["alice", "bob", "carol", "erin"], votes, strict=False):
        services.ballot_vote(user=voters[name], ballot=ballot, choices=choice, reason="r")
    if "block" in votes:
        services.ballot_block_answer(user=voters["bob"], ballot=ballot, text="answer")
    assert services.ballot_close(user=voters["bob"], ballot=ballot).result["outcome"] == outcome


def test_without_quorum_there_is_no_decision(open_ballot, voters):
    ballot = open_ballot(quorum_percent=50)
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="for")
    result = services.ballot_close(user=voters["bob"], ballot=ballot).result
    assert (result["outcome"], result["turnout"], result["quorum_needed"]) == ("no_quorum", 1, 2)


def test_a_motion_must_beat_the_status_quo(open_ballot, voters):
    ballot = open_ballot("schulze", ["Raise dues", "Cut dues"], status_quo_label="Keep dues")
    sq = 2
    for name, ranking in [
        ("alice", [[0], [sq], [1]]),
        ("bob", [[sq], [0], [1]]),
        ("carol", [[1], [sq], [0]]),
        ("erin", [[sq], [1, 0]]),
    ]:
        services.ballot_vote(user=voters[name], ballot=ballot, choices=ranking)
    result = services.ballot_close(user=voters["bob"], ballot=ballot).result
    assert result["outcome"] == "status_quo" and result["winners"] == []
    assert result["tally"]["winners"] == ["Keep dues"]


def test_an_stv_election_of_three(open_ballot, voters):
    ballot = open_ballot("stv", ["Ana", "Ben", "Chloé", "Dev", "Eli"], seats=3, secrecy="secret")
    for name, ranking in [
        ("alice", [[0], [1], [2]]),
        ("bob", [[0], [2]]),
        ("carol", [[3], [1]]),
        ("erin", [[1], [4]]),
    ]:
        services.ballot_vote(user=voters[name], ballot=ballot, choices=ranking)
    result = services.ballot_close(user=voters["bob"], ballot=ballot).result
    assert result["outcome"] == "elected" and len(result["winners"]) == 3
    assert result["tally"]["quota"] == 2 and result["winners"][0] == "Ana"
    assert Ballot.objects.get(pk=ballot.pk).published_ballots[0].keys() == {
        "tracker",
        "choices",
        "reason",
    }


@pytest.mark.parametrize(
    ("method", "choices", "message"),
    [
        ("schulze", [], "at least one"),
        ("schulze", [[0], [0]], "only once"),
        ("irv", [[0, 1]], "different number"),
        ("approval", [0, 0], "at most once"),
        ("plurality", 7, "one option"),
        ("motion", "maybe", "for, against"),
    ],
)
def test_it_refuses_bad_choices(open_ballot, voters, method, choices, message):
    options = [] if method == "motion" else ["A", "B", "C"]
    settings = {"status_quo_label": "Nothing"} if method == "schulze" else {}
    ballot = open_ballot(method, options, **settings)
    with pytest.raises(BallotError, match=message):
        services.ballot_vote(user=voters["carol"], ballot=ballot, choices=choices)


def test_the_deliberation_seam_keeps_each_motion_s_source(riverside, bob, voters):
    ballot = services.ballot_open_for_motions(
        user=bob,
        organisation=riverside,
        title="Which rules?",
        options=[("Motion 1", "motion", "11"), ("Motion 2", "motion", "12")],
        status_quo_label="Current rules",
        closes_at=soon(),
    )
    [opened] = entries(ballot, "ballot.opened")
    assert opened.payload["method"] == "schulze"
    assert opened.payload["options"][1]["source"] == {"kind": "motion", "id": "12"}
