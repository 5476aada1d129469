"""``unread_notifications``: the signed-in member's unread notifications in the organisation of
the page (``slug`` in the URL), counted only if a template asks for it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from parrhesia.notifications.selectors import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    def unread() -> int:
        match = getattr(request, "resolver_match", None)
        slug = match.kwargs.get("slug") if match else None
        if not slug or not request.user.is_authenticated:
            return 0
        return unread_count(request.user, slug)

    return {"unread_notifications": unread}
