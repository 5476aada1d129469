"""Personal access tokens: made, revoked, and marked as used.

A token is ``prh_`` followed by 32 random bytes (base64url): the prefix lets secret scanners
and people recognise one. Only its SHA-256 digest is stored; a request's token is found by its
digest (a lookup on a unique index, then a constant-time comparison), so the database never
holds a usable token. Tokens are private account settings, like notification settings: they
are off the public record (docs/privacy.md).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.api.models import TOKEN_PREFIX, ApiToken, Scope, token_digest
from parrhesia.kernel.access import member_for
from parrhesia.kernel.errors import DomainError
from parrhesia.orgs.models import Organisation

DAYS_DEFAULT = 90
DAYS_MAX = 365
NAME_MAX = 100
TOKENS_MAX = 20  # in force per member and organisation
# last_used_at is written at most this often per token: a busy client must not turn every
# read into a write.
TOUCH_EVERY = timedelta(minutes=1)


class TokenError(DomainError):
    """A token that cannot be made or revoked as asked."""


def scopes_clean(scopes: Iterable[str]) -> list[str]:
    """The scopes, each named once, in a fixed order; :class:`TokenError` for an unknown one."""
    wanted = {scope.strip() for scope in scopes if scope.strip()}
    unknown = wanted - set(Scope.values)
    if unknown:
        raise TokenError(
            _("Unknown scope: %(scope)s (read, vote or post).") % {"scope": sorted(unknown)[0]}
        )
    if not wanted:
        raise TokenError(_("Choose at least one scope."))
    return [scope for scope in Scope.values if scope in wanted]


def token_create(
    *,
    user: Any,
    organisation: Organisation,
    scopes: Iterable[str],
    days: int = DAYS_DEFAULT,
    name: str = "",
) -> tuple[ApiToken, str]:
    """A new token of the user's membership: ``(the token's row, the token)``. The token
    itself is returned here only: it is stored nowhere."""
    membership = member_for(user, organisation, "api.manage_tokens")
    clean = scopes_clean(scopes)
    if not 1 <= days <= DAYS_MAX:
        raise TokenError(_("A token lasts from 1 to %(most)s days.") % {"most": DAYS_MAX})
    name = name.strip()[:NAME_MAX] or _("Token")
    in_force = ApiToken.objects.filter(
        membership=membership, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).count()
    if in_force >= TOKENS_MAX:
        raise TokenError(
            _("You hold %(most)s tokens here already: revoke one you no longer use.")
            % {"most": TOKENS_MAX}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            membership=membership,
            name=name,
            prefix=secret[:8],
            digest=token_digest(secret),
            scopes=clean,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
    return token, secret


def token_revoke(*, user: Any, token: ApiToken) -> None:
    """Revoke one of the user's own tokens (revoking it twice changes nothing)."""
    membership = member_for(user, token.membership.organisation, "api.manage_tokens")
    if token.membership_id != membership.pk:
        raise TokenError(_("This token is not yours."))
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def token_touch(token: ApiToken) -> None:
    """Note that the token was just used (at most once a minute): bookkeeping of the token's
    own row that its owner reads on the tokens page, no state of the organisation."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
