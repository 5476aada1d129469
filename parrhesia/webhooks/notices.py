"""The webhooks' notice: a subscription disabled after failing for days, to every steward and
admin of the organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy

from parrhesia.notifications.models import Delivery
from parrhesia.notifications.notices import notice_register
from parrhesia.notifications.services import notify
from parrhesia.orgs.models import MembershipStatus, Role

if TYPE_CHECKING:
    from parrhesia.webhooks.models import Subscription

notice_register(
    "webhook_disabled",
    gettext_lazy(
        "A webhook of %(organisation)s (%(name)s) was disabled: its receiver failed every "
        "delivery for %(days)s days. Check it, then enable it again."
    ),
    delivery=Delivery.EMAIL,
    label=gettext_lazy("A webhook is disabled after failures (stewards only)"),
)


def notify_disabled(subscription: Subscription, days: int) -> int:
    """Tell the stewards and admins that it failed every delivery for ``days`` days."""
    organisation = subscription.organisation
    stewards = organisation.memberships.filter(
        status=MembershipStatus.ACTIVE, role__in=[Role.STEWARD, Role.ADMIN]
    ).select_related("user")
    return notify(
        [membership.user for membership in stewards],
        organisation=organisation,
        kind="webhook_disabled",
        params={
            "organisation": organisation.name,
            "name": subscription.label or f"#{subscription.pk}",
            "days": days,
        },
        url=reverse("webhooks:detail", args=[organisation.slug, subscription.pk]),
    )
