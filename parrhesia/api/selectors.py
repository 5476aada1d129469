"""Reads of the API app: a member's tokens, and the token a request presents."""

from __future__ import annotations

import hmac

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from parrhesia.api.models import TOKEN_PREFIX, ApiToken, token_digest
from parrhesia.orgs.models import Membership, MembershipStatus

TOKEN_LENGTH_MAX = 100


def tokens_of(membership: Membership) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(membership=membership)


def token_of_member_get(membership: Membership, token_id: int) -> ApiToken:
    """One of the member's own tokens; 404 for anyone else's."""
    return get_object_or_404(
        ApiToken.objects.select_related("membership__organisation"),
        pk=token_id,
        membership=membership,
    )


def token_in_force(presented: str) -> ApiToken | None:
    """The token a request presents, if it is in force: not expired nor revoked, and its
    member still an active member of its organisation. None otherwise."""
    if not presented.startswith(TOKEN_PREFIX) or len(presented) > TOKEN_LENGTH_MAX:
        return None
    digest = token_digest(presented)
    token = (
        ApiToken.objects.select_related("membership__organisation", "membership__user")
        .filter(digest=digest)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, digest):
        return None
    if token.state(timezone.now()) != "active":
        return None
    if token.membership.status != MembershipStatus.ACTIVE:
        return None
    return token
