"""Organisation pages: forms that explain what went wrong, htmx fragments, nothing lost."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.orgs import services
from parrhesia.orgs.models import Invitation, Organisation

pytestmark = pytest.mark.django_db


def test_revoking_with_htmx_swaps_only_the_invitation_panel(client, riverside, bob):
    invitation = services.invitation_create(user=bob, organisation=riverside, note="for Erin")
    client.force_login(bob)
    url = reverse("orgs:invitation_revoke", args=["riverside", invitation.pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<div class="panel" id="invitation-{invitation.pk}">')
    assert "Revoked" in page and "<html" not in page
    again = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert "This invitation was already revoked." in again


def test_revoking_without_javascript_redirects_with_a_message(client, riverside, bob):
    invitation = services.invitation_create(user=bob, organisation=riverside)
    client.force_login(bob)
    response = client.post(
        reverse("orgs:invitation_revoke", args=["riverside", invitation.pk]), follow=True
    )
    assert "The invitation was revoked." in response.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "slug": "ok", "visibility": "members"}, "This field is required."),
        ({"name": "X", "slug": "Not A Slug!", "visibility": "members"}, "lowercase letters"),
        ({"name": "X", "slug": "riverside", "visibility": "members"}, "already taken"),
        ({"name": "X" * 1000, "slug": "ok", "visibility": "members"}, "at most 120 characters"),
        ({"name": "X", "slug": "ok", "visibility": "secret"}, "Select a valid choice"),
    ],
)
def test_founding_with_bad_input_explains_the_fix(client, riverside, erin, data, message):
    client.force_login(erin)
    response = client.post(reverse("organisation_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organisation.objects.count() == 1


def test_a_megabyte_of_text_is_refused_not_crashed_on(client, riverside, alice):
    client.force_login(alice)
    response = client.post(
        reverse("orgs:conduct_edit", args=["riverside"]),
        {"rules": "Be kind.\n" * 120_000, "reason": "Longer"},
    )
    assert response.status_code == 200
    assert "at most 20000 characters" in response.content.decode().replace(",", "")
    assert riverside.conduct_codes.count() == 1


def test_refusing_without_a_reason_keeps_the_request_pending(client, riverside, bob, erin):
    from parrhesia.orgs.models import JoinRequest

    request = JoinRequest.objects.create(organisation=riverside, user=erin)
    client.force_login(bob)
    response = client.post(
        reverse("orgs:join_request_refuse", args=["riverside", request.pk]), {"reason": ""}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert JoinRequest.objects.get(pk=request.pk).status == "pending"


def test_the_last_admin_is_told_why_they_cannot_leave(client, riverside, alice):
    client.force_login(alice)
    response = client.post(reverse("orgs:membership", args=["riverside"]), {"reason": ""})
    assert "You are the last admin" in response.content.decode()


def test_a_used_up_invitation_link_says_what_to_do(client, riverside, alice, erin, dave):
    invitation = services.invitation_create(user=alice, organisation=riverside, single_use=True)
    services.invitation_accept(user=erin, token=invitation.token)
    client.force_login(dave)
    page = client.get(reverse("invite", args=[invitation.token])).content.decode()
    assert "This invitation can no longer be used" in page
    response = client.post(reverse("invite", args=[invitation.token]))
    assert response.status_code == 400
    assert "has been used. Ask for a new one." in response.content.decode()
    assert client.get(reverse("invite", args=["nonsense"])).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_member_asking_to_join_is_sent_to_the_organisation(
    client, riverside, alice, carol, method
):
    services.organisation_update(
        user=alice, organisation=riverside, name=riverside.name, description="", visibility="public"
    )
    client.force_login(carol)
    response = getattr(client, method)(reverse("orgs:join", args=["riverside"]), follow=True)
    assert response.redirect_chain == [(reverse("orgs:detail", args=["riverside"]), 302)]
    assert "You are already a member of this organisation." in response.content.decode()
    assert not riverside.join_requests.exists()


def test_asking_to_join_is_for_signed_in_non_members_of_a_public_organisation(
    client, riverside, alice, erin
):
    url = reverse("orgs:join", args=["riverside"])
    client.force_login(erin)
    assert client.get(url).status_code == 404  # members-only: hidden from outsiders
    services.organisation_update(
        user=alice, organisation=riverside, name=riverside.name, description="", visibility="public"
    )
    assert client.get(url).status_code == 200
    response = client.post(url, {"message": "Block C"}, follow=True)
    assert "Your request was sent. A steward will answer it." in response.content.decode()
    client.logout()
    assert client.get(url).status_code == 302  # to sign in


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_member_following_an_invitation_is_sent_to_the_organisation(
    client, riverside, alice, carol, method
):
    invitation = services.invitation_create(user=alice, organisation=riverside)
    client.force_login(carol)
    response = getattr(client, method)(reverse("invite", args=[invitation.token]), follow=True)
    assert response.redirect_chain == [(reverse("orgs:detail", args=["riverside"]), 302)]
    assert "You are already a member of this organisation." in response.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).uses == invitation.uses


def test_an_invitation_shows_to_anyone_and_admits_whoever_is_not_a_member(
    client, riverside, alice, erin
):
    invitation = services.invitation_create(user=alice, organisation=riverside)
    url = reverse("invite", args=[invitation.token])
    assert client.get(url).status_code == 200  # signed out: the page, to sign in from
    client.force_login(erin)
    assert client.get(url).status_code == 200
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(reverse("orgs:detail", args=["riverside"]), 302)]
    assert "Welcome to Riverside Tenants." in response.content.decode()
