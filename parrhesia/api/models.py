"""Personal access tokens: a member's key to the API, for one organisation and some scopes.

Only the SHA-256 digest of a token is stored: the token itself is shown once, when it is made.
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parrhesia.orgs.models import Membership

# The start of every token: people and secret scanners can recognise one.
TOKEN_PREFIX = "prh_"


def token_digest(token: str) -> str:
    """What is stored of a token: the SHA-256 of the whole token, in hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class Scope(models.TextChoices):
    READ = "read", _("Read")
    VOTE = "vote", _("Vote")
    POST = "post", _("Post")


class ApiToken(models.Model):
    """A token of one membership (a person in an organisation), with its scopes.

    ``prefix`` is the start of the token, shown in lists so that its owner can tell tokens
    apart; ``digest`` (SHA-256 of the whole token) is how a request's token is found.
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"token {self.prefix}… of membership {self.membership_id}"

    def state(self, now: object = None) -> str:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:  # type: ignore[operator]
            return "expired"
        return "active"

    def allows(self, scope: str) -> bool:
        """Every token reads; ``vote`` and ``post`` add those writes (docs/api.md)."""
        return scope == Scope.READ or scope in self.scopes
