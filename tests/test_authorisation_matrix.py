"""Every URL × every persona, against the declared table in tests/authorisation.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from parrhesia.orgs import services
from parrhesia.orgs.models import Invitation, JoinRequest, Membership, Organisation
from tests.authorisation import PERSONAS, TABLE

pytestmark = pytest.mark.django_db


def url_names(patterns: list[Any] | None = None, namespace: str = "") -> list[str]:
    names: list[str] = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                names.append(f"<unnamed {pattern.pattern}>")
            else:
                names.append(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_a_row_in_the_table():
    missing = sorted(set(url_names()) - set(TABLE))
    assert not missing, f"add these URLs to tests/authorisation.py: {missing}"


def test_the_table_names_no_url_that_is_gone():
    assert not sorted(set(TABLE) - set(url_names()))


@dataclass
class World:
    organisation: Organisation
    invitation: Invitation
    join_request: JoinRequest
    member_membership: Membership
    users: dict[str, Any]


@pytest.fixture
def world(personas, riverside, alice, erin, carol) -> World:
    invitation = services.invitation_create(user=alice, organisation=riverside)
    # A request made while the organisation was public; it is members-only now.
    join_request = JoinRequest.objects.create(organisation=riverside, user=erin, message="Block C")
    return World(
        organisation=riverside,
        invitation=invitation,
        join_request=join_request,
        member_membership=Membership.objects.get(organisation=riverside, user=carol),
        users={
            "outsider": personas["outsider"],
            "other": personas["other_member"],
            "member": personas["member"],
            "steward": personas["steward"],
            "admin": personas["admin"],
        },
    )


def request_as(client, world: World, persona: str, method: str, name: str) -> int:
    row = TABLE[name]
    if persona != "anon":
        client.force_login(world.users[persona])
    url = reverse(name, kwargs=row.kwargs(world))
    if method == "get":
        response = client.get(url, row.query)
    else:
        response = client.post(url, row.post_data(world))
    return response.status_code


CASES = [
    (method, name, persona)
    for name, row in TABLE.items()
    for method in ("get", "post")
    if row.expected(method, "anon") is not None
    for persona in PERSONAS
]


@pytest.mark.parametrize(("method", "name", "persona"), CASES)
def test_access(client, world, method, name, persona):
    expected = TABLE[name].expected(method, persona)
    assert request_as(client, world, persona, method, name) == expected


def test_an_outsider_learns_nothing_of_a_members_only_organisation(client, world):
    client.force_login(world.users["outsider"])
    for name in ("orgs:detail", "orgs:members", "orgs:conduct"):
        existing = client.get(reverse(name, kwargs={"slug": "riverside"}))
        missing = client.get(reverse(name, kwargs={"slug": "no-such-org"}))
        assert existing.status_code == missing.status_code == 404
        assert b"Riverside" not in existing.content
        assert without_tokens(
            existing.content.replace(b"riverside", b"no-such-org")
        ) == without_tokens(missing.content)


def without_tokens(page: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", page)


def test_a_public_organisation_can_be_read_by_anyone_but_changed_by_its_admins(
    client, world, alice
):
    services.organisation_update(
        user=alice,
        organisation=world.organisation,
        name="Riverside",
        description="",
        visibility="public",
    )
    for name in ("orgs:detail", "orgs:members", "orgs:conduct"):
        assert client.get(reverse(name, kwargs={"slug": "riverside"})).status_code == 200
    client.force_login(world.users["outsider"])
    assert client.get(reverse("orgs:settings", kwargs={"slug": "riverside"})).status_code == 403
    assert client.get(reverse("orgs:join", kwargs={"slug": "riverside"})).status_code == 200
