"""Proxies for one ballot: given to a member of the electorate, at most N held, revocable until
used, cancelled by the giver's own vote; secret ballots too, where the roll says both were cast
and never how."""

from __future__ import annotations

import pytest

from parrhesia.decisions import services
from parrhesia.decisions.models import Participation, Proxy, SecretBallot, Vote
from parrhesia.notifications.models import Notification
from parrhesia.record.models import RecordEntry
from tests.fixtures.decisions import member_of

pytestmark = pytest.mark.django_db


def entries(riverside, action):
    return list(RecordEntry.objects.filter(organisation=riverside, action=action).order_by("seq"))


def test_a_member_gives_their_vote_and_the_holder_casts_it_for_them(riverside, open_ballot, voters):
    ballot = open_ballot()
    carol, bob = member_of(voters["carol"], riverside), member_of(voters["bob"], riverside)
    services.proxy_give(user=voters["carol"], ballot=ballot, holder=bob)
    [given] = entries(riverside, "proxy.given")
    assert given.payload == {"giver": carol.pk, "holder": bob.pk}
    assert Notification.objects.filter(recipient=voters["bob"], kind="proxy_received").exists()
    services.ballot_vote(user=voters["bob"], ballot=ballot, choices="for")
    services.ballot_vote(user=voters["bob"], ballot=ballot, choices="against", for_member=carol)
    vote = Vote.objects.get(ballot=ballot, member=carol)
    assert (vote.choices, vote.cast_by_id) == ("against", bob.pk)
    proxy_vote = entries(riverside, "ballot.voted")[-1]
    assert proxy_vote.actor == bob.pk
    assert proxy_vote.payload["for"] == carol.pk
    assert proxy_vote.payload["choices"] == "against"
    assert Proxy.objects.get(ballot=ballot, giver=carol).used_at is not None
    ballot = services.ballot_close(user=voters["bob"], ballot=ballot)
    assert ballot.result["counts"] == {"for": 1, "against": 1, "abstain": 0, "block": 0}


def test_a_member_holds_at_most_the_policys_number_of_proxies(riverside, open_ballot, voters):
    services.delegation_policy_change(
        user=voters["alice"],
        organisation=riverside,
        proxies_max=1,
        delegation_enabled=False,
        delegation_transitive=False,
        delegation_cap_percent=5,
        delegation_cap_max=20,
        delegation_days=365,
    )
    ballot = open_ballot()
    bob = member_of(voters["bob"], riverside)
    services.proxy_give(user=voters["carol"], ballot=ballot, holder=bob)
    with pytest.raises(services.BallotError, match="holds 1 proxies"):
        services.proxy_give(user=voters["erin"], ballot=ballot, holder=bob)


def test_a_proxy_is_not_passed_on_nor_given_twice_nor_to_oneself(riverside, open_ballot, voters):
    ballot = open_ballot()
    bob, carol = member_of(voters["bob"], riverside), member_of(voters["carol"], riverside)
    with pytest.raises(services.BallotError, match="another member"):
        services.proxy_give(user=voters["carol"], ballot=ballot, holder=carol)
    services.proxy_give(user=voters["carol"], ballot=ballot, holder=bob)
    with pytest.raises(services.BallotError, match="already"):
        services.proxy_give(
            user=voters["carol"], ballot=ballot, holder=member_of(voters["erin"], riverside)
        )
    with pytest.raises(services.BallotError, match="hold proxies"):
        services.proxy_give(
            user=voters["bob"], ballot=ballot, holder=member_of(voters["erin"], riverside)
        )
    with pytest.raises(services.BallotError, match="given their own proxy"):
        services.proxy_give(user=voters["erin"], ballot=ballot, holder=carol)


def test_only_the_holder_votes_for_the_giver(riverside, open_ballot, voters):
    ballot = open_ballot()
    carol = member_of(voters["carol"], riverside)
    services.proxy_give(
        user=voters["carol"], ballot=ballot, holder=member_of(voters["bob"], riverside)
    )
    with pytest.raises(services.BallotError, match="no proxy"):
        services.ballot_vote(user=voters["erin"], ballot=ballot, choices="for", for_member=carol)


