"""What ends with a membership: a departed or expelled member's delegations (given and
received) and unused proxies (given and held) in open ballots end on the record, the other
side is told and the running counts move; old rows that outlived a membership count for
nothing; a delegation's expiry moves the running counts at the next ``parrhesia due``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from parrhesia.cli.due import due_steps
from parrhesia.decisions import services
from parrhesia.decisions.delegation_selectors import delegation_edges
from parrhesia.decisions.models import Delegation, Proxy, RunningCount
from parrhesia.decisions.tests.test_delegations import policy as delegations_policy
from parrhesia.decisions.tests.test_proxies import entries
from parrhesia.notifications.models import Notification
from parrhesia.orgs import services as orgs
from parrhesia.orgs.models import Membership, MembershipStatus
from parrhesia.tribunal import services as tribunal
from parrhesia.tribunal.models import EXPELLED, Sanction
from tests.fixtures.decisions import member_of
from tests.fixtures.tribunal import all_vote, case_reload, court_convene

pytestmark = pytest.mark.django_db


def policy(riverside, alice, **changes):
    """Delegation on, as in test_delegations, with no cap biting on these few members."""
    return delegations_policy(riverside, alice, **{"delegation_cap_percent": 100, **changes})


def for_count(ballot):
    return RunningCount.objects.get(ballot=ballot).result["counts"]["for"]


def test_leaving_ends_the_delegations_given_and_received_on_the_record(
    riverside, open_ballot, voters
):
    policy(riverside, voters["alice"])
    bob, carol = member_of(voters["bob"], riverside), member_of(voters["carol"], riverside)
    erin = member_of(voters["erin"], riverside)
    services.delegation_give(user=voters["carol"], organisation=riverside, delegate=bob)
    services.delegation_give(user=voters["erin"], organisation=riverside, delegate=carol)
    ballot = open_ballot()
    services.ballot_vote(user=voters["bob"], ballot=ballot, choices="for")
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="for")
    assert for_count(ballot) == 3  # bob's own, carol's with erin's
    orgs.membership_leave(user=voters["carol"], organisation=riverside)
    assert not Delegation.objects.filter(ended_at__isnull=True).exists()
    revoked = entries(riverside, "delegation.revoked")
    assert [(e.actor, e.payload["delegator"], e.payload["delegate"]) for e in revoked] == [
        (None, carol.pk, bob.pk),
        (None, erin.pk, carol.pk),
    ]
    assert {e.payload["why"] for e in revoked} == {"membership_ended"}
    [left] = entries(riverside, "membership.left")
    assert left.seq < revoked[0].seq  # in the leave's transaction, after its entry
    told = Notification.objects.filter(kind="delegation_ended")
    assert sorted(n.recipient.username for n in told) == ["bob", "erin"]
    assert told[0].params["name"] == voters["carol"].public_name
    # the running count moved at once: carol's vote stays, erin's weight left her
    assert for_count(ballot) == 2


def test_leaving_revokes_the_unused_proxies_given_and_held_in_open_ballots(
    riverside, open_ballot, voters
):
    bob, carol = member_of(voters["bob"], riverside), member_of(voters["carol"], riverside)
    erin = member_of(voters["erin"], riverside)
    first, second, closed = open_ballot(), open_ballot(), open_ballot()
    services.proxy_give(user=voters["carol"], ballot=first, holder=bob)
    services.proxy_give(user=voters["erin"], ballot=second, holder=carol)
    services.proxy_give(user=voters["carol"], ballot=closed, holder=erin)
    services.ballot_vote(user=voters["erin"], ballot=closed, choices="for", for_member=carol)
    orgs.membership_leave(user=voters["carol"], organisation=riverside)
    # the used proxy stays, like the vote it cast; the others are revoked on the record
    assert list(Proxy.objects.values_list("giver", "holder")) == [(carol.pk, erin.pk)]
    revoked = entries(riverside, "proxy.revoked")
    assert [(e.subject_id, e.actor, e.payload) for e in revoked] == [
        (str(first.pk), None, {"giver": carol.pk, "holder": bob.pk, "why": "membership_ended"}),
        (str(second.pk), None, {"giver": erin.pk, "holder": carol.pk, "why": "membership_ended"}),
    ]
    told = Notification.objects.filter(kind="proxy_ended")
    assert sorted(n.recipient.username for n in told) == ["bob", "erin"]
    # the ballots still count and recount: erin now votes herself
    services.ballot_vote(user=voters["erin"], ballot=second, choices="against")
    assert services.ballot_close(user=voters["bob"], ballot=second).result["counts"]["against"] == 1


def test_a_proxy_vote_for_a_member_who_left_is_refused(riverside, open_ballot, voters):
    """Old data (a proxy that outlived its giver's membership): the vote is refused."""
    bob, carol = member_of(voters["bob"], riverside), member_of(voters["carol"], riverside)
    ballot = open_ballot()
    services.proxy_give(user=voters["carol"], ballot=ballot, holder=bob)
    Membership.objects.filter(pk=carol.pk).update(status=MembershipStatus.LEFT)
    carol.refresh_from_db()
    with pytest.raises(services.BallotError, match="no longer a member"):
        services.ballot_vote(user=voters["bob"], ballot=ballot, choices="for", for_member=carol)
    assert not entries(riverside, "ballot.voted")


def test_old_delegations_of_departed_members_count_for_nothing(riverside, open_ballot, voters):
    """Rows that outlived a membership (before the hook): no weight at the close or running."""
    policy(riverside, voters["alice"])
    bob, carol = member_of(voters["bob"], riverside), member_of(voters["carol"], riverside)
    erin = member_of(voters["erin"], riverside)
    services.delegation_give(user=voters["carol"], organisation=riverside, delegate=bob)
    services.delegation_give(user=voters["erin"], organisation=riverside, delegate=bob)
    ballot = open_ballot()
    Membership.objects.filter(pk=carol.pk).update(status=MembershipStatus.LEFT)
    services.ballot_vote(user=voters["bob"], ballot=ballot, choices="for")
    assert for_count(ballot) == 2  # bob and erin, not carol
    assert delegation_edges(riverside, "", timezone.now(), ballot.electorate) == [(erin.pk, bob.pk)]
    Membership.objects.filter(pk=bob.pk).update(status=EXPELLED)  # a delegate gone too
    ballot = services.ballot_close(user=voters["alice"], ballot=ballot)
    assert entries(riverside, "ballot.closed")[-1].payload["delegations"] == []
    assert ballot.result["counts"]["for"] == 1  # bob's own vote, carrying no one's


def test_an_expulsion_ends_the_members_delegations_and_proxies(riverside, open_ballot, voters):
    court_convene(riverside, voters["alice"])
    policy(riverside, voters["alice"])
    bob, carol = member_of(voters["bob"], riverside), member_of(voters["carol"], riverside)
    services.delegation_give(user=voters["bob"], organisation=riverside, delegate=carol)
    ballot = open_ballot()
    services.proxy_give(user=voters["erin"], ballot=ballot, holder=carol)
    case = tribunal.report_file(
        user=voters["alice"],
        organisation=riverside,
        kind="member",
        object_id=carol.pk,
        rules=[1],
        description="Broke the rules.",
    )
    tribunal.defence_file(user=voters["carol"], case=case, statement="No.", answered=True)
    all_vote(case_reload(case), [Sanction.EXPULSION] * 3)
    assert member_of(voters["carol"], riverside).status == EXPELLED
    [ended] = entries(riverside, "delegation.revoked")
    assert (ended.payload["delegator"], ended.payload["why"]) == (bob.pk, "membership_ended")
    [revoked] = entries(riverside, "proxy.revoked")
    assert revoked.payload["holder"] == carol.pk
    assert not Proxy.objects.exists()
    assert Notification.objects.filter(recipient=voters["bob"], kind="delegation_ended")
    assert Notification.objects.filter(recipient=voters["erin"], kind="proxy_ended")
    assert entries(riverside, "member.expelled")[0].seq < ended.seq


def test_an_expired_delegation_leaves_the_running_count_at_the_next_due(
    riverside, open_ballot, voters
):
    policy(riverside, voters["alice"], delegation_days=30)
    bob = member_of(voters["bob"], riverside)
    delegation = services.delegation_give(
        user=voters["carol"], organisation=riverside, delegate=bob
    )
    ballot = open_ballot()
    services.ballot_vote(user=voters["bob"], ballot=ballot, choices="for")
    assert for_count(ballot) == 2
    later = delegation.expires_at + timedelta(minutes=1)
    assert services.delegations_expired_reweigh(now=delegation.expires_at - timedelta(1)) == 0
    assert services.delegations_expired_reweigh(now=later) == 1
    assert for_count(ballot) == 1
    assert services.delegations_expired_reweigh(now=later) == 0  # once
    delegation.refresh_from_db()
    assert delegation.ended_at is None  # still renewable, as before
    services.delegation_renew(user=voters["carol"], delegation=delegation, now=later)
    delegation.refresh_from_db()
    assert delegation.expiry_counted_at is None and for_count(ballot) == 2
    steps = dict(due_steps())
    assert steps["expired delegations taken out of the running counts"](later) == 0


def test_a_double_submitted_delegation_is_refused_not_a_server_error(
    riverside, voters, monkeypatch
):
    """The unique constraint caught (as when two submissions raced): a form error."""
    policy(riverside, voters["alice"])
    bob = member_of(voters["bob"], riverside)

    def clash(**kwargs):
        raise IntegrityError("one_delegation_per_area")

    monkeypatch.setattr(Delegation.objects, "create", clash)
    with pytest.raises(services.BallotError, match="same moment"):
        services.delegation_give(user=voters["carol"], organisation=riverside, delegate=bob)
