"""Authorisation rows of the webhooks pages (see tests/authorisation.py): stewards and admins
of the organisation; members 403, everyone else 404 (a members-only organisation)."""

from __future__ import annotations

from typing import Any

from tests.authorisation import Row, slug

STEWARDS_GET = (302, 404, 404, 403, 200, 200)
STEWARDS_REDIRECT = (302, 404, 404, 403, 302, 302)
POST_ONLY = (302, 405, 405, 405, 405, 405)


def webhook_of(world: Any) -> dict[str, Any]:
    """A webhook of the organisation (made for the row, off the record: the rows test access)."""
    from parrhesia.webhooks.models import Subscription

    subscription, _ = Subscription.objects.get_or_create(
        organisation=world.organisation,
        url="https://8.8.8.8/hook",
        defaults={"secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
    )
    # Each persona's POST must find it as the row expects (a delete or a disable by the
    # previous persona would change the answer): enabled again, before each request.
    Subscription.objects.filter(pk=subscription.pk).update(disabled="")
    return {**slug(world), "webhook_id": subscription.pk}


def disabled_webhook_of(world: Any) -> dict[str, Any]:
    from parrhesia.webhooks.models import Subscription

    kwargs = webhook_of(world)
    Subscription.objects.filter(pk=kwargs["webhook_id"]).update(disabled="steward")
    return kwargs


ROWS = {
    # creating answers the page with the secret (200); an invalid form would be a 400
    "webhooks:list": Row(
        get=STEWARDS_GET,
        post=STEWARDS_GET,
        kwargs=slug,
        post_data=lambda w: {"url": "https://8.8.8.8/new", "every_action": "all"},
    ),
    "webhooks:detail": Row(get=STEWARDS_GET, kwargs=webhook_of),
    "webhooks:disable": Row(get=POST_ONLY, post=STEWARDS_REDIRECT, kwargs=webhook_of),
    "webhooks:enable": Row(get=POST_ONLY, post=STEWARDS_REDIRECT, kwargs=disabled_webhook_of),
    "webhooks:test": Row(get=POST_ONLY, post=STEWARDS_REDIRECT, kwargs=webhook_of),
    # GET asks for confirmation; POST answers the new secret
    "webhooks:rotate": Row(get=STEWARDS_GET, post=STEWARDS_GET, kwargs=webhook_of),
    "webhooks:delete": Row(get=STEWARDS_GET, post=STEWARDS_REDIRECT, kwargs=webhook_of),
}
