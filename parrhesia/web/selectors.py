"""The site's own reads: a member's calendar link and who a link is for."""

from __future__ import annotations

from typing import Any

from django.core import signing

from parrhesia.web.models import CalendarFeed

SALT = "parrhesia.web.calendar"


def calendar_feed_of(user: Any) -> CalendarFeed | None:
    if not user.is_authenticated:
        return None
    return CalendarFeed.objects.filter(user_id=user.pk).first()


def calendar_token(feed: CalendarFeed) -> str:
    """The secret part of the link: the member and the feed's key, signed with the site's key
    (a link no one forged; the key makes it revocable)."""
    return signing.Signer(salt=SALT).sign(f"{feed.user_id}-{feed.key}")


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The feed a link opens, if the link is genuine and still current; None otherwise."""
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    user_id, _, key = value.partition("-")
    if not user_id.isdigit() or not key:
        return None
    return (
        CalendarFeed.objects.filter(user_id=int(user_id), key=key, user__is_active=True)
        .select_related("user")
        .first()
    )
