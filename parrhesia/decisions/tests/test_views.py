"""Pages: bad input gives clear errors, results and downloads after the close."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.decisions import services
from parrhesia.methods.voting.preflib import parse_csv, parse_preflib

pytestmark = pytest.mark.django_db


def vote_url(ballot):
    return reverse("decisions:vote", args=["riverside", ballot.pk])


def detail_url(ballot):
    return reverse("decisions:detail", args=["riverside", ballot.pk])


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Rank at least one option."),
        ({"rank_0": "1", "rank_1": "1"}, "Give each candidate a different number"),
        ({"rank_0": "9"}, "less than or equal to 3"),
    ],
)
def test_bad_rankings_are_explained(client, open_ballot, voters, form, message):
    ballot = open_ballot("irv", ["A", "B", "C"])
    client.force_login(voters["carol"])
    response = client.post(vote_url(ballot), form)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_vote_after_the_close_is_refused(client, open_ballot, voters):
    ballot = open_ballot()
    services.ballot_close(user=voters["bob"], ballot=ballot)
    client.force_login(voters["carol"])
    response = client.post(vote_url(ballot), {"choice": "for"})
    assert response.status_code == 400 and "This vote has closed" in response.content.decode()


def test_a_member_who_joined_later_is_told_why(client, open_ballot, riverside, alice, dave):
    from parrhesia.orgs import services as orgs

    ballot = open_ballot()
    orgs.invitation_accept(
        user=dave, token=orgs.invitation_create(user=alice, organisation=riverside).token
    )
    client.force_login(dave)
    assert "You joined after this vote opened" in client.get(detail_url(ballot)).content.decode()
    response = client.post(vote_url(ballot), {"choice": "for"})
    assert response.status_code == 400 and "joined after" in response.content.decode()


def test_the_idempotency_header_wins_over_the_form(client, open_ballot, voters):
    ballot = open_ballot()
    client.force_login(voters["carol"])
    for _ in range(3):
        client.post(vote_url(ballot), {"choice": "for"}, headers={"Idempotency-Key": "same"})
    assert ballot.votes.count() == 1
    from parrhesia.record.models import RecordEntry

    assert RecordEntry.objects.filter(action="ballot.voted").count() == 1


def test_results_are_hidden_until_the_close_when_asked(client, open_ballot, voters):
    ballot = open_ballot("plurality", ["Green", "Red"], results_hidden=True)
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices=0)
    client.force_login(voters["alice"])
    assert (
        "The results are hidden until the close." in client.get(detail_url(ballot)).content.decode()
    )
    services.ballot_close(user=voters["bob"], ballot=ballot)
    page = client.get(detail_url(ballot)).content.decode()
    assert 'id="outcome"' in page and "Green" in page


def test_a_closed_schulze_vote_shows_its_matrix_and_downloads(client, open_ballot, voters):
    ballot = open_ballot("schulze", ["A", "B", "C"], status_quo_label="None")
    for name, ranking in [("alice", [[0], [1]]), ("bob", [[0], [3]]), ("carol", [[1], [0, 2]])]:
        services.ballot_vote(user=voters[name], ballot=ballot, choices=ranking)
    services.ballot_close(user=voters["bob"], ballot=ballot)
    client.force_login(voters["carol"])
    page = client.get(detail_url(ballot)).content.decode()
    assert "Adopted: A" in page and "heat-title" in page and 'role="img"' in page
    csv_text = client.get(reverse("decisions:ballots_csv", args=["riverside", ballot.pk]))
    toi = client.get(reverse("decisions:ballots_preflib", args=["riverside", ballot.pk]))
    assert parse_csv(csv_text.content.decode()).num_ballots == 3
    profile = parse_preflib(toi.content.decode())
    assert profile.alternatives == ("A", "B", "C", "None") and profile.num_ballots == 3


def test_a_closed_stv_election_shows_its_stages(client, open_ballot, voters):
    ballot = open_ballot("stv", ["Ana", "Ben", "Chloé", "Dev"], seats=2, secrecy="secret")
    for name, ranking in [
        ("alice", [[0], [1]]),
        ("bob", [[0], [2]]),
        ("carol", [[0], [3]]),
        ("erin", [[1]]),
    ]:
        services.ballot_vote(user=voters[name], ballot=ballot, choices=ranking)
    services.ballot_close(user=voters["bob"], ballot=ballot)
    client.force_login(voters["carol"])
    page = client.get(detail_url(ballot)).content.decode()
    assert "SSI 2007/42" in page and "Votes of each candidate" in page and "Transfers" in page


def test_the_member_download_holds_the_ballots(client, open_ballot, voters):
    import io
    import zipfile

    ballot = open_ballot("plurality", ["A", "B"])
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices=1)
    services.ballot_close(user=voters["bob"], ballot=ballot)
    client.force_login(voters["carol"])
    response = client.get("/o/riverside/record/download.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert f"decisions/ballot-{ballot.pk}.csv" in archive.namelist()
    assert "decisions/ballots.json" in archive.namelist()


def test_opening_a_ballot_through_the_form(client, voters):
    client.force_login(voters["bob"])
    response = client.post(
        reverse("decisions:new", args=["riverside"]),
        {
            "title": "Delegates",
            "method": "stv",
            "options": "Ana\nBen\nAna",
            "seats": "2",
            "secrecy": "secret",
            "reasons": "off",
            "threshold": "simple",
            "quorum_percent": "0",
            "closes_at": "2999-01-01T10:00",
        },
    )
    assert "Two options have the same name" in response.content.decode()


def test_a_running_count_says_it_is_not_the_result(client, open_ballot, voters):
    ballot = open_ballot()
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="against")
    client.force_login(voters["alice"])
    page = client.get(detail_url(ballot)).content.decode()
    assert "Running count" in page and "If the vote closed now:" in page
    services.ballot_close(user=voters["bob"], ballot=ballot)
    page = client.get(detail_url(ballot)).content.decode()
    assert "If the vote closed now:" not in page and "Rejected." in page


def test_minority_reports_come_right_after_the_outcome(client, open_ballot, voters):
    ballot = open_ballot()
    services.ballot_vote(user=voters["alice"], ballot=ballot, choices="for")
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="against")
    services.ballot_vote(user=voters["bob"], ballot=ballot, choices="for")
    ballot = services.ballot_close(user=voters["bob"], ballot=ballot)
    services.minority_report_file(
        user=voters["carol"], ballot=ballot, title="We dissent", text="Because."
    )
    client.force_login(voters["erin"])
    page = client.get(detail_url(ballot)).content.decode()
    assert page.index('id="outcome"') < page.index("We dissent") < page.index("Recount it yourself")
