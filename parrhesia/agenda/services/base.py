"""What every deliberation service shares: the text limits, the errors a member can cause,
and the small steps each write takes (permission, text check, item lock, following).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.agenda.models import AgendaItem, ItemFollow
from parrhesia.orgs.models import Membership, MembershipStatus, Organisation
from parrhesia.orgs.rules import active_membership

TITLE_MAX = 200
MOTION_TEXT_MAX = 50_000
ARGUMENT_TEXT_MAX = 5_000
REASON_MAX = 2_000


class AgendaError(Exception):
    """An action that cannot happen as asked; the message says why."""


class PhaseClosed(AgendaError):
    """The item's phase does not allow this action (now, or any more)."""


class TextInvalid(AgendaError):
    """An empty or over-long text."""


class NotSupporter(AgendaError):
    """Only a motion's supporters may rate its suggestions."""


class SuggestionOutdated(AgendaError):
    """The motion changed since the suggestion was written."""


def _require(user: User, permission: str, organisation: Organisation) -> Membership:
    if not user.has_perm(permission, organisation):
        raise PermissionDenied
    membership = active_membership(user, organisation)
    if membership is None:
        raise PermissionDenied
    return membership


def _text(value: str, *, limit: int, what: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise TextInvalid(_("The %(what)s is empty; write something.") % {"what": what})
    if len(value) > limit:
        raise TextInvalid(
            _("The %(what)s is too long: at most %(limit)s characters.")
            % {"what": what, "limit": number_format(limit, force_grouping=True)}
        )
    return value


def _quorum(members: int, percent: int) -> int:
    """At least one supporter; ⌈members × percent / 100⌉ otherwise (integer arithmetic)."""
    return max(1, (members * percent + 99) // 100)


def _active_members(organisation: Organisation) -> int:
    return Membership.objects.filter(
        organisation=organisation, status=MembershipStatus.ACTIVE
    ).count()


def _locked(item: AgendaItem) -> AgendaItem:
    return AgendaItem.objects.select_for_update().select_related("organisation").get(pk=item.pk)


def _item_url(item: AgendaItem) -> str:
    return reverse("agenda:item", args=[item.organisation.slug, item.pk])


def _follow(item: AgendaItem, member: Membership) -> None:
    ItemFollow.objects.get_or_create(item=item, member=member)


def _schedule_phase_end(item: AgendaItem) -> None:
    if item.phase_ends_at is None:
        return
    from parrhesia.agenda.tasks import phase_end_task
    from parrhesia.web.scheduling import task_enqueue_at

    when, pk = item.phase_ends_at, item.pk
    transaction.on_commit(lambda: task_enqueue_at(phase_end_task, when, pk))
