"""Known devices: a browser a member has logged in from keeps its own count of failed log-ins.

Failures are counted per account as well as per client address, so that many addresses cannot
share the guessing of one password. Alone, that count would let anyone who types wrong
passwords for a member's name keep the member out. The standard answer (OWASP, "Slow Down
Online Guessing Attacks with Device Cookies") is a signed cookie set at each successful log-in:
a browser that carries it for the account it logs into is counted apart, so an attacker without
it fills only the count of unknown browsers. The cookie holds a keyed hash of the account's
number (so that whoever holds the browser cannot read which account it is) and a random device
number, signed with the secret key; it opens nothing by itself (the password, and the second
factor, are still asked).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import salted_hmac

COOKIE = "parrhesia_device"
_SALT = "parrhesia.accounts.device"
_MAX_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie (RFC 6265bis)


def known_device(request: HttpRequest, account: int) -> str | None:
    """The device number of a valid cookie this browser holds for ``account``, or ``None``."""
    value = request.COOKIES.get(COOKIE)
    if not value:
        return None
    try:
        facts = signing.loads(value, salt=_SALT, max_age=_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(facts, dict) or facts.get("account") != _account_tag(account):
        return None
    device = facts.get("device")
    return device if isinstance(device, str) else None


def device_remember(request: HttpRequest, response: HttpResponseBase, user: Any) -> None:
    """After a successful log-in: mark this browser as a known device of ``user`` (the same
    device number if it was one already)."""
    device = known_device(request, user.pk) or secrets.token_urlsafe(12)
    response.set_cookie(
        COOKIE,
        signing.dumps({"account": _account_tag(user.pk), "device": device}, salt=_SALT),
        max_age=_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _account_tag(account: int) -> str:
    return salted_hmac(_SALT, str(account)).hexdigest()[:32]
