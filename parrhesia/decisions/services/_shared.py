"""What the ballot services share: their error, and the lock every change to a ballot takes."""

from __future__ import annotations

from parrhesia.decisions.models import Ballot
from parrhesia.kernel.errors import DomainError


class BallotError(DomainError):
    """A ballot action that cannot happen as asked; the message says why."""


def ballot_locked(ballot: Ballot) -> Ballot:
    """The ballot's row, read again and locked until the transaction ends (votes, answers and
    the close wait for each other)."""
    return Ballot.objects.select_for_update().get(pk=ballot.pk)
