"""The organisation's notices: a request to join waiting for its stewards, and the answer to
the person who asked (with the steward's reason).

The organisations sit below the notifications app (docs/architecture.md), so they word their
notices here and cannot store or send one themselves: at start-up the notifications app
registers :data:`WORDINGS` and hands its sender to :func:`notices_sender_set`. Until it has
(a script that never starts the apps), :func:`org_notify` sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from parrhesia.orgs.models import Membership, MembershipStatus, Organisation, Role

# kind: (wording, label on the settings page, default delivery: "email" at once or "digest")
WORDINGS: dict[str, tuple[Any, Any, str]] = {
    # It names no one: the stewards read who asked on the page, where the organisation's rules
    # on join messages apply.
    "join_requested": (
        gettext_lazy("A request to join %(organisation)s is waiting for a steward's answer."),
        gettext_lazy("A request to join waits for the stewards (stewards only)"),
        "email",
    ),
    "join_accepted": (
        gettext_lazy(
            "Your request to join %(organisation)s was accepted: welcome. The steward's note:"
            " %(reason)s"
        ),
        gettext_lazy("Your request to join is answered"),
        "email",
    ),
    "join_refused": (
        gettext_lazy(
            "Your request to join %(organisation)s was refused. The steward's reason: %(reason)s"
        ),
        gettext_lazy("Your request to join is answered"),
        "email",
    ),
}

_SENDERS: list[Callable[..., Any]] = []


def notices_sender_set(sender: Callable[..., Any]) -> None:
    """The notifications app's ``notify`` (called from its ``ready()``)."""
    _SENDERS[:] = [sender]


def org_notify(
    users: Iterable[Any], *, organisation: Organisation, kind: str, params: dict[str, Any]
) -> None:
    for send in _SENDERS:
        url = reverse("orgs:detail", args=[organisation.slug])
        if kind == "join_requested":
            url = reverse("orgs:join_requests", args=[organisation.slug])
        send(list(users), organisation=organisation, kind=kind, params=params, url=url)


def join_requested_notify(organisation: Organisation) -> None:
    """Tell the stewards (and admins) a request waits for them."""
    stewards = Membership.objects.filter(
        organisation=organisation,
        status=MembershipStatus.ACTIVE,
        role__in=[Role.STEWARD, Role.ADMIN],
    ).select_related("user")
    org_notify(
        [m.user for m in stewards],
        organisation=organisation,
        kind="join_requested",
        params={"organisation": organisation.name},
    )


def join_answered_notify(user: Any, organisation: Organisation, kind: str, reason: str) -> None:
    """Tell the person who asked: ``kind`` is join_accepted or join_refused."""
    org_notify(
        [user],
        organisation=organisation,
        kind=kind,
        params={"organisation": organisation.name, "reason": reason.strip() or "—"},
    )
