"""``unread_notifications``: the signed-in member's unread notifications in the organisation of
the page (``slug`` in the URL), counted only if a template asks for it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def notifications(request: HttpRequest) -> dict[str, Any]:
    def unread() -> int:
        match = getattr(request, "resolver_match", None)
        slug = match.kwargs.get("slug") if match else None
        if not slug or not request.user.is_authenticated:
            return 0
        from parrhesia.agenda.models import Notification

        return Notification.objects.filter(
            recipient=request.user, organisation__slug=slug, read_at__isnull=True
        ).count()

    return {"unread_notifications": unread}
