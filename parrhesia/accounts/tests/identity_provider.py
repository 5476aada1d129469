"""The identity provider of the single sign-on tests: a real OpenID Connect server
(django-oauth-toolkit, ``oidc_provider/``) started in a process of its own, on a free 127.0.0.1
port (the ``identity_provider`` fixtures: once per test session)."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CLIENT_ID = "parrhesia"
CLIENT_SECRET = "a-client-secret-of-the-tests"  # noqa: S105
# Django's test client is http://testserver; the provider sends browsers back there.
REDIRECT_URI = "http://testserver/accounts/oidc/sso/login/callback/"
# The browser tests' live server, on any port (the provider treats localhost as loopback).
LIVE_REDIRECT_URI = "http://localhost/accounts/oidc/sso/login/callback/"
START_TIMEOUT = 60
PASSWORD = "provider password"  # noqa: S105
# The provider's users and the claims it makes about them.
USERS = [
    # A name with a right-to-left override and a zero-width space: cleaned on arrival.
    {
        "username": "zoe",
        "name": "  Zoé \u202eDurand\u200b ",
        "email": "zoe@union.example",
        "email_verified": True,
    },
    # The address of the personas carol and bob (conftest), which they verified here.
    {
        "username": "carol.m",
        "name": "Carol M.",
        "email": "carol@example.org",
        "email_verified": True,
    },
    {"username": "bob.s", "name": "Bob S.", "email": "bob@example.org", "email_verified": True},
    # No address at all: the sign-up form asks for one.
    {
        "username": "noor",
        "name": "Noor",
        "email": "",
        "email_verified": False,
    },
    # carol's address, but the provider never checked that this user owns it.
    {
        "username": "mallory",
        "name": "Mallory",
        "email": "carol@example.org",
        "email_verified": False,
    },
]


@dataclass(frozen=True)
class IdentityProvider:
    url: str

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"


@contextmanager
def identity_provider_running(folder: Path) -> Iterator[IdentityProvider]:
    environment = {
        **os.environ,
        "OIDC_PROVIDER_DIR": str(folder),
        "OIDC_PROVIDER_USERS": json.dumps([{**user, "password": PASSWORD} for user in USERS]),
        "OIDC_PROVIDER_CLIENT_ID": CLIENT_ID,
        "OIDC_PROVIDER_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_PROVIDER_REDIRECT_URIS": f"{REDIRECT_URI} {LIVE_REDIRECT_URI}",
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    log = Path(folder, "log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "parrhesia.accounts.tests.oidc_provider"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], START_TIMEOUT)
        line = process.stdout.readline() if ready else ""
        if not line.startswith("ready "):
            raise RuntimeError(f"the identity provider did not start: see {folder}/log")
        yield IdentityProvider(url=f"http://127.0.0.1:{int(line.split()[1])}")
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
