"""Who calls: a bearer token's member, or an anonymous visitor; and the rate each may call at.

The API never reads the session cookie: a request without a token is anonymous, whoever's
browser sends it, so no page's session can write through the API (no CSRF to guard) and a
token is the only key. A token opens only its own organisation: any other answers 404, as a
members-only organisation does to an outsider.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from parrhesia.accounts.client_ip import client_ip
from parrhesia.api import selectors
from parrhesia.api.models import ApiToken
from parrhesia.api.problems import SCOPE, TOKEN, Problem
from parrhesia.api.services import token_touch
from parrhesia.kernel.pages import org_page
from parrhesia.orgs.models import Organisation

WINDOW = 60  # seconds: rates are per minute


@dataclass(frozen=True)
class Caller:
    user: Any
    token: ApiToken | None


class TokenAuth(HttpBearer):
    """``Authorization: Bearer prh_…``, or nothing at all (anonymous); a wrong or dead token
    is 401, never anonymous."""

    def __call__(self, request: HttpRequest) -> Caller:
        header = request.headers.get("Authorization", "")
        if not header.strip():
            request.user = AnonymousUser()
            return Caller(request.user, None)
        scheme, _sep, presented = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            raise AuthenticationError()
        return self.authenticate(request, presented.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        found = selectors.token_in_force(token)
        if found is None or not found.membership.user.is_active:
            raise AuthenticationError()
        request.user = found.membership.user
        token_touch(found)
        return Caller(request.user, found)


class CallerThrottle(BaseThrottle):
    """So many requests a minute per member (all their tokens together: more tokens give no
    more), or per client address for anonymous calls; the counters are in the shared cache
    (the database), so every app server counts together. The database cache's increment is a
    read and a write: under a burst from many servers at once a few calls more than the rate may
    pass, never many."""

    def allow_request(self, request: HttpRequest) -> bool:
        caller: Caller | None = getattr(request, "auth", None)
        if caller is not None and caller.token is not None:
            ident, rate = f"member:{caller.token.membership_id}", settings.PARRHESIA_API_RATE
        else:
            ident, rate = f"ip:{client_ip(request)}", settings.PARRHESIA_API_RATE_ANONYMOUS
        key = f"api-rate:{ident}:{int(time.time() // WINDOW)}"
        cache.add(key, 0, timeout=WINDOW * 2)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW * 2)
            count = 1
        return count <= rate

    def wait(self) -> float:
        return WINDOW - time.time() % WINDOW


def caller_of(request: HttpRequest) -> Caller:
    return request.auth  # type: ignore[attr-defined, no-any-return]


def organisation_for(
    request: HttpRequest, slug: str, permission: str | None = None, *, hidden: bool = False
) -> Organisation:
    """The organisation a path names, as :func:`kernel.pages.org_page` gives it to a page; a
    token of another organisation finds nothing (404)."""
    token = caller_of(request).token
    if token is not None and token.membership.organisation.slug != slug:
        raise Http404
    return org_page(request, slug, permission, hidden=hidden)


def token_with(request: HttpRequest, scope: str) -> ApiToken:
    """The caller's token, if it grants ``scope``: 401 without a token, 403 without the scope."""
    token = caller_of(request).token
    if token is None:
        raise Problem(401, _("This needs a token (Authorization: Bearer …)."), type=TOKEN)
    if not token.allows(scope):
        raise Problem(
            403,
            _("This token does not have the '%(scope)s' scope.") % {"scope": scope},
            type=SCOPE,
        )
    return token


def writer_organisation(
    request: HttpRequest, slug: str, scope: str, permission: str | None = None
) -> Organisation:
    """For a write: a token first (401), its own organisation (404), then its scope (403)."""
    if caller_of(request).token is None:
        token_with(request, scope)
    organisation = organisation_for(request, slug)
    token_with(request, scope)
    if permission and not request.user.has_perm(permission, organisation):
        raise PermissionDenied
    return organisation
