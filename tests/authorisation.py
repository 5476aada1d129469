"""The declared authorisation table: every URL × every persona.

Each row names a URL and how to fill its arguments from the test world, then the status code
each persona must get for GET (and, for state-changing URLs, for POST with valid data).
A URL pattern that has no row here fails the suite: add the row with the new view.

Personas: anon (not signed in), outsider (account, no membership), other (member of another
organisation), member, steward, admin — the last three of Riverside, a members-only organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PERSONAS = ("anon", "outsider", "other", "member", "steward", "admin")


@dataclass(frozen=True)
class Row:
    get: tuple[int, int, int, int, int, int]
    post: tuple[int, int, int, int, int, int] | None = None
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    post_data: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    query: dict[str, str] = field(default_factory=dict)

    def expected(self, method: str, persona: str) -> int | None:
        statuses = self.get if method == "get" else self.post
        return None if statuses is None else statuses[PERSONAS.index(persona)]


def slug(world: Any) -> dict[str, Any]:
    return {"slug": world.organisation.slug}


def calendar_of(world: Any) -> dict[str, Any]:
    """The token of the member's calendar link (made for the row)."""
    from parrhesia.web.models import CalendarFeed
    from parrhesia.web.selectors import calendar_token

    feed, _ = CalendarFeed.objects.get_or_create(user=world.users["member"])
    return {"token": calendar_token(feed)}


def ok_everyone() -> Row:
    return Row(get=(200, 200, 200, 200, 200, 200))


def signed_in_only() -> Row:
    """allauth pages for signed-in people: a visitor is sent to log in."""
    return Row(get=(302, 200, 200, 200, 200, 200))


def visitors_only() -> Row:
    """allauth pages for visitors: a signed-in person is sent home."""
    return Row(get=(200, 302, 302, 302, 302, 302))


def _app_rows() -> dict[str, Row]:
    """Rows each domain app declares in ``parrhesia/<app>/tests/access.py`` (``ROWS``)."""
    import importlib
    import pkgutil

    import parrhesia

    rows: dict[str, Row] = {}
    for module in pkgutil.iter_modules(parrhesia.__path__):
        if not module.ispkg:
            continue
        try:
            access = importlib.import_module(f"parrhesia.{module.name}.tests.access")
        except ModuleNotFoundError as error:
            if error.name not in (
                f"parrhesia.{module.name}.tests",
                f"parrhesia.{module.name}.tests.access",
            ):
                raise
            continue
        rows.update(access.ROWS)
    return rows


