"""Minority reports: who may file and co-sign, when, and that they stay frozen beside the result."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parrhesia.decisions import selectors, services
from parrhesia.decisions.services import BallotError
from parrhesia.record.models import RecordEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(open_ballot, voters, riverside, dave):
    from parrhesia.orgs import services as orgs

    invitation = orgs.invitation_create(user=voters["alice"], organisation=riverside)
    orgs.invitation_accept(user=dave, token=invitation.token)
    voters["dave"] = dave
    ballot = open_ballot()
    for name, choice in [
        ("alice", "for"),
        ("bob", "for"),
        ("dave", "for"),
        ("carol", "against"),
        ("erin", "block"),
    ]:
        services.ballot_vote(user=voters[name], ballot=ballot, choices=choice, reason="r")
    services.ballot_block_answer(user=voters["bob"], ballot=ballot, text="We heard you.")
    return services.ballot_close(user=voters["bob"], ballot=ballot, now=ballot.closes_at)


def test_those_against_or_blocking_may_file_and_co_sign(adopted, voters):
    report = services.minority_report_file(
        user=voters["carol"], ballot=adopted, title="A mistake", text="The dues are too high."
    )
    services.minority_report_cosign(user=voters["erin"], report=report)
    assert [c.member.user for c in report.cosigners.all()] == [voters["erin"]]
    assert RecordEntry.objects.filter(action="minority_report.filed").get().payload["text"] == (
        "The dues are too high."
    )
    assert RecordEntry.objects.filter(action="minority_report.cosigned").count() == 1


def test_the_majority_may_not(adopted, voters):
    with pytest.raises(BallotError, match="losing side"):
        services.minority_report_file(user=voters["alice"], ballot=adopted, title="t", text="x")


def test_one_report_each_and_not_after_the_window(adopted, voters):
    services.minority_report_file(user=voters["carol"], ballot=adopted, title="t", text="x")
    with pytest.raises(BallotError, match="already"):
        services.minority_report_file(user=voters["carol"], ballot=adopted, title="t", text="y")
    late = adopted.closed_at + timedelta(days=7, seconds=1)
    with pytest.raises(BallotError, match="over"):
        services.minority_report_file(
            user=voters["erin"], ballot=adopted, title="t", text="x", now=late
        )


def test_not_before_the_close(open_ballot, voters):
    ballot = open_ballot()
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="against")
    with pytest.raises(BallotError, match="after the vote closes"):
        services.minority_report_file(user=voters["carol"], ballot=ballot, title="t", text="x")


def test_in_a_ranked_vote_those_who_preferred_another_option(open_ballot, voters):
    ballot = open_ballot("schulze", ["A", "B"], status_quo_label="SQ")
    for name, ranking in [
        ("alice", [[0]]),
        ("bob", [[0], [1]]),
        ("carol", [[1], [0]]),
        ("erin", [[0, 1]]),
    ]:
        services.ballot_vote(user=voters[name], ballot=ballot, choices=ranking)
    ballot = services.ballot_close(user=voters["bob"], ballot=ballot)
    assert [selectors.minority_eligible(ballot, m) for m in _members(ballot, voters)] == [
        False,
        False,
        True,
        False,
    ]


def _members(ballot, voters):
    from tests.fixtures.decisions import member_of

    return [member_of(voters[n], ballot.organisation) for n in ("alice", "bob", "carol", "erin")]


def test_a_report_shows_beside_the_result_and_in_the_api(client, adopted, voters):
    services.minority_report_file(user=voters["carol"], ballot=adopted, title="Dissent", text="x")
    client.force_login(voters["alice"])
    page = client.get(f"/o/riverside/decisions/{adopted.pk}/").content.decode()
    assert "Dissent" in page and "We heard you." in page
    document = client.get(f"/o/riverside/decisions/{adopted.pk}/ballot.json").json()
    assert document["minority_reports"][0]["title"] == "Dissent"
    assert timezone.now() < adopted.minority_window_ends


def test_a_filed_report_reaches_the_electorate_and_their_digest(adopted, voters, riverside):
    from parrhesia.notifications.models import Notification
    from parrhesia.notifications.notices import notification_text
    from parrhesia.notifications.services import digest_body

    closed = Notification.objects.filter(kind="ballot_closed")
    assert {n.recipient for n in closed} == set(voters.values())  # the whole electorate
    report = services.minority_report_file(
        user=voters["carol"], ballot=adopted, title="A mistake", text="The dues are too high."
    )
    told = Notification.objects.filter(kind="minority_report")
    assert {n.recipient for n in told} == set(voters.values()) - {voters["carol"]}
    notice = told.filter(recipient=voters["alice"]).get()
    assert notice.url.endswith(f"/decisions/{adopted.pk}/#report-{report.pk}")
    assert "“A mistake”" in notification_text(notice)
    digest = digest_body(list(Notification.objects.filter(recipient=voters["alice"])))
    assert "A minority report was filed on the vote" in digest and "A mistake" in digest
