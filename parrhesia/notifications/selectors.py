"""Every read of notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from parrhesia.notifications.models import (
    Notification,
    NotificationPreference,
    NotificationSetting,
)
from parrhesia.notifications.notices import notice_kinds

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


def preferences_of(user: Any, organisation: Organisation) -> dict[str, str]:
    """How the user receives each kind of notice here (their choice, else its default), for
    the kinds the settings page names."""
    kinds = {kind: notice for kind, notice in notice_kinds().items() if notice.label}
    chosen = dict(
        NotificationPreference.objects.filter(
            user=user, organisation=organisation, kind__in=list(kinds)
        ).values_list("kind", "delivery")
    )
    return {kind: chosen.get(kind, notice.delivery) for kind, notice in kinds.items()}
