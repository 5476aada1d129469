"""The site's own writes: a member's calendar link.

A calendar link is the member's own, not an act of any organisation: nothing goes on a record.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from parrhesia.web.models import CalendarFeed, calendar_key_new


def calendar_link_new(*, user: Any) -> CalendarFeed:
    """A new calendar link for the member; the one they had, if any, stops working."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user_id=user.pk)
        if not created:
            feed.key = calendar_key_new()
            feed.save(update_fields=["key"])
    return feed


def calendar_link_stop(*, user: Any) -> bool:
    """No calendar link any more; whether there was one."""
    deleted, _ = CalendarFeed.objects.filter(user_id=user.pk).delete()
    return deleted > 0
