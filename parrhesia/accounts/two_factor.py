"""Two-factor authentication for those who hold power over others.

Stewards and admins can hide content, open cases and change roles: a stolen password must not
be enough to act as them. ``PARRHESIA_MFA_FOR_STEWARDS`` (default on) requires an authenticator
app (TOTP, through allauth.mfa) once ``PARRHESIA_MFA_GRACE_DAYS`` have passed since the person
became a steward or admin; until then they are reminded. ``orgs.rules`` asks
:func:`two_factor_overdue` in its ``is_steward``/``is_admin`` predicates, so pages and services
refuse alike.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils import timezone

# The kinds of authenticator that count as a second factor (recovery codes only back one up).
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
_CACHE = "_parrhesia_has_two_factor"
_REFUSED = "_parrhesia_two_factor_refused"


def two_factor_required() -> bool:
    return bool(getattr(settings, "PARRHESIA_MFA_FOR_STEWARDS", True))


def two_factor_deadline(since: datetime) -> datetime:
    """When a steward or admin who became one at ``since`` must have two-factor authentication."""
    return since + timedelta(days=getattr(settings, "PARRHESIA_MFA_GRACE_DAYS", 14))


def has_two_factor(user: Any) -> bool:
    """Whether the user has an authenticator; asked once per request (cached on the user)."""
    if user is None or not user.is_authenticated:
        return False
    if _CACHE not in user.__dict__:
        user.__dict__[_CACHE] = Authenticator.objects.filter(
            user_id=user.pk, type__in=SECOND_FACTORS
        ).exists()
    return bool(user.__dict__[_CACHE])


def two_factor_overdue(user: Any, since: datetime) -> bool:
    """Whether a steward or admin since ``since`` has passed the grace period without a second
    factor: their powers wait until they set one up."""
    if not two_factor_required() or timezone.now() < two_factor_deadline(since):
        return False
    if has_two_factor(user):
        return False
    # Noted on the request's user, so that the refusal this causes, and only such a refusal,
    # sends them to set up a second factor (web.two_factor.set_up_instead).
    setattr(user, _REFUSED, True)
    return True


def two_factor_refused(user: Any) -> bool:
    """Whether a steward's or admin's power was refused in this request (to this user object)
    for want of a second factor."""
    return bool(getattr(user, _REFUSED, False))
