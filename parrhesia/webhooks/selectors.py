"""Reads of the webhooks pages, each in a constant number of queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from parrhesia.webhooks.models import Attempt, Delivery, Subscription

if TYPE_CHECKING:
    from parrhesia.orgs.models import Organisation

LOG_LENGTH = 50  # attempts shown per subscription


def subscriptions_of(organisation: Organisation) -> QuerySet[Subscription]:
    """The organisation's subscriptions with their count of pending and failed messages."""
    return (
        Subscription.objects.filter(organisation=organisation)
        .annotate(
            pending=Count("deliveries", filter=Q(deliveries__state=Delivery.State.PENDING)),
            failed=Count("deliveries", filter=Q(deliveries__state=Delivery.State.FAILED)),
        )
        .order_by("pk")
    )


def subscription_get(organisation: Organisation, pk: int) -> Subscription:
    """The organisation's subscription ``pk``; 404 for another organisation's or none."""
    subscription = (
        Subscription.objects.filter(organisation=organisation, pk=pk)
        .select_related("organisation", "created_by__user")
        .first()
    )
    if subscription is None:
        raise Http404
    return subscription


def attempts_of(subscription: Subscription, count: int = LOG_LENGTH) -> list[Attempt]:
    """The subscription's last attempts, newest first, with their message."""
    return list(
        Attempt.objects.filter(delivery__subscription=subscription)
        .select_related("delivery")
        .order_by("-at", "-pk")[:count]
    )


def pending_of(subscription: Subscription, count: int = LOG_LENGTH) -> list[Delivery]:
    """Messages waiting for their next attempt, soonest first."""
    return list(
        subscription.deliveries.filter(state=Delivery.State.PENDING).order_by(
            "next_attempt_at", "pk"
        )[:count]
    )
