"""Single sign-on with OpenID Connect, read from the environment (docs/sso.md).

``PARRHESIA_OIDC_ISSUER`` turns it on: allauth's ``openid_connect`` provider is configured from
the variables below in settings (``SOCIALACCOUNT_PROVIDERS``'s ``APPS``), so no database row is
needed, and the issuer's origin joins the pages' ``form-action`` (the log-in button is a form
whose answer redirects to the identity provider, and Chromium applies ``form-action`` to that
redirect).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

DEFAULT_PROVIDER_ID = "sso"
DEFAULT_NAME = "single sign-on"


def oidc_app(environ: Mapping[str, str]) -> dict[str, Any] | None:
    """allauth's app configuration for the identity provider, or None when none is set."""
    issuer = environ.get("PARRHESIA_OIDC_ISSUER", "").strip().rstrip("/")
    if not issuer:
        return None
    return {
        "provider_id": environ.get("PARRHESIA_OIDC_PROVIDER_ID", "").strip() or DEFAULT_PROVIDER_ID,
        "name": environ.get("PARRHESIA_OIDC_NAME", "").strip() or DEFAULT_NAME,
        "client_id": environ.get("PARRHESIA_OIDC_CLIENT_ID", "").strip(),
        "secret": environ.get("PARRHESIA_OIDC_CLIENT_SECRET", "").strip(),
        # server_url: allauth appends /.well-known/openid-configuration (discovery).
        "settings": {"server_url": issuer, "oauth_pkce_enabled": True},
    }


def url_origin(url: str) -> str:
    """scheme://host[:port] of a URL ("" when it has none)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"
