"""Accepting a join request is a second step, with a reason the applicant may be told: the list's
"Accept…" opens a page to confirm it, which works without JavaScript (issue 14)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.orgs import services
from parrhesia.orgs.models import JoinRequestStatus, Membership, Visibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def join_request(riverside, erin):
    riverside.visibility = Visibility.PUBLIC
    riverside.save()
    return services.join_request_create(
        user=erin, organisation=riverside, message="I live in block C."
    )


def test_the_list_links_to_a_confirmation_instead_of_accepting_at_once(client, join_request, bob):
    client.force_login(bob)
    page = client.get(reverse("orgs:join_requests", args=["riverside"])).content.decode()
    url = reverse("orgs:join_request_accept", args=["riverside", join_request.pk])
    assert f'href="{url}"' in page
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert "I live in block C." in confirmation.content.decode()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.PENDING


def test_confirming_admits_them_with_the_reason(client, riverside, join_request, bob, erin):
    client.force_login(bob)
    url = reverse("orgs:join_request_accept", args=["riverside", join_request.pk])
    response = client.post(url, {"reason": "Welcome, neighbour."})
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.ACCEPTED
    assert join_request.reason == "Welcome, neighbour."
    assert Membership.objects.filter(organisation=riverside, user=erin).exists()
