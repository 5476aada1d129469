"""An open ballot names its voters only to whoever may see the member list (docs/privacy.md, §5:
a private member list hid only the members who never voted, since an open ballot listed each
voter by name to every reader, anonymous visitors of a public organisation included). Everyone
else reads them by member number, as the record has them."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse

from parrhesia.decisions import services
from parrhesia.orgs import services as orgs
from parrhesia.orgs.models import Visibility
from tests.fixtures.decisions import member_of

pytestmark = pytest.mark.django_db

NAMES = ("Alice Admin", "Bob Steward", "Carol Member", "Erin Outsider")


def names_in(text: str) -> list[str]:
    return [name for name in NAMES if name in text]


@pytest.fixture
def public_riverside(riverside, alice, voters):
    orgs.organisation_update(
        user=alice,
        organisation=riverside,
        name=riverside.name,
        description="",
        visibility=Visibility.PUBLIC,
    )
    riverside.refresh_from_db()
    return riverside


@pytest.fixture
def ballots(public_riverside, open_ballot, voters):
    """A running vote with a reason, and a closed one with a co-signed minority report."""
    running = open_ballot("plurality", ["Green", "Red"])
    services.ballot_vote(user=voters["carol"], ballot=running, choices=1, reason="Too dear.")
    closed = open_ballot()
    services.ballot_vote(user=voters["alice"], ballot=closed, choices="for")
    services.ballot_vote(user=voters["bob"], ballot=closed, choices="for")
    services.ballot_vote(user=voters["carol"], ballot=closed, choices="against", reason="No.")
    services.ballot_vote(user=voters["erin"], ballot=closed, choices="against")
    closed = services.ballot_close(user=voters["bob"], ballot=closed)
    # rejected (2 for, 2 against): alice and bob, who voted for, dissent
    report = services.minority_report_file(
        user=voters["alice"], ballot=closed, title="We dissent", text="Because."
    )
    services.minority_report_cosign(user=voters["bob"], report=report)
    return running, closed


def pages(client, ballots) -> str:
    running, closed = ballots
    texts = []
    for ballot in ballots:
        for name in ("decisions:detail", "decisions:json"):
            response = client.get(reverse(name, args=["riverside", ballot.pk]))
            assert response.status_code == 200
            texts.append(response.content.decode())
    download = client.get("/o/riverside/record/download.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    texts.append(archive.read("decisions/ballots.json").decode())
    return "\n".join(texts)


def test_a_visitor_reads_the_voters_by_member_number_only(client, ballots, voters, riverside):
    text = pages(client, ballots)
    assert names_in(text) == []
    carol = member_of(voters["carol"], riverside).pk
    assert "Too dear." in text and f"— member {carol}" in text
    alice, bob = (member_of(voters[name], riverside).pk for name in ("alice", "bob"))
    assert f"Filed by member {alice} on" in text and f"Co-signed by member {bob}." in text
    closed = json.loads(
        client.get(reverse("decisions:json", args=["riverside", ballots[1].pk])).content
    )
    assert {item["member"] for item in closed["ballots"]} == {
        member_of(voters[name], riverside).pk for name in ("alice", "bob", "carol", "erin")
    }
    assert all("name" not in item for item in closed["ballots"])


def test_members_read_the_voters_by_name(client, ballots, voters):
    client.force_login(voters["erin"])
    text = pages(client, ballots)
    assert "Too dear.</li>" not in text and "— Carol Member" in text
    assert "Filed by Alice Admin on" in text and "Co-signed by Bob Steward." in text


def test_a_public_member_list_names_the_voters_to_visitors(client, ballots, alice, riverside):
    orgs.organisation_update(
        user=alice,
        organisation=riverside,
        name=riverside.name,
        description="",
        visibility=Visibility.PUBLIC,
        member_list_public=True,
        reason="We campaign in the open.",
    )
    text = pages(client, ballots)
    assert "— Carol Member" in text and "Filed by Alice Admin on" in text
