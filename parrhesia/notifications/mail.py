"""A notice as an e-mail: a plain-text and an HTML part, and a one-click unsubscribe (RFC 8058).

Every e-mail names the kind of notice it carries in a signed token (``django.core.signing``:
the person, the organisation, the kind — nothing to guess, nothing secret), so that a mail
client's one-click POST, or the person on the confirmation page, can stop that kind from being
e-mailed without logging in. The digest is a kind of its own, ``digest``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from parrhesia.kernel.errors import DomainError
from parrhesia.orgs.models import Organisation

DIGEST = "digest"
UNSUBSCRIBE_SALT = "parrhesia.notifications.unsubscribe"


def site_url(path: str) -> str:
    """An absolute address on this site (e-mails cannot use relative links)."""
    return settings.PARRHESIA_SITE_URL.rstrip("/") + path


def unsubscribe_token(user_id: int, organisation_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "o": organisation_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


class UnsubscribeError(DomainError):
    """An unsubscribe link that this site did not sign (or whose organisation is gone)."""


def unsubscribe_target(token: str) -> tuple[int, Organisation, str]:
    """The person, organisation and kind a token names; UnsubscribeError if forged."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, organisation_id, kind = int(data["u"]), int(data["o"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise UnsubscribeError(_("This unsubscribe link is not valid.")) from error
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise UnsubscribeError(_("This unsubscribe link is not valid."))
    return user_id, organisation, kind


def notice_email(
    *,
    subject: str,
    address: str,
    user_id: int,
    organisation: Organisation,
    kind: str,
    items: list[dict[str, Any]],
    body: str = "",
    discreet: bool = False,
) -> EmailMultiAlternatives:
    """One e-mail of ``items`` (each ``text``, absolute ``url``, optional ``topic`` and
    ``when``), with both parts and the List-Unsubscribe headers; ``body``: the plain-text
    part's text, if not the items listed; ``discreet``: no organisation name and no link but
    the unsubscribe one (whose token names the organisation by number only)."""
    unsubscribe = site_url(
        reverse(
            "notifications_unsubscribe",
            kwargs={"token": unsubscribe_token(user_id, organisation.pk, kind)},
        )
    )
    settings_url = site_url(reverse("notifications:settings", args=[organisation.slug]))
    context = {
        "organisation": organisation,
        "items": items,
        "digest": kind == DIGEST,
        "unsubscribe_url": unsubscribe,
        "settings_url": settings_url,
        "body": body,
        "discreet": discreet,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/email.txt", context),
        to=[address],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("notifications/email.html", context), "text/html")
    return message
