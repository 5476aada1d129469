"""Mandates: an admin gives a membership a voting weight with a reason (sealed on the record);
a ballot fixes the weights at its opening and counts each ballot that many times, secret ones
too (the anonymous ballot is published with its weight)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from parrhesia.decisions import services
from parrhesia.decisions.models import Mandate
from parrhesia.record.models import RecordEntry
from tests.fixtures.decisions import member_of

pytestmark = pytest.mark.django_db


def give_mandates(riverside, voters, name="carol", weight=3):
    return services.mandate_set(
        user=voters["alice"],
        membership=member_of(voters[name], riverside),
        weight=weight,
        reason="Delegate of the Northside section",
    )


def test_only_an_admin_gives_mandates_with_a_reason(riverside, voters):
    carol = member_of(voters["carol"], riverside)
    with pytest.raises(PermissionDenied):
        services.mandate_set(user=voters["bob"], membership=carol, weight=3, reason="Section")
    with pytest.raises(services.BallotError, match="Say why"):
        services.mandate_set(user=voters["alice"], membership=carol, weight=3, reason=" ")
    with pytest.raises(services.BallotError, match="from 1 to"):
        services.mandate_set(user=voters["alice"], membership=carol, weight=0, reason="x")
    give_mandates(riverside, voters)
    assert Mandate.objects.get(membership=carol).weight == 3


def test_the_weight_is_on_the_record_and_its_reason_sealed(riverside, voters):
    give_mandates(riverside, voters)
    entry = RecordEntry.objects.get(organisation=riverside, action="mandate.changed")
    carol = member_of(voters["carol"], riverside)
    assert entry.payload["member"] == carol.pk and entry.payload["weight"] == 3
    assert b"Northside" not in bytes(entry.canonical)


def test_a_ballot_fixes_the_weights_at_its_opening(riverside, open_ballot, voters):
    give_mandates(riverside, voters)
    carol = member_of(voters["carol"], riverside)
    ballot = open_ballot()
    give_mandates(riverside, voters, weight=7)  # too late for this ballot
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="for")
    services.ballot_vote(user=voters["alice"], ballot=ballot, choices="against")
    services.ballot_vote(user=voters["bob"], ballot=ballot, choices="against")
    ballot = services.ballot_close(user=voters["bob"], ballot=ballot)
    assert ballot.weights == {str(carol.pk): 3}
    assert ballot.result["counts"]["for"] == 3 and ballot.result["counts"]["against"] == 2
    assert ballot.result["outcome"] == "adopted"
    assert ballot.result["represented"] == 5
    assert ballot.result["electorate_weight"] == 6


def test_an_organisation_without_mandates_keeps_its_unweighted_results(
    riverside, open_ballot, voters
):
    ballot = open_ballot()
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="for")
    ballot = services.ballot_close(user=voters["bob"], ballot=ballot)
    assert "represented" not in ballot.result
    opened = RecordEntry.objects.get(organisation=riverside, action="ballot.opened")
    assert "weights" not in opened.payload and "delegation" not in opened.payload


def test_a_secret_ballot_publishes_each_anonymous_ballot_with_its_weight(
    riverside, open_ballot, voters
):
    give_mandates(riverside, voters)
    ballot = open_ballot("plurality", ["A", "B"], secrecy="secret")
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices=0)
    services.ballot_vote(user=voters["bob"], ballot=ballot, choices=1)
    services.ballot_vote(user=voters["erin"], ballot=ballot, choices=1)
    ballot = services.ballot_close(user=voters["bob"], ballot=ballot)
    weights = sorted(item.get("weight", 1) for item in ballot.published_ballots)
    assert weights == [1, 1, 3]
    assert ballot.result["winners"] == ["A"]


def test_every_form_that_opens_a_secret_ballot_warns_of_withheld_ballots(
    client, riverside, voters, item
):
    client.force_login(voters["bob"])
    urls = [
        f"/o/{riverside.slug}/decisions/new/",
        f"/o/{riverside.slug}/decisions/quick/",
        f"/o/{riverside.slug}/decisions/agenda-items/{item.pk}/",
    ]
    for url in urls:
        assert "mandates-warning" not in client.get(url).content.decode(), url
    give_mandates(riverside, voters)
    for url in urls:
        page = client.get(url).content.decode()
        assert 'id="mandates-warning"' in page, url
        assert "the ballots are then withheld and only the count is published" in page, url
        assert "fewer than 5 voters cast ballots of some weight" in page, url
