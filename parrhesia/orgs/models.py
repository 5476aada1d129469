"""Organisations, their members, and the ways in: invitations and join requests."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SLUG_VALIDATOR = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$",
    _("Use 1 to 50 lowercase letters, digits and hyphens, not starting or ending with a hyphen."),
)
# Slugs that would shadow the site's own pages.
RESERVED_SLUGS = frozenset(
    {"accounts", "account", "admin", "api", "health", "i18n", "new", "static", "invite", "me", "o"}
)


class Visibility(models.TextChoices):
    MEMBERS = "members", _("Members only")
    PUBLIC = "public", _("Public read")


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    STEWARD = "steward", _("Steward")
    ADMIN = "admin", _("Admin")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.CharField(
        _("short name"), max_length=50, unique=True, validators=[SLUG_VALIDATOR]
    )
    description = models.TextField(_("description"), blank=True, max_length=5000)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Privacy settings (docs/privacy.md), changed by an admin on the record. By default the
    # member list is for members, even when the organisation is public-read (visitors see only
    # the count), and a join request's message is for stewards (it is not on the record).
    # db_default too: rows written by code that predates them (an old migration) get the default.
    member_list_public = models.BooleanField(
        _("visitors see the member list"), default=False, db_default=False
    )
    join_messages_public = models.BooleanField(
        _("join-request messages on the record"), default=False, db_default=False
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("membership status", "Active")
    LEFT = "left", _("Left")
    # Only a tribunal verdict sets this (tribunal.services.verdicts); nothing in orgs does.
    EXPELLED = "expelled", _("Expelled by a verdict")


class Membership(models.Model):
    """One person's membership of one organisation; kept after they leave, so history holds.

    Its id is the member id that the public record names as actor.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    # When the member last became a steward or admin: their two-factor grace period starts here
    # (orgs.rules.is_steward, PARRHESIA_MFA_GRACE_DAYS).
    # db_default: rows written by code that predates the field (old migrations' models) get now.
    role_since = models.DateTimeField(default=timezone.now, db_default=Now())

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="one_membership_per_person"
            ),
        ]
        ordering = ["joined_at", "id"]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    single_use = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation {self.pk} to {self.organisation_id}"

    def state(self, now: Any = None) -> str:
        now = now or timezone.now()
        if self.revoked_at:
            return "revoked"
        if self.single_use and self.uses:
            return "used"
        if self.expires_at <= now:
            return "expired"
        return "open"

    @property
    def is_usable(self) -> bool:
        return self.state() == "open"


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("join request status", "Withdrawn")


class JoinRequest(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="join_requests"
    )
    message = models.TextField(blank=True, max_length=2000)
    status = models.CharField(
        max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_join_request",
            ),
        ]

    def __str__(self) -> str:
        return f"join request {self.pk} by {self.user_id}"


class ConductCode(models.Model):
    """One version of an organisation's code of conduct: numbered rules, never edited in place.

    The tribunal cites rule numbers together with the version in force.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="conduct_codes"
    )
    version = models.PositiveIntegerField()
    rules = models.JSONField(default=list, help_text="[{'number': 1, 'text': '…'}, …]")
    reason = models.TextField(blank=True, max_length=2000)
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="one_code_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"code of conduct v{self.version}"
