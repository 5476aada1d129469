from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from parrhesia.accounts.client_ip import client_ip
from parrhesia.accounts.devices import device_remember, known_device
from parrhesia.accounts.models import User


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter; the display name defaults to the username until it is set."""

    def get_client_ip(self, request):
        """The address rate limits count against: see accounts.client_ip."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def _get_login_attempts_cache_key(self, request, **credentials):
        """One count of failed log-ins per account, whichever of its names (username, any
        e-mail address) is typed: a guesser cannot double their rate by switching, and the
        password reset, which clears the counts of the account's addresses, lifts the throttle
        however the attacker named the account."""
        login = credentials.get("email", credentials.get("username", ""))
        account = (
            User.objects.filter(
                Q(username__iexact=login)
                | Q(email__iexact=login)
                | Q(emailaddress__email__iexact=login)
            )
            .values_list("pk", flat=True)
            .first()
        )
        site = get_current_site(request).domain
        if not account:
            return f"{site}:{login.lower()}"
        # A browser the member logged in from counts apart (accounts.devices): failures typed
        # elsewhere never keep the member out of it.
        device = known_device(request, account)
        return f"{site}:account:{account}" + (f":device:{device}" if device else "")

    def _delete_login_attempts_cached_email(self, request, **credentials):
        """A successful password reset lifts the account's count of unknown browsers as well
        as the count of the browser it was made from."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        key = self._get_login_attempts_cache_key(request, **credentials)
        if ":device:" in key:
            unknown = key.split(":device:")[0]
            ratelimit.clear(request, app="allauth.account", action="login_failed", key=unknown)

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        device_remember(request, response, user)
        return response

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        if not user.display_name:
            user.display_name = user.username
        if commit:
            user.save()
        return user
