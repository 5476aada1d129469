"""Quick proposals and polls (issue 14): any member starts one where the decision policy allows,
on its own or inside an agenda item, with a short timeline; it is counted, recorded and closed
like any ballot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from parrhesia.decisions import services
from parrhesia.decisions.models import Ballot
from parrhesia.record.models import RecordEntry

pytestmark = pytest.mark.django_db


def quick_url(item=None) -> str:
    url = reverse("decisions:quick", args=["riverside"])
    return f"{url}?item={item.pk}" if item is not None else url


def new_url() -> str:
    return reverse("decisions:new", args=["riverside"])


def stewards_only(alice, riverside) -> None:
    services.policy_change(
        user=alice, organisation=riverside, threshold="simple", reasons="optional",
        quorum_percent=0, minority_window_days=7, quick_starters="stewards",
    )  # fmt: skip


def entries(action: str) -> list[RecordEntry]:
    return list(RecordEntry.objects.filter(action=action).order_by("seq"))


def test_a_member_starts_a_proposal_others_vote_and_it_closes_at_its_time(client, voters):
    client.force_login(voters["carol"])
    response = client.post(
        new_url(),
        {"title": "Buy a banner for the march", "method": "motion", "closes_in": "1",
         "secrecy": "open", "description": "About 80 € from the hardship fund."},
    )  # fmt: skip
    ballot = Ballot.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{ballot.pk}/")
    assert ballot.quick and ballot.method == "motion" and ballot.is_open
    opened = entries("ballot.opened")[-1]
    assert opened.payload["quick"] is True and opened.payload["agenda_item"] is None
    assert opened.actor == ballot.opened_by_id  # carol, a member, is on the record as its opener
    closes_in = ballot.closes_at - ballot.opened_at
    assert timedelta(minutes=59) < closes_in <= timedelta(hours=1, minutes=1)
    for name, choice in (("alice", "for"), ("bob", "for"), ("erin", "against")):
        services.ballot_vote(user=voters[name], ballot=ballot, choices=choice)
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="abstain")
    # nothing closes it before its time; at its time the due sweep counts it
    assert services.ballots_close_due(now=ballot.closes_at - timedelta(seconds=1)) == 0
    assert services.ballots_close_due(now=ballot.closes_at) == 1
    ballot.refresh_from_db()
    assert not ballot.is_open and ballot.result["outcome"] == "adopted"
    closed = entries("ballot.closed")[-1]
    assert closed.subject_id == str(ballot.pk)
    assert closed.payload["result"]["counts"] == {"for": 2, "against": 1, "abstain": 1, "block": 0}
    assert closed.payload["result"]["outcome"] == "adopted"


def test_a_multiple_choice_poll_counts_every_option_approved(client, voters):
    client.force_login(voters["erin"])
    closes_at = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("decisions:quick", args=["riverside"]),
        {"title": "Which evenings suit the meeting?", "method": "approval",
         "options": "Monday\nWednesday\nFriday", "closes_in": "72", "closes_at": closes_at,
         "secrecy": "open"},
    )  # fmt: skip
    assert response.status_code == 302
    poll = Ballot.objects.get()
    assert poll.method == "approval" and [o.label for o in poll.options.all()] == [
        "Monday", "Wednesday", "Friday",
    ]  # fmt: skip
    assert poll.closes_at.strftime("%Y-%m-%dT%H:%M") == closes_at  # the exact time wins
    ballots = {"alice": [0, 1], "bob": [1], "carol": [1, 2], "erin": [2]}
    for name, approved in ballots.items():
        services.ballot_vote(user=voters[name], ballot=poll, choices=approved)
    client.force_login(voters["bob"])
    assert client.get(reverse("decisions:detail", args=["riverside", poll.pk])).status_code == 200
    services.ballots_close_due(now=poll.closes_at)
    poll.refresh_from_db()
    result = entries("ballot.closed")[-1].payload["result"]
    assert result["winners"] == ["Wednesday"] == poll.result["winners"]
    assert result["tally"]["scores"] == {"Monday": 1, "Wednesday": 3, "Friday": 2}


def test_stewards_only_refuses_members_with_a_clear_message(client, voters, riverside):
    stewards_only(voters["alice"], riverside)
    assert entries("decision_policy.changed")[-1].payload["quick_starters"] == "stewards"
    client.force_login(voters["carol"])
    for response in (
        client.get(quick_url()),
        client.get(new_url()),
        client.post(
            quick_url(), {"title": "X", "method": "motion", "closes_in": "24", "secrecy": "open"}
        ),  # fmt: skip
    ):
        assert response.status_code == 403
        assert "lets only stewards start proposals and polls" in response.content.decode()
    assert not Ballot.objects.exists()
    with pytest.raises(PermissionDenied):
        services.ballot_open_quick(
            user=voters["carol"], organisation=riverside, title="X", method="motion",
            closes_at=timezone.now() + timedelta(days=1),
        )  # fmt: skip
    # a steward still may
    client.force_login(voters["bob"])
    response = client.post(
        quick_url(), {"title": "X", "method": "motion", "closes_in": "24", "secrecy": "open"}
    )
    assert response.status_code == 302 and Ballot.objects.get().quick


def test_the_default_policy_lets_every_member_start_one(client, voters):
    client.force_login(voters["carol"])
    page = client.get(reverse("decisions:index", args=["riverside"])).content.decode()
    assert quick_url() in page
    assert client.get(new_url()).status_code == 200  # the quick form, where a 403 was


@pytest.mark.parametrize(
    ("closes_in", "message"),
    [(timedelta(minutes=30), "from one hour to 30 days"), (timedelta(days=31), "to 30 days")],
)
def test_the_timeline_runs_from_an_hour_to_thirty_days(client, voters, closes_in, message):
    client.force_login(voters["carol"])
    closes_at = (timezone.now() + closes_in).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        quick_url(), {"title": "Too quick", "method": "motion", "closes_in": "24",
                      "closes_at": closes_at, "secrecy": "open"},
    )  # fmt: skip
    assert response.status_code == 400 and message in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_quick_poll_is_no_ranked_vote(voters, riverside):
    with pytest.raises(services.BallotError, match="quick poll picks one option or several"):
        services.ballot_open_quick(
            user=voters["carol"], organisation=riverside, title="Who chairs?", method="stv",
            options=["A", "B"], closes_at=timezone.now() + timedelta(days=1),
        )  # fmt: skip


def test_a_poll_held_inside_an_agenda_item_is_shown_on_its_page(client, voters, admitted):
    client.force_login(voters["carol"])
    item_url = reverse("agenda:item", args=["riverside", admitted.pk])
    assert quick_url(admitted) in client.get(item_url).content.decode()
    response = client.post(
        quick_url(admitted),
        {"title": "Should we ask a lawyer first?", "method": "plurality",
         "options": "Yes\nNo", "closes_in": "24", "secrecy": "open"},
    )  # fmt: skip
    assert response.status_code == 302
    poll = Ballot.objects.get()
    assert poll.agenda_item == admitted and poll.method == "plurality"
    assert entries("ballot.opened")[-1].payload["agenda_item"] == admitted.pk
    page = client.get(item_url).content.decode()
    assert "Should we ask a lawyer first?" in page
    assert reverse("decisions:detail", args=["riverside", poll.pk]) in page
    # and the poll's page leads back to the item
    ballot_page = client.get(reverse("decisions:detail", args=["riverside", poll.pk]))
    assert "A quick poll, started by a member." in ballot_page.content.decode()
    assert item_url in ballot_page.content.decode()
    # it does not decide the item: closing it leaves the item where it was
    services.ballot_vote(user=voters["alice"], ballot=poll, choices=0)
    services.ballots_close_due(now=poll.closes_at)
    admitted.refresh_from_db()
    assert admitted.phase == "discussion" and not admitted.decision_ref


def test_an_item_of_another_organisation_is_not_found(client, voters, riverside, dave):
    from parrhesia.agenda.models import AgendaItem

    client.force_login(voters["carol"])
    missing = AgendaItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assert client.get(f"{quick_url()}?item={missing + 1}").status_code == 404
    assert client.get(f"{quick_url()}?item=abc").status_code == 404


def test_the_policy_page_sets_who_may_start_them(client, voters):
    client.force_login(voters["alice"])
    url = reverse("decisions:policy", args=["riverside"])
    response = client.post(
        url, {"threshold": "simple", "reasons": "optional", "quorum_percent": "0",
              "minority_window_days": "7", "min_anonymity": "5", "quick_starters": "stewards"},
    )  # fmt: skip
    assert response.status_code == 302
    assert entries("decision_policy.changed")[-1].payload["quick_starters"] == "stewards"
    client.force_login(voters["carol"])
    assert client.get(quick_url()).status_code == 403


def test_a_closed_agenda_item_takes_no_new_poll(client, voters, admitted):
    from parrhesia.agenda.models import AgendaItem

    AgendaItem.objects.filter(pk=admitted.pk).update(phase="decided")
    client.force_login(voters["carol"])
    item_page = client.get(reverse("agenda:item", args=["riverside", admitted.pk])).content
    assert quick_url(admitted) not in item_page.decode()  # no button to a refusal
    response = client.post(
        quick_url(admitted), {"title": "Too late?", "method": "motion", "closes_in": "24",
                              "secrecy": "open"},
    )  # fmt: skip
    assert response.status_code == 400 and "This agenda item is closed" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_secret_quick_proposal_keeps_the_secret_ballot_rules(client, voters, riverside):
    client.force_login(voters["carol"])
    form = {"title": "A pay rise for the organiser?", "method": "motion", "closes_in": "24",
            "secrecy": "secret"}  # fmt: skip
    # four members, below the fewest voters of a secret vote (5): it could never publish a count
    refused = client.post(quick_url(), form)
    assert refused.status_code == 400 and "could never publish one" in refused.content.decode()
    assert not Ballot.objects.exists()
    services.policy_change(
        user=voters["alice"], organisation=riverside, threshold="simple", reasons="optional",
        quorum_percent=0, minority_window_days=7, min_anonymity=3,
    )  # fmt: skip
    assert client.post(quick_url(), form).status_code == 302
    ballot = Ballot.objects.get()
    assert ballot.is_secret and ballot.hides_results and ballot.reasons == "off"
    assert ballot.min_anonymity == 3
