"""Accounts: sign-up with a verified e-mail and a display name, rate-limited log-in, argon2."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from parrhesia.accounts.models import User

pytestmark = pytest.mark.django_db


def test_sign_up_asks_for_a_display_name_and_a_verified_email(client, mailoutbox):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "ana@example.org",
            "username": "ana",
            "display_name": "Ana Dockworker",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert response.status_code == 302 and response.url == "/accounts/confirm-email/"
    user = User.objects.get(username="ana")
    assert user.display_name == "Ana Dockworker"
    # Not signed in until the address is confirmed.
    assert client.get("/accounts/profile/").status_code == 302
    link = re.search(r"http://\S+/accounts/confirm-email/(\S+)/", mailoutbox[-1].body)
    assert link
    response = client.post(f"/accounts/confirm-email/{link.group(1)}/")
    assert client.get("/accounts/profile/").status_code == 200


def test_sign_up_refuses_a_missing_display_name(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "b@example.org",
            "username": "b",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors


def test_log_in_is_rate_limited(client, carol):
    pages = [
        client.post("/accounts/login/", {"login": "carol", "password": "wrong"}).content.decode()
        for _ in range(6)
    ]
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts" in pages[-1]
    # Even the right password is refused while the limit holds.
    right = client.post("/accounts/login/", {"login": "carol", "password": "correct horse battery"})
    assert "Too many failed login attempts" in right.content.decode()


def test_two_factor_authentication_offers_totp():
    assert "allauth.mfa" in settings.INSTALLED_APPS
    assert settings.MFA_SUPPORTED_TYPES == ["totp", "recovery_codes"]


def test_the_display_name_can_be_changed(client, carol):
    client.force_login(carol)
    response = client.post("/accounts/profile/", {"display_name": "  "})
    assert "Please give a display name." in response.content.decode() or response.status_code == 200
    client.post("/accounts/profile/", {"display_name": "Carol M."})
    carol.refresh_from_db()
    assert carol.display_name == "Carol M."


def test_totp_can_be_activated_after_reauthentication(client, carol):
    client.force_login(carol)
    response = client.get("/accounts/2fa/totp/activate/", follow=True)
    assert response.status_code == 200
