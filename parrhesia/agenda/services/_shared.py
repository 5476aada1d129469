"""What the deliberation services share: the text limits, the errors a member can cause, and
the small steps each write takes (a checked text, the locked item, following, the phase's end).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from parrhesia.agenda.models import AgendaItem, ItemFollow
from parrhesia.agenda.tasks import phase_end_task
from parrhesia.kernel.deferred import task_after_commit
from parrhesia.kernel.errors import DomainError
from parrhesia.orgs.models import Membership

TITLE_MAX = 200
MOTION_TEXT_MAX = 50_000
ARGUMENT_TEXT_MAX = 5_000
REASON_MAX = 2_000


class AgendaError(DomainError):
    """An action that cannot happen as asked; the message says why."""


class PhaseClosed(AgendaError):
    """The item's phase does not allow this action (now, or any more)."""


class TextInvalid(AgendaError):
    """An empty or over-long text."""


class NotSupporter(AgendaError):
    """Only a motion's supporters may rate its suggestions."""


class SuggestionOutdated(AgendaError):
    """The motion changed since the suggestion was written."""


def text_checked(value: str, *, limit: int, what: str, required: bool = True) -> str:
    """The text without surrounding blanks; :class:`TextInvalid` if empty (when ``required``)
    or longer than ``limit``. ``what`` names it in the message."""
    value = (value or "").strip()
    if required and not value:
        raise TextInvalid(_("The %(what)s is empty; write something.") % {"what": what})
    if len(value) > limit:
        raise TextInvalid(
            _("The %(what)s is too long: at most %(limit)s characters.")
            % {"what": what, "limit": number_format(limit, force_grouping=True)}
        )
    return value


def quorum(members: int, percent: int) -> int:
    """At least one supporter; ⌈members × percent / 100⌉ otherwise (integer arithmetic)."""
    return max(1, (members * percent + 99) // 100)


def item_locked(item: AgendaItem) -> AgendaItem:
    """The item's row, locked until the transaction ends: writes on one item wait in turn."""
    return AgendaItem.objects.select_for_update().select_related("organisation").get(pk=item.pk)


def item_url(item: AgendaItem) -> str:
    return reverse("agenda:item", args=[item.organisation.slug, item.pk])


def item_follow(item: AgendaItem, member: Membership) -> None:
    """The member follows the item from now on (taking part in it means following it)."""
    ItemFollow.objects.get_or_create(item=item, member=member)


def phase_end_schedule(item: AgendaItem) -> None:
    """Enqueue the task that ends the item's current phase, once the transaction commits."""
    if item.phase_ends_at is not None:
        task_after_commit(phase_end_task, item.pk, run_after=item.phase_ends_at)
