"""What ``parrhesia check --deploy`` demands of a production environment, before Django's own
deployment checks run on it.

Each problem is one line naming the variable and the fix. The environment is read as it is:
nothing is forced, so a server started without ``PARRHESIA_SECURE=1`` is caught here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
MIN_SECRET_LENGTH = 50
EXAMPLE_HOST = "parrhesia.example.org"
PROVIDER_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def deployment_problems(
    environ: Mapping[str, str],
    *,
    debug: bool,
    secure: bool,
    allowed_hosts: Sequence[str],
    csrf_trusted_origins: Sequence[str],
) -> list[str]:
    """The problems of this environment for a public site, each one line; [] when none."""
    problems: list[str] = []
    if debug:
        problems.append("PARRHESIA_DEBUG is on: set PARRHESIA_DEBUG=0 in production")
    if not secure:
        problems.append(
            "PARRHESIA_SECURE is not set: serve behind a TLS proxy and set PARRHESIA_SECURE=1 "
            "(secure cookies, HSTS, redirect to HTTPS)"
        )
    problems += _secret_key_problems(environ.get("PARRHESIA_SECRET_KEY", ""))
    problems += _host_problems(allowed_hosts)
    problems += _origin_problems(csrf_trusted_origins)
    problems += _oidc_problems(environ)
    return problems


def _secret_key_problems(key: str) -> list[str]:
    advice = (
        "set PARRHESIA_SECRET_KEY to the same long random value on every app server, e.g. the "
        "output of: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
    if not key.strip():
        return [f"PARRHESIA_SECRET_KEY is not set: {advice}"]
    if len(key) < MIN_SECRET_LENGTH or len(set(key)) < 5 or key.startswith("django-insecure"):
        return [f"PARRHESIA_SECRET_KEY is too short or guessable: {advice}"]
    return []


def _host_problems(hosts: Sequence[str]) -> list[str]:
    example = f"e.g. PARRHESIA_ALLOWED_HOSTS={EXAMPLE_HOST}"
    if any(host.strip() in ("*", ".") for host in hosts):
        return [f"PARRHESIA_ALLOWED_HOSTS accepts any host name: name the site's own ({example})"]
    if not set(hosts) - LOCAL_HOSTS:
        return [f"PARRHESIA_ALLOWED_HOSTS names no public host: name the site's own ({example})"]
    return []


def _origin_problems(origins: Sequence[str]) -> list[str]:
    example = f"e.g. PARRHESIA_CSRF_TRUSTED_ORIGINS=https://{EXAMPLE_HOST}"
    if not origins:
        return [f"PARRHESIA_CSRF_TRUSTED_ORIGINS is not set: give the site's origin ({example})"]
    for origin in origins:
        try:
            parts = urlsplit(origin)
            hostname = parts.hostname
        except ValueError:
            hostname = None
        if hostname is None or parts.scheme != "https" or hostname.strip("*.") == "":
            return [
                f"PARRHESIA_CSRF_TRUSTED_ORIGINS has {origin!r}: trust only the site's own "
                f"https:// origin ({example})"
            ]
    return []


def _oidc_problems(environ: Mapping[str, str]) -> list[str]:
    """Single sign-on half set up (docs/sso.md): each missing piece or unsafe issuer."""
    issuer = environ.get("PARRHESIA_OIDC_ISSUER", "").strip()
    if not issuer:
        if environ.get("PARRHESIA_OIDC_ONLY", "").strip().lower() in {"1", "true", "yes", "on"}:
            return [
                "PARRHESIA_OIDC_ONLY is on but PARRHESIA_OIDC_ISSUER is not set: no one could "
                "log in with the provider, so passwords stay open (set the issuer, or unset "
                "PARRHESIA_OIDC_ONLY)"
            ]
        return []
    problems = []
    try:
        parts = urlsplit(issuer)
        secure = parts.scheme == "https" and bool(parts.hostname)
    except ValueError:
        secure = False
    if not secure:
        problems.append(
            f"PARRHESIA_OIDC_ISSUER is {issuer!r}: the identity provider must be an "
            "https:// address (e.g. https://id.example.org/realms/union)"
        )
    for name in ("PARRHESIA_OIDC_CLIENT_ID", "PARRHESIA_OIDC_CLIENT_SECRET"):
        if not environ.get(name, "").strip():
            problems.append(
                f"{name} is not set: give the client's id and secret that the "
                "identity provider issued for this site (docs/sso.md)"
            )
    provider_id = environ.get("PARRHESIA_OIDC_PROVIDER_ID", "").strip()
    if provider_id and not PROVIDER_ID.fullmatch(provider_id):
        problems.append(
            f"PARRHESIA_OIDC_PROVIDER_ID is {provider_id!r}: use lower-case letters, "
            "digits and dashes (it is part of the redirect URI)"
        )
    return problems
