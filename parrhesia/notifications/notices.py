"""How each kind of notice is worded: registered by the app that sends it, in its own
``notices.py`` (found at start-up by :func:`autodiscover`, from this app's ``ready()``).

A notice is stored as a kind and its parameters and worded when shown, in the reader's
language::

    notice_register(
        "phase",
        gettext_lazy("The item entered the phase “%(phase)s”."),
        choices={"phase": Phase},   # a parameter stored as a choice's value is shown as its label
    )

A parameter named ``deadline`` holding an ISO time is shown as a readable date.

``delivery`` is how a member receives the kind until they choose otherwise on their settings
page: e-mailed at once (what needs them: a vote they may cast, a reminder before it closes, a
result, a case they are part of, a mention), or gathered in the daily digest (the rest).
``label`` names the kind on that page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.utils.formats import date_format
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy

from parrhesia.notifications.models import Delivery
from parrhesia.orgs.notices import WORDINGS as ORG_WORDINGS

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from parrhesia.notifications.models import Notification


@dataclass(frozen=True)
class NoticeKind:
    kind: str
    wording: str | Promise
    choices: dict[str, type[models.TextChoices]] = field(default_factory=dict)
    delivery: str = Delivery.DIGEST
    label: str | Promise = ""
    # E-mailed without the organisation's name or any link naming it (docs/privacy.md §4.1):
    # whoever handles the recipient's mail learns no more than "case 3: you were reported".
    discreet: bool = False


_KINDS: dict[str, NoticeKind] = {}


def notice_register(
    kind: str,
    wording: str | Promise,
    *,
    choices: dict[str, type[models.TextChoices]] | None = None,
    delivery: str = Delivery.DIGEST,
    label: str | Promise = "",
    discreet: bool = False,
) -> NoticeKind:
    notice = NoticeKind(kind, wording, dict(choices or {}), Delivery(delivery), label, discreet)
    _KINDS[kind] = notice
    return notice


def notice_kinds() -> dict[str, NoticeKind]:
    return dict(_KINDS)


def notice_discreet(kind: str) -> bool:
    notice = _KINDS.get(kind)
    return bool(notice and notice.discreet)


def notice_delivery(kind: str) -> str:
    """The kind's default delivery (the digest for a kind nobody registered)."""
    notice = _KINDS.get(kind)
    return notice.delivery if notice else Delivery.DIGEST


def notification_text(notification: Notification) -> str:
    """The notice in the reader's language; its kind (a code) if it cannot be worded."""
    notice = _KINDS.get(notification.kind)
    if notice is None:
        return notification.kind
    params = dict(notification.params)
    for key, choices in notice.choices.items():
        if key in params and params[key] in choices.values:
            params[key] = str(choices(params[key]).label)
    if isinstance(params.get("deadline"), str):
        params["deadline"] = _when(params["deadline"])
    try:
        return str(notice.wording) % params
    except (KeyError, TypeError, ValueError):
        return notification.kind


def _when(iso: str) -> str:
    try:
        return f"{date_format(datetime.fromisoformat(iso), 'DATETIME_FORMAT')} UTC"
    except ValueError:
        return iso


def autodiscover() -> None:
    """Import every installed app's ``notices`` module, which registers its kinds."""
    autodiscover_modules("notices")
    for kind, (wording, label, delivery) in ORG_WORDINGS.items():
        notice_register(kind, wording, delivery=delivery, label=label)


# A member named in a thread's text with an @mention (the threads call ``notify(...,
# kind="mention")`` with ``where``: the title of what they were named in, as its page shows it).
notice_register(
    "mention",
    gettext_lazy("You were mentioned in “%(where)s”."),
    delivery=Delivery.EMAIL,
    label=gettext_lazy("Someone mentions you"),
)
