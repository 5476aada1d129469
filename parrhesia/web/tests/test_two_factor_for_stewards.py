"""Stewards and admins must use two-factor authentication (issue 13, finding 9): a stolen
password must not be enough to hide content, open cases or change roles.

bob is riverside's steward; his grace period (PARRHESIA_MFA_GRACE_DAYS) starts when he becomes
one, so fresh test data and the demo are within it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from parrhesia.orgs import services
from parrhesia.orgs.models import Membership, Organisation, Role

pytestmark = pytest.mark.django_db


def _grace_over(organisation, person) -> Membership:
    membership = Membership.objects.get(organisation=organisation, user=person)
    membership.role_since = timezone.now() - timedelta(days=15)
    membership.save(update_fields=["role_since"])
    return membership


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_new_steward_keeps_their_powers_and_is_reminded_at_log_in(client, riverside, bob):
    response = client.post(
        "/accounts/login/", {"login": "bob", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert any("set up two-factor authentication before" in m for m in _messages(response))
    assert client.get("/o/riverside/invitations/").status_code == 200


def test_a_member_is_not_reminded(client, riverside, carol):
    response = client.post(
        "/accounts/login/", {"login": "carol", "password": "correct horse battery"}
    )
    assert not any("two-factor" in m for m in _messages(response))


def test_past_the_grace_period_a_stewards_page_sends_them_to_set_it_up(client, riverside, bob):
    _grace_over(riverside, bob)
    client.force_login(bob)
    response = client.get("/o/riverside/invitations/")
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/totp/activate/"
    assert any("must use two-factor authentication" in m for m in _messages(response))


def test_past_the_grace_period_the_services_refuse_too(riverside, bob):
    _grace_over(riverside, bob)
    with pytest.raises(PermissionDenied):
        services.invitation_create(user=bob, organisation=riverside)


def test_past_the_grace_period_an_admin_cannot_change_roles(riverside, alice, carol):
    _grace_over(riverside, alice)
    with pytest.raises(PermissionDenied):
        services.membership_role_change(
            user=alice,
            membership=Membership.objects.get(organisation=riverside, user=carol),
            role=Role.STEWARD,
            reason="Elected.",
        )


def test_with_an_authenticator_app_the_powers_hold(client, riverside, bob):
    _grace_over(riverside, bob)
    Authenticator.objects.create(user=bob, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(bob)
    assert client.get("/o/riverside/invitations/").status_code == 200
    assert "two-factor" not in client.get("/accounts/profile/").content.decode()


def test_recovery_codes_alone_are_not_a_second_factor(riverside, bob):
    _grace_over(riverside, bob)
    Authenticator.objects.create(user=bob, type=Authenticator.Type.RECOVERY_CODES, data={})
    assert not bob.has_perm("orgs.manage_invitations", riverside)


def test_the_profile_page_says_what_is_required(client, riverside, bob):
    client.force_login(bob)
    page = client.get("/accounts/profile/").content.decode()
    assert "Riverside Tenants" in page and "set it up before" in page
    _grace_over(riverside, bob)
    page = client.get("/accounts/profile/").content.decode()
    assert "your steward or admin powers wait until you set it up" in page


def test_a_member_made_steward_starts_a_new_grace_period(riverside, alice, carol):
    membership = Membership.objects.get(organisation=riverside, user=carol)
    Membership.objects.filter(pk=membership.pk).update(
        joined_at=timezone.now() - timedelta(days=400),
        role_since=timezone.now() - timedelta(days=400),
    )
    services.membership_role_change(
        user=alice, membership=membership, role=Role.STEWARD, reason="Elected."
    )
    assert carol.has_perm("orgs.manage_invitations", riverside)


def test_the_demo_organisation_is_exempt(riverside, bob):
    _grace_over(riverside, bob)
    Organisation.objects.filter(pk=riverside.pk).update(is_demo=True)
    riverside.refresh_from_db()
    assert bob.has_perm("orgs.manage_invitations", riverside)


def test_the_requirement_can_be_turned_off(settings, riverside, bob):
    settings.PARRHESIA_MFA_FOR_STEWARDS = False
    _grace_over(riverside, bob)
    assert bob.has_perm("orgs.manage_invitations", riverside)