def test_the_giver_revokes_until_the_holder_has_voted(riverside, open_ballot, voters):
    ballot = open_ballot()
    bob, carol = member_of(voters["bob"], riverside), member_of(voters["carol"], riverside)
    services.proxy_give(user=voters["carol"], ballot=ballot, holder=bob)
    services.proxy_revoke(user=voters["carol"], ballot=ballot)
    assert [e.payload for e in entries(riverside, "proxy.revoked")] == [
        {"giver": carol.pk, "holder": bob.pk}
    ]
    with pytest.raises(services.BallotError, match="no proxy"):
        services.ballot_vote(user=voters["bob"], ballot=ballot, choices="for", for_member=carol)
    services.proxy_give(user=voters["carol"], ballot=ballot, holder=bob)
    services.ballot_vote(user=voters["bob"], ballot=ballot, choices="for", for_member=carol)
    with pytest.raises(services.BallotError, match="no longer be revoked"):
        services.proxy_revoke(user=voters["carol"], ballot=ballot)
    with pytest.raises(services.BallotError, match="your vote is cast"):
        services.ballot_vote(user=voters["carol"], ballot=ballot, choices="against")


def test_voting_first_cancels_the_proxy_on_the_record_before_the_vote(
    riverside, open_ballot, voters
):
    ballot = open_ballot()
    bob, carol = member_of(voters["bob"], riverside), member_of(voters["carol"], riverside)
    services.proxy_give(user=voters["carol"], ballot=ballot, holder=bob)
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="abstain")
    [cancelled] = entries(riverside, "proxy.cancelled")
    [vote] = entries(riverside, "ballot.voted")
    assert cancelled.seq < vote.seq and cancelled.payload["giver"] == carol.pk
    assert not Proxy.objects.filter(ballot=ballot).exists()
    with pytest.raises(services.BallotError, match="no proxy"):
        services.ballot_vote(user=voters["bob"], ballot=ballot, choices="for", for_member=carol)


def test_a_proxy_casts_a_secret_ballot_the_roll_says_both_were_cast_never_how(
    riverside, open_ballot, voters
):
    ballot = open_ballot("motion", secrecy="secret")
    bob, carol = member_of(voters["bob"], riverside), member_of(voters["carol"], riverside)
    services.proxy_give(user=voters["carol"], ballot=ballot, holder=bob)
    own = services.ballot_vote(user=voters["bob"], ballot=ballot, choices="for")
    theirs = services.ballot_vote(
        user=voters["bob"], ballot=ballot, choices="against", for_member=carol
    )
    assert own.receipt_code and theirs.receipt_code and own.tracker != theirs.tracker
    roll = entries(riverside, "ballot.participated")
    assert [(e.actor, e.payload) for e in roll] == [(bob.pk, {}), (bob.pk, {"for": carol.pk})]
    assert not any("against" in str(e.payload) for e in roll)
    assert Participation.objects.get(ballot=ballot, member=carol).cast_by_id == bob.pk
    assert SecretBallot.objects.filter(ballot=ballot).count() == 2
    assert Notification.objects.filter(recipient=voters["carol"], kind="proxy_used").exists()
    # the holder changes the giver's ballot with the giver's receipt code, as any voter would
    services.ballot_vote(
        user=voters["bob"],
        ballot=ballot,
        choices="abstain",
        for_member=carol,
        receipt_code=theirs.receipt_code,
    )
    ballot = services.ballot_close(user=voters["bob"], ballot=ballot)
    assert sorted(b["choices"] for b in ballot.published_ballots) == ["abstain", "for"]


def test_a_proxy_is_given_only_while_the_ballot_takes_votes_and_before_voting(
    riverside, open_ballot, voters
):
    ballot = open_ballot()
    bob = member_of(voters["bob"], riverside)
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="for")
    with pytest.raises(services.BallotError, match="voted"):
        services.proxy_give(user=voters["carol"], ballot=ballot, holder=bob)
    ballot = services.ballot_close(user=voters["bob"], ballot=ballot)
    with pytest.raises(services.BallotError, match="closed"):
        services.proxy_give(user=voters["erin"], ballot=ballot, holder=bob)
