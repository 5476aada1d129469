"""Logging in with the organisation's identity provider (OpenID Connect, docs/sso.md), against a
real provider in its own process (conftest.identity_provider).

The test client is the browser on Parrhesia's side; ``requests`` is the same browser on the
provider's side: it logs in there and follows the authorisation, whose redirect carries the code
back to Parrhesia's callback. Parrhesia then exchanges the code with the provider over HTTP
(with its PKCE verifier), checks the ID token and reads the user's claims.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from parrhesia.accounts.models import User
from parrhesia.accounts.tests.identity_provider import CLIENT_ID, CLIENT_SECRET, PASSWORD
from parrhesia.config.sso import oidc_app

pytestmark = pytest.mark.django_db

LOGIN_START = "/accounts/oidc/sso/login/?process=login"


@pytest.fixture
def sso(identity_provider):
    """Parrhesia configured, as the environment would, for the test identity provider."""
    app = oidc_app(
        {
            "PARRHESIA_OIDC_ISSUER": identity_provider.issuer,
            "PARRHESIA_OIDC_CLIENT_ID": CLIENT_ID,
            "PARRHESIA_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "PARRHESIA_OIDC_NAME": "Union Keycloak",
        }
    )
    providers = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": [app]}}
    with override_settings(SOCIALACCOUNT_PROVIDERS=providers):
        yield identity_provider


def provider_browser(provider, username: str) -> requests.Session:
    """A browser logged in at the identity provider as ``username``."""
    browser = requests.Session()
    page = browser.get(f"{provider.url}/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    answer = browser.post(
        f"{provider.url}/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, "the provider refused the test user's password"
    return browser


def authorise(provider, username: str, authorisation_url: str) -> str:
    """The provider's answer to Parrhesia's authorisation request: the callback URL."""
    answer = provider_browser(provider, username).get(
        authorisation_url, allow_redirects=False, timeout=10
    )
    assert answer.status_code == 302, answer.text[:500]
    return answer.headers["Location"]


def start(client: Client) -> str:
    """Press "Log in with …": Parrhesia sends the browser to the provider."""
    answer = client.post(LOGIN_START)
    assert answer.status_code == 302
    return answer["Location"]


def log_in(client: Client, provider, username: str):
    return client.get(authorise(provider, username, start(client)))


def logged_in_as(client: Client) -> User | None:
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


def test_without_configuration_the_log_in_page_has_no_provider_button(client):
    page = client.get(reverse("account_login"))
    assert b"Log in with" not in page.content
    assert b'name="password"' in page.content
    assert client.post(LOGIN_START).status_code == 404


def test_the_log_in_page_offers_the_provider_as_a_form_that_works_without_javascript(sso, client):
    page = client.get(reverse("account_login")).content.decode()
    form = re.search(
        r'<form method="post" action="([^"]+)" class="sso-login">(.*?)</form>', page, re.S
    )
    assert form is not None
    assert form[1] == LOGIN_START.replace("&", "&amp;")
    assert 'name="csrfmiddlewaretoken"' in form[2]
    assert "Log in with Union Keycloak" in form[2]
    assert 'name="password"' in page  # passwords still work beside it


def test_the_button_sends_the_browser_to_the_provider_with_state_and_pkce(sso):
    url = start(Client())
    assert url.startswith(f"{sso.issuer}/authorize/")
    query = parse_qs(urlsplit(url).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    assert query["state"]
    assert set(query["scope"][0].split()) == {"openid", "profile", "email"}


def test_the_button_needs_the_pages_csrf_token(sso):
    assert Client(enforce_csrf_checks=True).post(LOGIN_START).status_code == 403


def test_a_first_log_in_creates_the_account_with_the_claimed_name_and_address(sso, client):
    answer = log_in(client, sso, "zoe")
    assert answer.status_code == 302 and answer["Location"] == reverse("home")
    zoe = logged_in_as(client)
    assert zoe is not None
    assert zoe.display_name == "Zoé Durand"  # the bidi override and zero-width space dropped
    assert zoe.email == "zoe@union.example"
    assert EmailAddress.objects.filter(user=zoe, email="zoe@union.example", verified=True).exists()
    assert not zoe.has_usable_password()
    account = SocialAccount.objects.get(user=zoe)
    assert account.provider == "sso"


def test_a_second_log_in_enters_the_same_account(sso):
    first, second = Client(), Client()
    log_in(first, sso, "zoe")
    log_in(second, sso, "zoe")
    assert logged_in_as(first) == logged_in_as(second) is not None
    assert User.objects.filter(email="zoe@union.example").count() == 1
    assert SocialAccount.objects.count() == 1


def test_an_address_verified_on_both_sides_logs_in_to_the_existing_account(sso, client, carol):
    log_in(client, sso, "carol.m")
    assert logged_in_as(client) == carol
    assert SocialAccount.objects.get(user=carol).extra_data["userinfo"]["preferred_username"] == (
        "carol.m"
    )
    carol.refresh_from_db()
    assert carol.display_name == "Carol Member"  # an existing account keeps its name


def test_an_address_the_provider_did_not_verify_opens_no_account(sso, client, carol):
    answer = log_in(client, sso, "mallory")
    assert logged_in_as(client) is None
    # As at sign-up, nothing says whether the address has an account ("check your e-mail"); the
    # address's owner, carol, is told by e-mail that someone tried to sign up with it.
    assert answer["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="carol@example.org").get() == carol
    assert not SocialAccount.objects.exists()
    assert [message.to for message in mail.outbox] == [["carol@example.org"]]


def test_without_an_address_from_the_provider_the_sign_up_form_asks_for_one(sso, client):
    answer = log_in(client, sso, "noor")
    assert answer["Location"] == reverse("socialaccount_signup")
    form = client.get(reverse("socialaccount_signup")).content.decode()
    assert re.search(r'name="display_name"[^>]*value="Noor"', form)
    answer = client.post(
        reverse("socialaccount_signup"),
        {"email": "noor@union.example", "username": "noor", "display_name": "Noor K."},
    )
    assert answer.status_code == 302
    noor = User.objects.get(username="noor")
    assert (noor.display_name, noor.email) == ("Noor K.", "noor@union.example")
    assert SocialAccount.objects.filter(user=noor).exists()
    # Parrhesia checks an address the provider did not vouch for, as at any sign-up.
    assert not EmailAddress.objects.get(user=noor).verified
    assert [message.to for message in mail.outbox] == [["noor@union.example"]]


def test_an_answer_with_a_wrong_state_is_refused(sso, client):
    callback = urlsplit(authorise(sso, "zoe", start(client)))
    query = {key: values[0] for key, values in parse_qs(callback.query).items()}
    query["state"] = "forged" + query["state"]
    answer = client.get(f"{callback.path}?{urlencode(query)}")
    assert answer.status_code in (200, 401) and logged_in_as(client) is None
    assert not User.objects.filter(email="zoe@union.example").exists()


def test_a_code_meant_for_another_browser_is_refused(sso):
    """A code stolen from (or injected into) another browser's log-in fails at the exchange:
    its PKCE verifier stays in the browser that started that log-in."""
    victim, attacker = Client(), Client()
    victims_state = parse_qs(urlsplit(start(victim)).query)["state"][0]
    callback = urlsplit(authorise(sso, "zoe", start(attacker)))
    query = {key: values[0] for key, values in parse_qs(callback.query).items()}
    query["state"] = victims_state
    answer = victim.get(f"{callback.path}?{urlencode(query)}")
    assert answer.status_code in (200, 401) and logged_in_as(victim) is None
    assert not User.objects.filter(email="zoe@union.example").exists()


def test_a_steward_with_an_authenticator_still_gives_its_code_after_the_provider(sso, client, bob):
    """The provider's log-in does not stand in for Parrhesia's second factor (docs/sso.md)."""
    Authenticator.objects.create(user=bob, type=Authenticator.Type.TOTP, data={"secret": "x"})
    answer = log_in(client, sso, "bob.s")
    assert answer["Location"] == reverse("mfa_authenticate")
    assert logged_in_as(client) is None


@pytest.fixture
def sso_only(sso):
    with override_settings(PARRHESIA_OIDC_ONLY=True):
        yield sso


def test_when_the_provider_is_the_only_way_in_the_log_in_page_shows_only_its_button(
    sso_only, client
):
    page = client.get(reverse("account_login")).content.decode()
    assert "Log in with Union Keycloak" in page
    assert 'name="password"' not in page
    assert reverse("account_signup") not in page
    assert reverse("account_signup") not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    "name", ["account_signup", "account_reset_password", "account_reset_password_done"]
)
def test_when_the_provider_is_the_only_way_in_the_password_pages_send_to_log_in(
    sso_only, client, name
):
    for answer in (client.get(reverse(name)), client.post(reverse(name), {"email": "x@y.z"})):
        assert answer.status_code == 302 and answer["Location"] == reverse("account_login")


def test_when_the_provider_is_the_only_way_in_a_password_opens_nothing(sso_only, client, carol):
    answer = client.post(
        reverse("account_login"), {"login": "carol", "password": "correct horse battery"}
    )
    assert answer.status_code == 302 and answer["Location"] == reverse("account_login")
    assert logged_in_as(client) is None
    log_in(client, sso_only, "carol.m")
    assert logged_in_as(client) == carol


def test_without_a_provider_the_only_setting_closes_nothing(client, carol):
    with override_settings(PARRHESIA_OIDC_ONLY=True):
        answer = client.post(
            reverse("account_login"), {"login": "carol", "password": "correct horse battery"}
        )
    assert logged_in_as(client) == carol, answer
