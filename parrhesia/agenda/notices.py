"""Deliberation's notices: how each is worded, and the two ways the agenda sends them (to some
members about an item, to an item's followers)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

from parrhesia.agenda.models import ChallengeKind, FollowUpStatus, ItemFollow, Phase, Stance
from parrhesia.notifications.notices import notice_register
from parrhesia.notifications.services import notify

if TYPE_CHECKING:
    from parrhesia.agenda.models import AgendaItem
    from parrhesia.orgs.models import Membership, Organisation

notice_register(
    "phase",
    gettext_lazy("The item entered the phase “%(phase)s”."),
    choices={"phase": Phase},
    label=gettext_lazy("An item you follow enters a new phase"),
)
notice_register(
    "phase_adjusted",
    gettext_lazy("A steward moved the end of the phase “%(phase)s”."),
    choices={"phase": Phase},
    label=gettext_lazy("A steward moves the end of a phase of an item you follow"),
)
notice_register(
    "alternative_filed",
    gettext_lazy("An alternative motion was filed: “%(motion)s”."),
    label=gettext_lazy("An alternative motion is filed on an item you follow"),
)
notice_register(
    "reply",
    gettext_lazy("Someone replied to your argument (%(stance)s)."),
    choices={"stance": Stance},
    label=gettext_lazy("Someone replies to your argument"),
)
notice_register(
    "challenge",
    gettext_lazy("Your argument was challenged (%(kind)s)."),
    choices={"kind": ChallengeKind},
    label=gettext_lazy("Your argument is challenged"),
)
notice_register(
    "challenge_answered",
    gettext_lazy("Your challenge was answered."),
    label=gettext_lazy("Your challenge is answered"),
)
notice_register(
    "suggestion_declined",
    gettext_lazy("A suggestion you rated “must” on “%(motion)s” was declined: %(reason)s"),
    label=gettext_lazy("A suggestion you rated “must” is declined"),
)
notice_register(
    "follow_up",
    gettext_lazy("A follow-up was logged (%(status)s)."),
    choices={"status": FollowUpStatus},
    label=gettext_lazy("A follow-up is logged on an item you follow"),
)


def notify_item(
    users: Iterable[Any],
    *,
    organisation: Organisation,
    item: AgendaItem,
    kind: str,
    params: dict[str, Any],
    url: str,
) -> int:
    """A notice about an item to each of ``users``; the digest groups it under the item."""
    return notify(
        users, organisation=organisation, topic=item.title, kind=kind, params=params, url=url
    )


def notify_followers(
    item: AgendaItem, *, exclude: Membership | None, kind: str, params: dict[str, Any], url: str
) -> int:
    """A notice to the item's active followers, but the member who caused it (``exclude``)."""
    follows = ItemFollow.objects.filter(item=item).select_related("member__user")
    if exclude is not None:
        follows = follows.exclude(member=exclude)
    users = [f.member.user for f in follows if f.member.is_active]
    return notify_item(
        users, organisation=item.organisation, item=item, kind=kind, params=params, url=url
    )
