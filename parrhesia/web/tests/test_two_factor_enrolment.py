"""Setting up two-factor authentication asks for more than the password (issue 13, finding 9):
whoever stole a steward's password past the grace period could otherwise set up their own
authenticator app and act as the steward. A code e-mailed to the account's verified address is
asked first. And only a refusal that is about the second factor sends anyone to set one up.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.utils import timezone

from parrhesia.orgs.models import Membership

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def _grace_over(organisation, person) -> None:
    Membership.objects.filter(organisation=organisation, user=person).update(
        role_since=timezone.now() - timedelta(days=15)
    )


def _log_in(client, username: str) -> None:
    response = client.post("/accounts/login/", {"login": username, "password": PASSWORD})
    assert response.status_code == 302


def _authenticator_code(client) -> str:
    secret = client.session[SECRET_SESSION_KEY]
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_a_password_thief_cannot_set_up_the_stewards_authenticator(client, riverside, bob):
    _grace_over(riverside, bob)
    _log_in(client, "bob")
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/code/")
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 403
    client.get("/accounts/2fa/totp/activate/")
    client.post("/accounts/2fa/totp/activate/", {"code": "123456"})
    assert not Authenticator.objects.filter(user=bob).exists()
    assert client.get("/o/riverside/invitations/").status_code != 200


def test_the_steward_sets_it_up_with_the_code_sent_to_their_address(
    client, riverside, bob, mailoutbox
):
    _grace_over(riverside, bob)
    _log_in(client, "bob")
    asked = client.post("/accounts/reauthenticate/code/", {"recipient": bob.email})
    assert asked.url == "/accounts/reauthenticate/code/confirm/"
    sent = mailoutbox[-1]
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", sent.body, re.MULTILINE)
    assert code and sent.to == [bob.email]
    client.post("/accounts/reauthenticate/code/confirm/", {"code": code.group(1)})
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    client.post("/accounts/2fa/totp/activate/", {"code": _authenticator_code(client)})
    assert Authenticator.objects.filter(user=bob, type=Authenticator.Type.TOTP).exists()


def test_a_refusal_that_is_not_about_two_factor_is_a_plain_403(client, riverside, bob):
    _grace_over(riverside, bob)
    client.force_login(bob)
    response = client.get("/o/riverside/settings/")  # for admins: bob is a steward
    assert response.status_code == 403


def test_a_refusal_for_want_of_two_factor_still_says_how_to_set_it_up(client, riverside, bob):
    _grace_over(riverside, bob)
    client.force_login(bob)
    response = client.get("/o/riverside/invitations/")
    assert response.status_code == 302 and response.url == "/accounts/2fa/totp/activate/"
