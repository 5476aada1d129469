"""A secret ballot's minimum anonymity set (default 5 voters, the organisation's policy): below
it the ballot cannot be closed early, and a ballot that closes with fewer voters publishes no
count and no ballots, only that too few voted (docs/voting.md, "Secrecy")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from parrhesia.cli import main
from parrhesia.decisions import services
from parrhesia.decisions.models import Ballot, SecretBallot
from parrhesia.decisions.services import BallotError
from parrhesia.record.exports import record_export_write
from parrhesia.record.models import RecordEntry

pytestmark = pytest.mark.django_db


def secret(open_ballot, **settings):
    return open_ballot("plurality", ["A", "B"], secrecy="secret", **settings)


@pytest.fixture
def crowd(riverside, voters):
    """Four more members: eight can vote, enough for a secret vote of up to eight voters (one
    with a larger minimum could never publish a count, and is refused at the opening)."""
    from parrhesia.accounts.models import User
    from parrhesia.orgs import services as orgs

    invitation = orgs.invitation_create(user=voters["alice"], organisation=riverside)
    for name in ("fay", "gus", "hal", "ida"):
        user = User.objects.create_user(username=name, password="x", display_name=name.title())
        orgs.invitation_accept(user=user, token=invitation.token)


def test_a_secret_vote_that_could_never_publish_a_count_is_refused(client, open_ballot, voters):
    with pytest.raises(BallotError, match="only 4 members can vote now"):
        secret(open_ballot, min_anonymity=5)
    assert not Ballot.objects.exists()
    client.force_login(voters["bob"])
    form = {"title": "Rent strike?", "method": "plurality", "options": "Yes\nNo",
            "secrecy": "secret", "seats": "1", "reasons": "optional", "threshold": "simple",
            "quorum_percent": "0", "closes_at": "2999-01-01T12:00"}  # fmt: skip
    page = client.post(reverse("decisions:new", args=["riverside"]), form)
    assert "it could never publish one" in page.content.decode()
    assert not Ballot.objects.exists()


def test_the_default_is_five_voters(open_ballot, voters, crowd):
    ballot = secret(open_ballot, min_anonymity=None)
    assert ballot.min_anonymity == 5
    opened = RecordEntry.objects.get(action="ballot.opened", subject_id=str(ballot.pk))
    assert opened.payload["min_anonymity"] == 5


def test_no_early_close_after_two_votes(client, open_ballot, voters, crowd):
    ballot = secret(open_ballot, min_anonymity=None)
    for name in ("carol", "erin"):
        services.ballot_vote(user=voters[name], ballot=ballot, choices=0)
    with pytest.raises(BallotError, match="closes early only once 5 members have voted"):
        services.ballot_close(user=voters["bob"], ballot=ballot)
    client.force_login(voters["bob"])
    page = client.get(reverse("decisions:detail", args=["riverside", ballot.pk])).content.decode()
    assert "Close the vote now" not in page
    assert Ballot.objects.get(pk=ballot.pk).is_open


def test_at_the_closing_time_too_few_voters_publish_nothing(client, open_ballot, voters, tmp_path):
    ballot = secret(open_ballot, min_anonymity=3)
    for name, choice in (("carol", 0), ("erin", 1)):
        services.ballot_vote(user=voters[name], ballot=ballot, choices=choice)
    assert services.ballot_close_if_due(
        ballot_id=ballot.pk, now=ballot.closes_at + timedelta(seconds=1)
    )
    ballot.refresh_from_db()
    assert ballot.result["outcome"] == "no_quorum" and ballot.result["turnout"] == 2
    assert ballot.result["withheld"] == "too_few_voters"
    assert "tally" not in ballot.result and "counts" not in ballot.result
    assert ballot.published_ballots == [] and not SecretBallot.objects.filter(ballot=ballot)
    closed = RecordEntry.objects.get(action="ballot.closed", subject_id=str(ballot.pk))
    assert closed.payload["ballots"] == []
    client.force_login(voters["alice"])
    page = client.get(reverse("decisions:detail", args=["riverside", ballot.pk])).content.decode()
    assert "fewer than 3 members voted" in page and "Votes per option" not in page
    csv_text = client.get(reverse("decisions:ballots_csv", args=["riverside", ballot.pk]))
    assert csv_text.content.decode().strip() == "A,B"
    # and anyone recounts it from the export: the same withheld result
    path = tmp_path / "riverside.jsonl"
    with path.open("wb") as handle:
        record_export_write(ballot.organisation, handle)
    assert main(["decisions", "recount", "--record", str(path)]) == 0


def test_enough_voters_close_early_and_publish(open_ballot, voters):
    ballot = secret(open_ballot, min_anonymity=3)
    for name in ("alice", "carol", "erin"):
        services.ballot_vote(user=voters[name], ballot=ballot, choices=1)
    result = services.ballot_close(user=voters["bob"], ballot=ballot).result
    assert result["winners"] == ["B"] and result["quorum_needed"] == 3
    assert "withheld" not in result


def test_the_policy_sets_it(client, riverside, voters, open_ballot, crowd):
    client.force_login(voters["alice"])
    url = reverse("decisions:policy", args=["riverside"])
    assert "Fewest voters of a secret vote" in client.get(url).content.decode()
    form = {"threshold": "simple", "reasons": "optional", "quorum_percent": "0",
            "minority_window_days": "7", "min_anonymity": "8"}  # fmt: skip
    assert client.post(url, form).status_code == 302
    assert RecordEntry.objects.get(action="decision_policy.changed").payload["min_anonymity"] == 8
    assert secret(open_ballot, min_anonymity=None).min_anonymity == 8
    bad = client.post(url, {**form, "min_anonymity": "0"})
    assert bad.status_code == 200 and "greater than or equal to 1" in bad.content.decode()


def test_open_ballots_keep_their_opening_entry(open_ballot, voters):
    ballot = open_ballot()
    opened = RecordEntry.objects.get(action="ballot.opened", subject_id=str(ballot.pk))
    assert "min_anonymity" not in opened.payload


def test_a_withheld_ballot_offers_no_tracker_search(client, open_ballot, voters):
    # Nothing was published: "no published ballot has this tracker" would send voters looking.
    ballot = secret(open_ballot, min_anonymity=3)
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices=0)
    services.ballot_close_if_due(ballot_id=ballot.pk, now=ballot.closes_at + timedelta(seconds=1))
    client.force_login(voters["carol"])
    page = client.get(reverse("decisions:detail", args=["riverside", ballot.pk])).content.decode()
    assert "fewer than 3 members voted" in page and 'id="tracker-search"' not in page


def test_the_policy_refuses_a_minimum_of_no_voters(riverside, voters):
    with pytest.raises(BallotError, match="at least 1"):
        services.policy_change(
            user=voters["alice"], organisation=riverside, threshold="simple", reasons="optional",
            quorum_percent=0, minority_window_days=7, min_anonymity=0,
        )  # fmt: skip
