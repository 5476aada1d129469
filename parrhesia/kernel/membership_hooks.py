"""Who must act when a membership ends (the member left, or a verdict expelled them).

The organisations sit below the apps that hold what a member gives others to carry for them
(decisions: their topic delegations and their proxies in open ballots), so they cannot call
them: those apps register a listener here from their ``ready()``, and the services that end a
membership (``orgs.services.membership_leave``, the tribunal's expulsion) call
:func:`membership_ended` inside their transaction, after the membership's status has changed.

Unlike the record's checkpoint listeners, a listener here is part of the change: it writes its
own record entries in that transaction, and an error it raises rolls the whole change back
(the member stays, and nothing half-done is left on the record).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class MembershipEndListener(Protocol):
    """Called as ``listener(membership_id=…, now=…)``; what it returns is ignored."""

    def __call__(self, *, membership_id: int, now: datetime) -> object: ...


_LISTENERS: list[MembershipEndListener] = []


def membership_end_listener_register(listener: MembershipEndListener) -> None:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def membership_ended(membership_id: int, now: datetime) -> None:
    """In the transaction that ended the membership: every listener acts on it, in order."""
    for listener in list(_LISTENERS):
        listener(membership_id=membership_id, now=now)
