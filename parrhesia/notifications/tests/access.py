"""Authorisation rows of the notifications pages (see tests/authorisation.py)."""

from __future__ import annotations

from parrhesia.notifications.mail import unsubscribe_token
from tests.authorisation import Row, slug

SIGNED_IN_GET = (302, 404, 404, 200, 200, 200)  # visitors log in first; members only
MEMBERS_WRITE = (302, 404, 404, 302, 302, 302)

ROWS = {
    "notifications:list": Row(
        get=SIGNED_IN_GET, post=MEMBERS_WRITE, kwargs=slug, post_data=lambda w: {"digest": "daily"}
    ),
    # The page's old address answers a permanent redirect for any slug (it reveals nothing).
    "agenda:notifications_moved": Row(get=(301, 301, 301, 301, 301, 301), kwargs=slug),
    "notifications:read": Row(get=(302, 405, 405, 405, 405, 405), post=MEMBERS_WRITE, kwargs=slug),
    "notifications:settings": Row(
        get=SIGNED_IN_GET, post=MEMBERS_WRITE, kwargs=slug, post_data=lambda w: {"digest": "daily"}
    ),
    # The signed link is the authority (a mail client posts without a session): the GET asks,
    # the POST unsubscribes the member it names, whoever sends it.
    "notifications_unsubscribe": Row(
        get=(200, 200, 200, 200, 200, 200),
        post=(200, 200, 200, 200, 200, 200),
        kwargs=lambda w: {
            "token": unsubscribe_token(w.users["member"].pk, w.organisation.pk, "ballot_opened")
        },
    ),
}
