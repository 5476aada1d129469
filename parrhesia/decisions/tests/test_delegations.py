"""Topic delegation: off by default; by area or for the whole organisation; revocable, expiring
and renewable with a reminder; applied to open ballots only, whose close fixes the graph in force
on the record; delegators override by voting; the cap returns weight and tells them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from parrhesia.agenda import services as agenda
from parrhesia.decisions import services
from parrhesia.decisions.delegation_selectors import delegation_edges
from parrhesia.decisions.models import Delegation, RunningCount
from parrhesia.kernel.todo import todo_for
from parrhesia.notifications.models import Notification
from parrhesia.record.models import RecordEntry
from tests.fixtures.decisions import member_of

pytestmark = pytest.mark.django_db


def policy(riverside, alice, **changes):
    settings = {
        "proxies_max": 2,
        "delegation_enabled": True,
        "delegation_transitive": False,
        "delegation_cap_percent": 5,
        "delegation_cap_max": 20,
        "delegation_days": 365,
        **changes,
    }
    return services.delegation_policy_change(user=alice, organisation=riverside, **settings)


def last(riverside, action):
    return RecordEntry.objects.filter(organisation=riverside, action=action).order_by("seq").last()


def test_delegation_is_off_by_default(riverside, voters):
    with pytest.raises(PermissionDenied):
        services.delegation_give(
            user=voters["carol"],
            organisation=riverside,
            delegate=member_of(voters["bob"], riverside),
        )


def test_the_policy_change_is_on_the_record(riverside, voters):
    policy(riverside, voters["alice"], delegation_transitive=True, delegation_cap_max=3)
    entry = last(riverside, "delegation_policy.changed")
    assert entry.payload["delegation_enabled"] is True
    assert entry.payload["delegation_cap_max"] == 3
    assert entry.payload["delegation_transitive"] is True


def test_a_delegation_is_given_replaced_and_revoked_on_the_record(riverside, voters):
    policy(riverside, voters["alice"])
    bob, erin = member_of(voters["bob"], riverside), member_of(voters["erin"], riverside)
    carol = member_of(voters["carol"], riverside)
    first = services.delegation_give(user=voters["carol"], organisation=riverside, delegate=bob)
    entry = last(riverside, "delegation.given")
    assert entry.actor == carol.pk
    assert entry.payload["delegator"] == carol.pk and entry.payload["delegate"] == bob.pk
    assert entry.payload["area"] == ""
    assert Notification.objects.filter(recipient=voters["bob"], kind="delegation_received")
    second = services.delegation_give(user=voters["carol"], organisation=riverside, delegate=erin)
    first.refresh_from_db()
    assert first.ended_at is not None
    services.delegation_revoke(user=voters["carol"], delegation=second)
    assert last(riverside, "delegation.revoked").payload["delegate"] == erin.pk
    assert not Delegation.objects.filter(ended_at__isnull=True).exists()
    with pytest.raises(services.BallotError, match="already ended"):
        services.delegation_revoke(user=voters["carol"], delegation=second)


def test_one_may_not_revoke_someone_elses_delegation(riverside, voters):
    policy(riverside, voters["alice"])
    mine = services.delegation_give(
        user=voters["carol"], organisation=riverside, delegate=member_of(voters["bob"], riverside)
    )
    with pytest.raises(services.BallotError, match="Only the member"):
        services.delegation_revoke(user=voters["erin"], delegation=mine)


def test_an_area_is_an_item_type_and_wins_over_the_whole_organisation(riverside, voters):
    policy(riverside, voters["alice"])
    agenda.policy_set(
        user=voters["alice"], organisation=riverside, item_type="budget", admission_days=14,
        admission_quorum_percent=50, alternative_quorum_percent=34, discussion_days=7,
        frozen_days=2,
    )  # fmt: skip
    bob, erin = member_of(voters["bob"], riverside), member_of(voters["erin"], riverside)
    carol = member_of(voters["carol"], riverside)
    with pytest.raises(services.BallotError, match="not an area"):
        services.delegation_give(
            user=voters["carol"], organisation=riverside, delegate=bob, area="nonsense"
        )
    services.delegation_give(user=voters["carol"], organisation=riverside, delegate=bob)
    services.delegation_give(
        user=voters["carol"], organisation=riverside, delegate=erin, area="budget"
    )
    now = timezone.now()
    assert delegation_edges(riverside, "budget", now) == [(carol.pk, erin.pk)]
    assert delegation_edges(riverside, "", now) == [(carol.pk, bob.pk)]


def test_delegations_expire_are_renewed_and_remind_once(riverside, voters):
    policy(riverside, voters["alice"], delegation_days=30)
    bob = member_of(voters["bob"], riverside)
    delegation = services.delegation_give(
        user=voters["carol"], organisation=riverside, delegate=bob
    )
    assert services.delegations_remind(now=timezone.now()) == 0
    later = delegation.expires_at - timedelta(days=3)
    assert services.delegations_remind(now=later) == 1
    assert services.delegations_remind(now=later) == 0
    notice = Notification.objects.get(recipient=voters["carol"], kind="delegation_expiring")
    assert notice.url.endswith("/decisions/delegations/")
    todo = [row for row in todo_for(voters["carol"], later) if row.kind == "delegation"]
    assert todo and todo[0].deadline == delegation.expires_at
    assert delegation_edges(riverside, "", delegation.expires_at) == []  # expired
    services.delegation_renew(
        user=voters["carol"], delegation=delegation, now=delegation.expires_at
    )
    delegation.refresh_from_db()
    assert delegation.expires_at > later + timedelta(days=20)
    assert last(riverside, "delegation.renewed").payload["delegator"] == delegation.delegator_id


def close_with_delegations(riverside, open_ballot, voters, votes, **ballot_settings):
    ballot = open_ballot(**ballot_settings)
    for name, choice in votes.items():
        services.ballot_vote(user=voters[name], ballot=ballot, choices=choice)
    return services.ballot_close(user=voters["bob"], ballot=ballot)


def test_an_open_ballot_counts_the_delegates_weight_and_fixes_the_graph_at_close(
    riverside, open_ballot, voters
):
    policy(riverside, voters["alice"], delegation_cap_percent=100)
    bob, carol = member_of(voters["bob"], riverside), member_of(voters["carol"], riverside)
    erin = member_of(voters["erin"], riverside)
    services.delegation_give(user=voters["carol"], organisation=riverside, delegate=bob)
    services.delegation_give(user=voters["erin"], organisation=riverside, delegate=bob)
    ballot = close_with_delegations(
        riverside, open_ballot, voters, {"bob": "for", "alice": "against"}
    )
    assert ballot.result["counts"]["for"] == 3
    assert ballot.result["represented"] == 4
    closed = last(riverside, "ballot.closed")
    assert closed.payload["delegations"] == [[carol.pk, bob.pk], [erin.pk, bob.pk]]
    assert ballot.carried["carried"] == [
        {"delegate": bob.pk, "givers": [carol.pk, erin.pk], "weight": 2}
    ]
    opened = last(riverside, "ballot.opened")
    assert opened.payload["delegation"] == {"area": "", "transitive": False, "cap": 4}
    assert opened.payload["weights"] == {}


def test_a_delegator_who_votes_before_the_close_takes_their_weight_back(
    riverside, open_ballot, voters
):
    policy(riverside, voters["alice"], delegation_cap_percent=100)
    services.delegation_give(
        user=voters["carol"], organisation=riverside, delegate=member_of(voters["bob"], riverside)
    )
    ballot = close_with_delegations(
        riverside, open_ballot, voters, {"bob": "for", "carol": "against"}
    )
    assert ballot.result["counts"]["for"] == 1 and ballot.result["counts"]["against"] == 1
    assert ballot.carried["carried"] == []


def test_the_cap_returns_the_latest_delegation_and_tells_its_delegator(
    riverside, open_ballot, voters
):
    policy(riverside, voters["alice"])  # 5 % of four members: a cap of 1
    bob, erin = member_of(voters["bob"], riverside), member_of(voters["erin"], riverside)
    services.delegation_give(user=voters["carol"], organisation=riverside, delegate=bob)
    services.delegation_give(user=voters["erin"], organisation=riverside, delegate=bob)
    ballot = close_with_delegations(riverside, open_ballot, voters, {"bob": "for"})
    assert ballot.result["counts"]["for"] == 2
    assert ballot.carried["returned"] == [erin.pk]
    capped = last(riverside, "delegation.capped")
    assert capped.payload == {"cap": 1, "returned": [erin.pk]}
    assert capped.subject_id == str(ballot.pk)
    assert Notification.objects.filter(recipient=voters["erin"], kind="delegation_capped")
    assert not Notification.objects.filter(recipient=voters["carol"], kind="delegation_capped")


def test_delegation_never_applies_to_secret_or_hidden_ballots(riverside, open_ballot, voters):
    policy(riverside, voters["alice"], delegation_cap_percent=100)
    services.delegation_give(
        user=voters["carol"], organisation=riverside, delegate=member_of(voters["bob"], riverside)
    )
    for settings in ({"secrecy": "secret"}, {"results_hidden": True}):
        ballot = close_with_delegations(riverside, open_ballot, voters, {"bob": "for"}, **settings)
        assert ballot.delegation is None
        assert "delegations" not in last(riverside, "ballot.closed").payload
        assert ballot.result["turnout"] == 1
        assert "represented" not in ballot.result


def test_the_running_count_moves_weight_as_delegators_vote(riverside, open_ballot, voters):
    policy(riverside, voters["alice"], delegation_cap_percent=100)
    services.delegation_give(
        user=voters["carol"], organisation=riverside, delegate=member_of(voters["bob"], riverside)
    )
    ballot = open_ballot()
    services.ballot_vote(user=voters["bob"], ballot=ballot, choices="for")
    assert RunningCount.objects.get(ballot=ballot).result["counts"]["for"] == 2
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="against")
    assert RunningCount.objects.get(ballot=ballot).result["counts"] == {
        "for": 1,
        "against": 1,
        "abstain": 0,
        "block": 0,
    }


def test_a_delegation_given_while_a_ballot_runs_moves_its_running_count(
    riverside, open_ballot, voters
):
    policy(riverside, voters["alice"], delegation_cap_percent=100)
    ballot = open_ballot()
    services.ballot_vote(user=voters["bob"], ballot=ballot, choices="for")
    services.delegation_give(
        user=voters["carol"], organisation=riverside, delegate=member_of(voters["bob"], riverside)
    )
    count = RunningCount.objects.get(ballot=ballot)
    assert (count.result["counts"]["for"], count.represented) == (2, 2)


def test_a_delegator_is_told_at_once_when_the_cap_returns_their_new_delegation(riverside, voters):
    policy(riverside, voters["alice"])  # a cap of 1 among four members
    bob = member_of(voters["bob"], riverside)
    services.delegation_give(user=voters["carol"], organisation=riverside, delegate=bob)
    assert not Notification.objects.filter(kind="delegation_over_cap").exists()
    services.delegation_give(user=voters["erin"], organisation=riverside, delegate=bob)
    [notice] = Notification.objects.filter(kind="delegation_over_cap")
    assert notice.recipient == voters["erin"]


def test_delegators_are_told_when_their_delegate_votes_so_they_can_override(
    riverside, open_ballot, voters
):
    policy(riverside, voters["alice"], delegation_cap_percent=100)
    bob = member_of(voters["bob"], riverside)
    services.delegation_give(user=voters["carol"], organisation=riverside, delegate=bob)
    services.delegation_give(user=voters["erin"], organisation=riverside, delegate=bob)
    ballot = open_ballot()
    services.ballot_vote(user=voters["erin"], ballot=ballot, choices="against")  # voted already
    services.ballot_vote(user=voters["bob"], ballot=ballot, choices="for")
    services.ballot_vote(user=voters["bob"], ballot=ballot, choices="abstain")  # once a ballot
    told = Notification.objects.filter(kind="delegate_voted")
    assert [notice.recipient for notice in told] == [voters["carol"]]
    assert told.get().params["name"] == voters["bob"].public_name
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="against")  # overrides
    closed = services.ballot_close(user=voters["bob"], ballot=ballot)
    assert closed.result["counts"]["against"] == 2 and closed.result["counts"]["abstain"] == 1
