"""Single sign-on's configuration from the environment (docs/sso.md): what allauth is given,
the issuer in the pages' form-action, and what `parrhesia check --deploy` says of a provider
half set up."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from parrhesia.accounts.sso import claimed_display_name
from parrhesia.cli._deployment import deployment_problems
from parrhesia.config.sso import oidc_app, url_origin

KEYCLOAK = {
    "PARRHESIA_OIDC_ISSUER": "https://id.union.example/realms/union/",
    "PARRHESIA_OIDC_CLIENT_ID": "parrhesia",
    "PARRHESIA_OIDC_CLIENT_SECRET": "s3cret",
    "PARRHESIA_OIDC_NAME": "Union Keycloak",
    "PARRHESIA_OIDC_PROVIDER_ID": "union",
}


def test_without_an_issuer_there_is_no_provider():
    assert oidc_app({}) is None
    assert oidc_app({"PARRHESIA_OIDC_CLIENT_ID": "parrhesia"}) is None


def test_the_environment_configures_allauths_provider_with_pkce():
    assert oidc_app(KEYCLOAK) == {
        "provider_id": "union",
        "name": "Union Keycloak",
        "client_id": "parrhesia",
        "secret": "s3cret",
        "settings": {
            "server_url": "https://id.union.example/realms/union",
            "oauth_pkce_enabled": True,
        },
    }
    minimal = oidc_app({"PARRHESIA_OIDC_ISSUER": "https://id.union.example"})
    assert minimal is not None
    assert (minimal["provider_id"], minimal["name"]) == ("sso", "single sign-on")


def test_an_origin_is_scheme_host_and_port():
    assert url_origin("https://id.union.example:8443/realms/union") == (
        "https://id.union.example:8443"
    )
    assert url_origin("id.union.example/realms") == ""
    assert url_origin("http://[bad") == ""


def settings_in(environment: dict[str, str], expression: str):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARRHESIA_OIDC")}
    env.pop("DATABASE_URL", None)
    code = f"import json, parrhesia.config.settings as s; print(json.dumps({expression}))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_issuers_origin_joins_form_action_so_the_button_may_redirect_to_it():
    """Chromium applies form-action to where a submitted form's answer redirects: without the
    issuer's origin, "Log in with …" would be blocked after Parrhesia's redirect."""
    expression = (
        "[s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'], s.PARRHESIA_OIDC_ONLY,"
        " s.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS']]"
    )
    form_action, only, apps = settings_in({**KEYCLOAK, "PARRHESIA_OIDC_ONLY": "1"}, expression)
    assert form_action == ["'self'", "https://id.union.example"]
    assert only is True
    assert [app["provider_id"] for app in apps] == ["union"]
    form_action, only, apps = settings_in({"PARRHESIA_OIDC_ONLY": "1"}, expression)
    assert (form_action, only, apps) == (["'self'"], False, [])


def deploy_problems(**environment: str) -> list[str]:
    return deployment_problems(
        environment,
        debug=False,
        secure=True,
        allowed_hosts=["parrhesia.example.org"],
        csrf_trusted_origins=["https://parrhesia.example.org"],
    )


def oidc_problems(**environment: str) -> list[str]:
    return [line for line in deploy_problems(**environment) if "OIDC" in line]


def test_check_deploy_accepts_a_complete_provider():
    assert oidc_problems(**KEYCLOAK) == []
    assert oidc_problems() == []


def test_check_deploy_flags_an_issuer_without_its_client():
    problems = oidc_problems(PARRHESIA_OIDC_ISSUER="https://id.union.example/realms/union")
    assert [line.split(" ")[0] for line in problems] == [
        "PARRHESIA_OIDC_CLIENT_ID",
        "PARRHESIA_OIDC_CLIENT_SECRET",
    ]
    problems = oidc_problems(**{**KEYCLOAK, "PARRHESIA_OIDC_CLIENT_SECRET": " "})
    assert [line.split(" ")[0] for line in problems] == ["PARRHESIA_OIDC_CLIENT_SECRET"]


def test_check_deploy_flags_an_issuer_that_is_not_https():
    for issuer in ("http://id.union.example/realms/union", "id.union.example", "https://[x"):
        problems = oidc_problems(**{**KEYCLOAK, "PARRHESIA_OIDC_ISSUER": issuer})
        assert len(problems) == 1 and problems[0].startswith("PARRHESIA_OIDC_ISSUER is "), issuer


def test_check_deploy_flags_only_sso_without_a_provider_and_a_bad_provider_id():
    assert [p.split(" ")[0] for p in oidc_problems(PARRHESIA_OIDC_ONLY="1")] == [
        "PARRHESIA_OIDC_ONLY"
    ]
    problems = oidc_problems(**{**KEYCLOAK, "PARRHESIA_OIDC_PROVIDER_ID": "Union/1"})
    assert [p.split(" ")[0] for p in problems] == ["PARRHESIA_OIDC_PROVIDER_ID"]


def test_a_claimed_name_falls_back_to_given_and_family_names_then_the_username():
    assert claimed_display_name(
        {"name": "\u202e\u200b", "first_name": "Zoé", "last_name": "D"}
    ) == ("Zoé D")
    assert claimed_display_name({"username": "zoe"}) == "zoe"
    assert claimed_display_name({"name": "x" * 200}) == "x" * 80
    assert claimed_display_name({}) == ""
