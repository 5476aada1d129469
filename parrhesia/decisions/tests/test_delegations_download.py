"""The download says who carries whose vote, as the record does: delegations, proxies and voting
weights by member number, names only for a reader who may see the member list; a mandate's
reason stays a sealed value of the record's export (erasable there), not repeated here."""

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


def delegations_json(client, organisation) -> dict:
    response = client.get(reverse("record:download", args=[organisation.slug]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    text = archive.read("decisions/delegations.json")
    assert b"Northside" not in text  # the record's export carries the reason, erasable there
    return json.loads(text)


@pytest.fixture
def carried(riverside, open_ballot, voters):
    alice, carol = voters["alice"], voters["carol"]
    services.delegation_policy_change(
        user=alice, organisation=riverside, proxies_max=2, delegation_enabled=True,
        delegation_transitive=False, delegation_cap_percent=5, delegation_cap_max=20,
        delegation_days=365,
    )  # fmt: skip
    bob, erin = member_of(voters["bob"], riverside), member_of(voters["erin"], riverside)
    first = services.delegation_give(user=carol, organisation=riverside, delegate=bob)
    services.delegation_give(user=carol, organisation=riverside, delegate=erin)  # ends the first
    ballot = open_ballot()
    services.proxy_give(user=voters["erin"], ballot=ballot, holder=bob)
    services.mandate_set(
        user=alice, membership=member_of(carol, riverside), weight=3,
        reason="Delegate of the Northside section",
    )  # fmt: skip
    first.refresh_from_db()
    return ballot, first


def test_a_member_downloads_every_delegation_proxy_and_weight(client, riverside, voters, carried):
    ballot, first = carried
    client.force_login(voters["erin"])
    document = delegations_json(client, riverside)
    carol, bob, erin = (member_of(voters[n], riverside) for n in ("carol", "bob", "erin"))
    given = [(d["delegator"]["member"], d["delegate"]["member"]) for d in document["delegations"]]
    assert given == [(carol.pk, bob.pk), (carol.pk, erin.pk)]
    assert document["delegations"][0]["ended_at"] == first.ended_at.isoformat()
    assert document["delegations"][1]["ended_at"] is None
    [proxy] = document["proxies"]
    assert (proxy["ballot"], proxy["giver"]["member"], proxy["holder"]["member"]) == (
        ballot.pk, erin.pk, bob.pk,
    )  # fmt: skip
    assert [(w["member"], w["weight"]) for w in document["weights"]] == [(carol.pk, 3)]
    assert document["weights"][0]["name"] == voters["carol"].public_name


def test_a_visitor_reads_them_by_member_number_only(client, riverside, voters, carried):
    orgs.organisation_update(
        user=voters["alice"], organisation=riverside, name=riverside.name, description="",
        visibility=Visibility.PUBLIC,
    )  # fmt: skip
    document = delegations_json(client, riverside)
    people = [d[k] for d in document["delegations"] for k in ("delegator", "delegate")]
    people += [p[k] for p in document["proxies"] for k in ("giver", "holder")]
    people += document["weights"]
    assert people and all("name" not in person for person in people)
    text = json.dumps(document)
    assert not any(voters[n].public_name in text for n in ("carol", "bob", "erin"))
