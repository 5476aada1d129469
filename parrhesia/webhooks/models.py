"""Webhook subscriptions of an organisation, the messages queued for each, and every attempt
to deliver one (docs/webhooks.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Subscription(models.Model):
    """A URL that receives the organisation's record entries (all, or those of some actions)."""

    class Disabled(models.TextChoices):
        NO = "", _("Enabled")
        BY_STEWARD = "steward", _("Disabled by a steward")
        FAILURES = "failures", _("Disabled after repeated failures")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.CharField(max_length=2000)
    label = models.CharField(max_length=100, blank=True)
    # The record actions delivered; empty: every action.
    actions = models.JSONField(default=list, blank=True)
    # whsec_<base64>: kept in clear, as HMAC needs it (the operator can read it: docs/privacy.md).
    secret = models.CharField(max_length=100)
    # The secret before the last rotation, still signing beside the new one until it expires.
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    disabled = models.CharField(max_length=10, choices=Disabled.choices, blank=True, default="")
    # The first record seq not yet queued for this subscription (entries before it are either
    # queued or older than the subscription).
    next_seq = models.PositiveBigIntegerField(default=0)
    # When the current run of failed attempts began (None: the last attempt succeeded).
    failing_since = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "orgs.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "pk"]

    def __str__(self) -> str:
        return f"webhook {self.pk} of {self.organisation_id}"

    @property
    def active(self) -> bool:
        return not self.disabled


class Delivery(models.Model):
    """One message for one subscription: a record entry, or a test ping. Its body is built at
    each attempt, so an erasure made meanwhile is respected; its id stays the same."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=40, unique=True)
    seq = models.PositiveBigIntegerField(null=True, blank=True)  # None: a test ping
    event_type = models.CharField(max_length=100)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["subscription", "pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.state})"


class Attempt(models.Model):
    """One try at delivering a message: what the receiver answered, or why nothing did."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    # The start of the receiver's answer, for a steward debugging it; never more.
    response_excerpt = models.CharField(max_length=200, blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"attempt on {self.delivery_id} at {self.at}"
