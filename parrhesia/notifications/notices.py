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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.utils.formats import date_format
from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from parrhesia.notifications.models import Notification


@dataclass(frozen=True)
class NoticeKind:
    kind: str
    wording: str | Promise
    choices: dict[str, type[models.TextChoices]] = field(default_factory=dict)


_KINDS: dict[str, NoticeKind] = {}


def notice_register(
    kind: str,
    wording: str | Promise,
    *,
    choices: dict[str, type[models.TextChoices]] | None = None,
) -> NoticeKind:
    notice = NoticeKind(kind, wording, dict(choices or {}))
    _KINDS[kind] = notice
    return notice


def notice_kinds() -> dict[str, NoticeKind]:
    return dict(_KINDS)


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
