"""Single sign-on with OpenID Connect: what Parrhesia adds to allauth's provider (docs/sso.md).

- A new account takes its display name from the provider's claims, cleaned like a typed one.
- An existing account is entered by e-mail only when the provider says it verified the address
  (``email_verified``) AND the account verified the same address here: an address someone typed
  at sign-up and never confirmed opens nothing.
- ``PARRHESIA_OIDC_ONLY``: the password pages (log-in form, sign-up, reset, change) send people
  to the log-in page, which then shows only the provider's button. allauth's own
  ``SOCIALACCOUNT_ONLY`` cannot be used: it refuses ``allauth.mfa`` and mandatory verification.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from parrhesia.accounts.models import User
from parrhesia.accounts.names import display_name_clean

DISPLAY_NAME_LENGTH = User._meta.get_field("display_name").max_length or 80

# The pages that set, use or recover a password, closed when the provider is the only way in.
PASSWORD_PAGES = frozenset(
    {
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "account_change_password",
        "account_set_password",
        "account_request_login_code",
        "account_confirm_login_code",
    }
)


def sso_only() -> bool:
    """Whether the identity provider is the only way to log in."""
    return bool(getattr(settings, "PARRHESIA_OIDC_ONLY", False)) and sso_configured()


def sso_configured() -> bool:
    providers = getattr(settings, "SOCIALACCOUNT_PROVIDERS", {})
    return bool(providers.get("openid_connect", {}).get("APPS"))


def claimed_display_name(data: dict[str, Any]) -> str:
    """The name a new account goes by: the provider's ``name`` claim, else given and family
    names, else the preferred username; cleaned by the display-name rules (accounts.names)."""
    full = " ".join(part for part in (data.get("first_name"), data.get("last_name")) if part)
    for candidate in (data.get("name"), full, data.get("username")):
        name = display_name_clean(str(candidate or ""))[:DISPLAY_NAME_LENGTH].strip()
        if name:
            return name
    return ""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> Any:
        user = super().populate_user(request, sociallogin, data)
        user.display_name = claimed_display_name(data)
        return user

    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form=form)
        if not user.display_name:
            user.display_name = user.username
            user.save(update_fields=["display_name"])
        return user

    def get_signup_form_initial_data(self, sociallogin: Any) -> dict[str, Any]:
        """The sign-up form (when the provider gave no usable address) offers the claimed name."""
        initial = super().get_signup_form_initial_data(sociallogin)
        initial["display_name"] = sociallogin.user.display_name
        return initial

    def authenticate_by_email(self, sociallogin: Any) -> tuple[Any, str] | None:
        """The account whose verified address the provider also verified, if any."""
        for address in sociallogin.email_addresses:
            if not address.verified or not self.can_authenticate_by_email(
                sociallogin, address.email
            ):
                continue
            local = (
                EmailAddress.objects.filter(email__iexact=address.email, verified=True)
                .select_related("user")
                .first()
            )
            if local is not None and local.user.is_active:
                return local.user, address.email
        return None


class SsoOnlyMiddleware:
    """With ``PARRHESIA_OIDC_ONLY``, the password pages and the password log-in's POST send to
    the log-in page (which shows only the provider's button)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        name = match.url_name if match else None
        password_login = name == "account_login" and request.method == "POST"
        if name not in PASSWORD_PAGES and not password_login:
            return None
        if not sso_only():
            return None
        return redirect("account_login")