# Members-only organisations answer 404 to anyone who may not see them, whether or not they
# exist; login_required pages send visitors to log in first (the same for any slug).
TABLE: dict[str, Row] = {
    "home": ok_everyone(),
    "health": ok_everyone(),
    # Prometheus metrics: by the client's address (PARRHESIA_METRICS_ALLOW, loopback by default),
    # not by persona. The test client is 127.0.0.1, so every persona gets them here; any other
    # address gets 404 (tests/test_metrics.py::test_an_address_not_allowed_gets_404).
    "metrics": ok_everyone(),
    "docs": Row(get=(200, 200, 200, 200, 200, 200), kwargs=lambda w: {"page": "voting"}),
    "set_language": Row(
        get=(302, 302, 302, 302, 302, 302),
        post=(302, 302, 302, 302, 302, 302),
        post_data=lambda w: {"language": "fr", "next": "/"},
    ),
    "profile": signed_in_only(),
    # a member's to-do, its count for the menu, and their calendar link (a capability: whoever
    # holds the member's link gets their deadlines, as a calendar application does)
    "todo": signed_in_only(),
    "todo_count": signed_in_only(),
    "todo_calendar_link": Row(
        get=(302, 405, 405, 405, 405, 405),
        post=(302, 302, 302, 302, 302, 302),
        post_data=lambda w: {"action": "new"},
    ),
    "todo_calendar": Row(get=(200, 200, 200, 200, 200, 200), kwargs=lambda w: calendar_of(w)),
    # allauth: accounts, e-mail, passwords, two-factor authentication
    "account_login": visitors_only(),
    "account_logout": Row(get=(302, 200, 200, 200, 200, 200)),
    "account_inactive": ok_everyone(),
    "account_signup": visitors_only(),
    # re-authentication by password is off: a code by e-mail, or the second factor (settings)
    "account_reauthenticate": Row(get=(302, 403, 403, 403, 403, 403)),
    "account_request_reauthentication_code": signed_in_only(),
    "account_confirm_reauthentication_code": Row(get=(302, 302, 302, 302, 302, 302)),
    "account_email": signed_in_only(),
    "account_email_verification_sent": ok_everyone(),
    "account_change_password": signed_in_only(),
    "account_set_password": Row(get=(302, 302, 302, 302, 302, 302)),
    "account_reset_password": ok_everyone(),
    "account_confirm_login_code": Row(get=(302, 302, 302, 302, 302, 302)),
    "account_confirm_email": Row(
        get=(200, 200, 200, 200, 200, 200), kwargs=lambda w: {"key": "bogus"}
    ),
    "account_reset_password_from_key_done": ok_everyone(),
    "account_reset_password_from_key": Row(
        get=(200, 200, 200, 200, 200, 200), kwargs=lambda w: {"uidb36": "1", "key": "bogus-key"}
    ),
    "account_reset_password_done": ok_everyone(),
    "mfa_index": signed_in_only(),
    "mfa_authenticate": Row(get=(302, 302, 302, 302, 302, 302)),
    "mfa_reauthenticate": Row(get=(302, 302, 302, 302, 302, 302)),
    "mfa_activate_totp": Row(get=(302, 302, 302, 302, 302, 302)),
    "mfa_deactivate_totp": Row(get=(302, 404, 404, 404, 404, 404)),
    "mfa_view_recovery_codes": Row(get=(302, 404, 404, 404, 404, 404)),
    "mfa_generate_recovery_codes": Row(get=(302, 302, 302, 302, 302, 302)),
    "mfa_download_recovery_codes": Row(get=(302, 404, 404, 404, 404, 404)),
    # single sign-on (docs/sso.md): the provider's pages answer 404 while none is configured
    # (tests configure one in parrhesia/accounts/tests/test_sso.py); allauth's own pages
    "socialaccount_login_cancelled": ok_everyone(),
    "socialaccount_login_error": Row(get=(401, 401, 401, 401, 401, 401)),
    "socialaccount_signup": Row(get=(302, 302, 302, 302, 302, 302)),
    "socialaccount_connections": signed_in_only(),
    "openid_connect_login": Row(
        get=(404, 404, 404, 404, 404, 404),
        post=(404, 404, 404, 404, 404, 404),
        kwargs=lambda w: {"provider_id": "sso"},
    ),
    "openid_connect_callback": Row(
        get=(404, 404, 404, 404, 404, 404), kwargs=lambda w: {"provider_id": "sso"}
    ),
    # organisations
    "organisation_create": Row(
        get=(302, 200, 200, 200, 200, 200),
        post=(302, 302, 302, 302, 302, 302),
        post_data=lambda w: {"name": "New Org", "slug": "new-org", "visibility": "members"},
    ),
    "invite": Row(
        get=(200, 200, 200, 302, 302, 302),
        post=(200, 302, 302, 302, 302, 302),
        kwargs=lambda w: {"token": w.invitation.token},
    ),
    "orgs:detail": Row(get=(404, 404, 404, 200, 200, 200), kwargs=slug),
    "orgs:members": Row(get=(404, 404, 404, 200, 200, 200), kwargs=slug),
    "orgs:member_role": Row(
        get=(302, 404, 404, 403, 403, 200),
        post=(302, 404, 404, 403, 403, 302),
        kwargs=lambda w: {**slug(w), "member_id": w.member_membership.pk},
        post_data=lambda w: {"role": "steward", "reason": "Volunteered"},
    ),
    "orgs:membership": Row(
        get=(302, 404, 404, 200, 200, 200),
        post=(302, 404, 404, 302, 302, 200),
        kwargs=slug,
        post_data=lambda w: {"reason": ""},
    ),
    "orgs:join": Row(
        get=(302, 404, 404, 302, 302, 302), post=(302, 404, 404, 302, 302, 302), kwargs=slug
    ),
    "orgs:join_requests": Row(get=(302, 404, 404, 403, 200, 200), kwargs=slug),
    "orgs:join_request_accept": Row(
        get=(302, 404, 404, 403, 200, 200),
        post=(302, 404, 404, 403, 302, 302),
        kwargs=lambda w: {**slug(w), "request_id": w.join_request.pk},
    ),
    "orgs:join_request_refuse": Row(
        get=(302, 404, 404, 403, 200, 200),
        post=(302, 404, 404, 403, 302, 302),
        kwargs=lambda w: {**slug(w), "request_id": w.join_request.pk},
        post_data=lambda w: {"reason": "Not a tenant"},
    ),
    "orgs:join_request_withdraw": Row(
        get=(302, 405, 405, 405, 405, 405),
        post=(302, 404, 404, 404, 404, 404),
        kwargs=lambda w: {**slug(w), "request_id": w.join_request.pk},
    ),
    "orgs:invitations": Row(
        get=(302, 404, 404, 403, 200, 200),
        post=(302, 404, 404, 403, 302, 302),
        kwargs=slug,
        post_data=lambda w: {"days_valid": "7", "note": "for Erin"},
    ),
    "orgs:invitation_revoke": Row(
        get=(302, 405, 405, 405, 405, 405),
        post=(302, 404, 404, 403, 302, 302),
        kwargs=lambda w: {**slug(w), "invitation_id": w.invitation.pk},
    ),
    "orgs:settings": Row(
        get=(302, 404, 404, 403, 403, 200),
        post=(302, 404, 404, 403, 403, 302),
        kwargs=slug,
        post_data=lambda w: {"name": "Riverside Union", "description": "", "visibility": "members"},
    ),
    # the public record: members read it (everyone, for public-read organisations)
    "record:page": Row(get=(404, 404, 404, 200, 200, 200), kwargs=slug),
    "record:entry": Row(get=(404, 404, 404, 200, 200, 200), kwargs=lambda w: {**slug(w), "seq": 1}),
    "record:api_checkpoint": Row(get=(404, 404, 404, 200, 200, 200), kwargs=slug),
    "record:api_entries": Row(
        get=(404, 404, 404, 200, 200, 200), kwargs=slug, query={"start": "0", "end": "5"}
    ),
    "record:api_inclusion": Row(
        get=(404, 404, 404, 200, 200, 200), kwargs=slug, query={"index": "1", "size": "3"}
    ),
    "record:api_consistency": Row(
        get=(404, 404, 404, 200, 200, 200), kwargs=slug, query={"old": "2", "new": "4"}
    ),
    "record:export": Row(get=(404, 404, 404, 200, 200, 200), kwargs=slug),
    "record:download": Row(get=(404, 404, 404, 200, 200, 200), kwargs=slug),
    "orgs:conduct": Row(get=(404, 404, 404, 200, 200, 200), kwargs=slug),
    "orgs:conduct_edit": Row(
        get=(302, 404, 404, 403, 403, 200),
        post=(302, 404, 404, 403, 403, 302),
        kwargs=slug,
        post_data=lambda w: {"rules": "Be kind.\nCite sources.", "reason": "Shorter"},
    ),
    # a lawful erasure request: entry #2 is the code of conduct's adoption (its reason sealed)
    "orgs:erasure": Row(
        get=(302, 404, 404, 403, 200, 200),
        post=(302, 404, 404, 403, 302, 302),
        kwargs=lambda w: {**slug(w), "seq": 2},
        post_data=lambda w: {
            "pointers": ["/payload/reason"],
            "reason": "Art. 17 GDPR, asked by the person named",
            "confirm": "on",
        },
    ),
}
TABLE.update(_app_rows())
