"""A member's notices and their digest setting.

The tables were born in the agenda app (``agenda_notification``, ``agenda_notificationsetting``)
and keep their names: the models moved here without the data moving. A notice knows no app: it
is a kind (worded by the app that registered it, ``notices.py``), its parameters, a link, and
the topic under which the digest groups it (an agenda item's title, say).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parrhesia.orgs.models import Membership, Organisation


class Digest(models.TextChoices):
    OFF = "off", _("Off")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class Delivery(models.TextChoices):
    """How a member receives one kind of notice."""

    EMAIL = "email", _("By e-mail at once")
    DIGEST = "digest", _("In the e-mail digest")
    APP = "app", _("In the app only")


class NotificationSetting(models.Model):
    member = models.OneToOneField(
        Membership, on_delete=models.PROTECT, related_name="notification_setting"
    )
    # Daily unless the member chose otherwise: a notice nobody reads is a notice not sent.
    digest = models.CharField(max_length=10, choices=Digest.choices, default=Digest.DAILY)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "agenda_notificationsetting"

    def __str__(self) -> str:
        return f"{self.member_id}: {self.digest}"


class NotificationPreference(models.Model):
    """A person's choice for one kind of notice in one organisation (the kind's default
    otherwise). Keyed by the person, not the membership: an applicant is no member yet."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "kind"], name="one_preference_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.organisation_id} {self.kind}: {self.delivery}"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # The heading under which the digest and the list group it (e.g. the agenda item's title).
    topic = models.CharField(max_length=300, blank=True, default="")
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # How it reaches its reader, fixed when it is stored (their preference then).
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.DIGEST)
    # What makes it once-only (a reminder of one ballot): ``notify`` skips a reader who has one.
    key = models.CharField(max_length=100, blank=True, default="")
    # The e-mail's subject where the sender chose one (else the notice's own wording).
    subject = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        db_table = "agenda_notification"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "organisation", "emailed_at"],
                name="agenda_noti_recipie_f94bc9_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
