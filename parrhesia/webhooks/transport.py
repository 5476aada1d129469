"""One HTTP POST to a checked address (docs/webhooks.md, "Where deliveries may go").

The URL is checked (``methods.webhooks.addresses``) right before each delivery, and the
connection goes to the very address checked, with the URL's host as Host header and TLS name:
a DNS answer that changes after the check cannot send the request elsewhere. Redirects are not
followed (a 3xx is a failed attempt), the whole exchange is bounded by the timeout, and no more
than a short excerpt of the answer is read.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from django.conf import settings

from parrhesia.methods.webhooks.addresses import AddressRefused, Policy, Target, target_check

EXCERPT = 200  # characters of the receiver's answer kept for the log
USER_AGENT = "Parrhesia-Webhooks/1"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    duration_ms: int
    error: str = ""
    excerpt: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300 and not self.error


def policy() -> Policy:
    """The operator's policy, from the settings (PARRHESIA_WEBHOOKS_*)."""
    ports = [str(port).strip() for port in settings.PARRHESIA_WEBHOOKS_PORTS]
    return Policy(
        allow_private=settings.PARRHESIA_WEBHOOKS_ALLOW_PRIVATE,
        networks=tuple(settings.PARRHESIA_WEBHOOKS_ALLOW_NETWORKS),
        ports=None if "*" in ports else frozenset(int(port) for port in ports if port.isdigit()),
    )


def url_check(url: str) -> Target:
    """The checked target of ``url``; :class:`AddressRefused` if deliveries may not go there."""
    return target_check(url, policy())


def _connection(target: Target, timeout: float) -> http.client.HTTPConnection:
    sock = socket.create_connection((target.address, target.port), timeout=timeout)
    if target.scheme == "https":
        context = ssl.create_default_context()
        sock = context.wrap_socket(sock, server_hostname=target.host)
    connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
    connection.sock = sock  # already connected to the checked address: no second resolution
    return connection


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST ``body`` to ``url`` after checking it again; never raises for the receiver's sake."""
    started = time.monotonic()

    def outcome(status: int | None, error: str = "", excerpt: str = "") -> Outcome:
        elapsed = int((time.monotonic() - started) * 1000)
        return Outcome(status, elapsed, error[:300], excerpt[:EXCERPT])

    try:
        target = url_check(url)
    except AddressRefused as refused:
        return outcome(None, f"refused: {refused}")
    timeout = float(settings.PARRHESIA_WEBHOOKS_TIMEOUT)
    try:
        connection = _connection(target, timeout)
        try:
            connection.request(
                "POST",
                target.path,
                body=body,
                headers={
                    **headers,
                    "Content-Type": "application/json",
                    "User-Agent": USER_AGENT,
                },
            )
            response = connection.getresponse()
            excerpt = response.read(EXCERPT * 4).decode("utf-8", "replace")
        finally:
            connection.close()
    except (OSError, ValueError, http.client.HTTPException) as error:  # UnicodeError too
        name = type(error).__name__
        return outcome(None, f"{name}: {error}" if str(error) else name)
    if time.monotonic() - started > timeout:
        return outcome(response.status, "the receiver answered too late", excerpt)
    if 300 <= response.status < 400:
        where = response.getheader("Location", "")
        return outcome(response.status, f"redirect to {where[:150]} not followed", excerpt)
    return outcome(response.status, "", excerpt)
