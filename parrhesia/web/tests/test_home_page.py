"""The home page counts every member of an organisation and never says none is public beside one."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_union(alice, bob, carol):
    from parrhesia.orgs import services
    from parrhesia.orgs.models import Visibility

    organisation = services.organisation_create(
        user=alice, name="Open Tenants", slug="open-tenants", visibility=Visibility.PUBLIC
    )
    invitation = services.invitation_create(user=alice, organisation=organisation)
    for person in (bob, carol):
        services.invitation_accept(user=person, token=invitation.token)
    return organisation


def test_a_member_sees_every_member_counted_on_their_organisation(client, carol, public_union):
    client.force_login(carol)
    page = client.get(reverse("home")).content.decode()
    assert "3 members" in page
    assert "1 member" not in page


def test_a_member_of_the_only_public_organisation_is_not_told_none_is_public(
    client, carol, public_union
):
    client.force_login(carol)
    page = client.get(reverse("home")).content.decode()
    assert "No organisation here is public yet." not in page
    assert "No other organisation here is public yet." in page


def test_a_visitor_sees_the_public_organisation_with_its_members(client, public_union):
    page = client.get(reverse("home")).content.decode()
    assert "Open Tenants" in page and "3 members" in page
    assert "No organisation here is public yet." not in page
