"""The site's own data: a member's calendar feed of their deadlines."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def calendar_key_new() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret behind a member's calendar link: a new key makes the old link stop working.

    The link itself is signed (``web.selectors.calendar_token``); the key is what makes it
    revocable. No row, no link: a member has none until they ask for one.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    key = models.CharField(max_length=64, default=calendar_key_new)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"
