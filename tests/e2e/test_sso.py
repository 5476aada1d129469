"""Logging in with the organisation's identity provider in a real browser (docs/sso.md): the
"Log in with …" button is a form whose answer redirects to the provider, and Chromium applies
the page's CSP form-action to that redirect. With the issuer's origin in form-action (as the
settings put it) the log-in goes through; with 'self' alone the browser stops it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from parrhesia.accounts.models import User
from parrhesia.accounts.tests.identity_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    PASSWORD,
    identity_provider_running,
)
from parrhesia.config.sso import oidc_app, url_origin


@pytest.fixture(scope="module")
def identity_provider(tmp_path_factory):
    with identity_provider_running(tmp_path_factory.mktemp("identity-provider")) as provider:
        yield provider


def configured(provider, *, form_action: list[str]):
    app = oidc_app(
        {
            "PARRHESIA_OIDC_ISSUER": provider.issuer,
            "PARRHESIA_OIDC_CLIENT_ID": CLIENT_ID,
            "PARRHESIA_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "PARRHESIA_OIDC_NAME": "Union Keycloak",
        }
    )
    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["DIRECTIVES"] = {**policy["DIRECTIVES"], "form-action": form_action}
    return override_settings(
        SOCIALACCOUNT_PROVIDERS={"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": [app]}},
        CONTENT_SECURITY_POLICY=policy,
    )


@pytest.fixture
def csp_page(browser):
    """A page that keeps the site's CSP (the other browser tests bypass it for axe-core)."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_button_logs_in_through_the_provider_when_form_action_names_it(
    live_server, csp_page, identity_provider, db
):
    with configured(identity_provider, form_action=["'self'", url_origin(identity_provider.url)]):
        csp_page.goto(f"{live_server.url}/accounts/login/")
        csp_page.get_by_role("button", name="Log in with Union Keycloak").click()
        csp_page.wait_for_url(f"{identity_provider.url}/login/**")
        csp_page.get_by_label("Username").fill("zoe")
        csp_page.get_by_label("Password").fill(PASSWORD)
        csp_page.get_by_role("button", name="Log in").click()
        csp_page.wait_for_url(f"{live_server.url}/")
        assert csp_page.get_by_role("button", name="Sign out").is_visible()
    assert User.objects.get(email="zoe@union.example").display_name == "Zoé Durand"


def test_form_action_self_alone_would_stop_the_redirect_to_the_provider(
    live_server, csp_page, identity_provider, db
):
    blocked = []
    csp_page.on("console", lambda message: blocked.append(message.text))
    with configured(identity_provider, form_action=["'self'"]):
        csp_page.goto(f"{live_server.url}/accounts/login/")
        csp_page.get_by_role("button", name="Log in with Union Keycloak").click()
        csp_page.wait_for_timeout(1000)
        assert csp_page.url.startswith(live_server.url)
    assert any("form-action" in text for text in blocked)
