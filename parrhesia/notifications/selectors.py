"""Every read of notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from parrhesia.notifications.models import Notification, NotificationSetting

if TYPE_CHECKING:
    from parrhesia.orgs.models import Membership, Organisation


def notifications_of(user: Any, organisation: Organisation, limit: int = 100) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, organisation=organisation)[:limit])


def unread_count(user: Any, slug: str) -> int:
    return Notification.objects.filter(
        recipient=user, organisation__slug=slug, read_at__isnull=True
    ).count()


def setting_of(member: Membership | None) -> NotificationSetting | None:
    if member is None:
        return None
    return NotificationSetting.objects.filter(member=member).first()
