"""What the ballot services share: their error, and the lock every change to a ballot takes."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from parrhesia.decisions.models import Ballot
from parrhesia.kernel.errors import DomainError


class BallotError(DomainError):
    """A ballot action that cannot happen as asked; the message says why."""


def ballot_locked(ballot: Ballot) -> Ballot:
    """The ballot's row, read again and locked until the transaction ends (votes, answers and
    the close wait for each other). What never changes once the ballot is open — its
    organisation, its options — is taken over from ``ballot`` when already read (two queries
    fewer on every vote)."""
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if Ballot.organisation.is_cached(ballot):  # type: ignore[attr-defined]
        locked.organisation = ballot.organisation
    prefetched = getattr(ballot, "_prefetched_objects_cache", {})
    if "options" in prefetched:
        locked._prefetched_objects_cache = {"options": prefetched["options"]}
    return locked


def min_anonymity_checked(min_anonymity: int | None) -> None:
    """The fewest voters of a secret vote is a count of people: at least one."""
    if min_anonymity is not None and min_anonymity < 1:
        raise BallotError(_("The fewest voters of a secret vote must be at least 1."))


def too_many_options(count: int) -> str:
    """The refusal of a ballot with more options than the site allows (the status quo counts:
    every vote on competing motions updates an options × options matrix)."""
    return _("A vote can have at most %(limit)d options; this one has %(count)d.") % {
        "limit": settings.DECISIONS_MAX_OPTIONS,
        "count": count,
    }
