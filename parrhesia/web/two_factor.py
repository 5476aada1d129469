"""Stewards and admins without two-factor authentication: a reminder when they log in, and,
once their grace period is over, the way to set it up when a steward's page refuses them.

The rule itself is in ``orgs.rules`` (``is_steward``, ``is_admin``); this is only what the
person is told.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from parrhesia.accounts.two_factor import two_factor_refused
from parrhesia.orgs.selectors import roles_awaiting_two_factor


def remind_on_log_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """allauth's ``user_logged_in`` signal: tell a steward or admin what they must do, and by
    when."""
    roles = roles_awaiting_two_factor(user)
    if not roles:
        return
    if any(m.two_factor_deadline <= timezone.now() for m in roles):
        messages.warning(request, overdue_message())
        return
    deadline = min(m.two_factor_deadline for m in roles)
    messages.warning(
        request,
        _(
            "You are a steward or admin: set up two-factor authentication before %(date)s, "
            "or your steward and admin powers will wait until you do."
        )
        % {"date": date_format(timezone.localtime(deadline), "DATE_FORMAT")},
    )


def overdue_message() -> str:
    return _(
        "Stewards and admins must use two-factor authentication. Set up an authenticator app "
        "to act as steward or admin again."
    )


def set_up_instead(request: HttpRequest) -> HttpResponse | None:
    """A steward or admin refused because their grace period is over and they have no second
    factor is sent to set up an authenticator app, with the reason; ``None`` for any other
    refusal, theirs included (a page for admins only, a password offered to re-authenticate)."""
    if not two_factor_refused(request.user):
        return None
    messages.warning(request, overdue_message())
    return redirect("mfa_activate_totp")
