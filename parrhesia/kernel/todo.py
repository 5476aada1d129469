"""A member's to-do: what needs them now, from every app, soonest deadline first.

Each app says what of its own needs a member in its ``todo.py`` (found at start-up by
:func:`autodiscover`, from ``kernel.apps``)::

    todo_register(ballots_to_vote)

A source receives the member's active memberships (each with its organisation) and the time,
and returns :class:`Todo` rows in a constant number of queries, however many memberships: the
home page asks every organisation at once. A row is for the member alone (the page, the menu's
count, their calendar feed): it names no one, so that it tells nothing beyond what its link
shows them.

The home page, the organisation page and the menu's count share one list per request
(:func:`todo_of_request`); other pages do not compute it (the menu fetches its count apart).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from parrhesia.kernel.access import ACTIVE

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from parrhesia.orgs.models import Membership, Organisation


@dataclass(frozen=True)
class Todo:
    # stable across requests (the calendar's UID): "<kind>-<id>"
    uid: str
    organisation: Organisation
    # what it is: "ballot", "item", "question", "case", "jury", "join_requests", "docket"
    kind: str
    title: str
    # what to do, in the reader's language ("Vote", "Your defence is due")
    action: str | Promise
    url: str
    deadline: datetime | None = None


Source = Callable[[Sequence["Membership"], datetime], Iterable[Todo]]

_SOURCES: list[Source] = []
_CACHE = "_parrhesia_todo"


def todo_register(source: Source) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def todo_sort_key(row: Todo) -> tuple[bool, datetime, str, str]:
    """Soonest deadline first; rows with none after, by organisation and title."""
    deadline = row.deadline or datetime.max.replace(tzinfo=timezone.get_current_timezone())
    return (row.deadline is None, deadline, row.organisation.name, row.title)


def todo_for(user: Any, now: datetime | None = None) -> list[Todo]:
    """Everything that needs ``user`` in all their organisations, soonest deadline first."""
    if user is None or not user.is_authenticated:
        return []
    model = apps.get_model("orgs", "Membership")
    memberships = list(
        model.objects.filter(user_id=user.pk, status=ACTIVE).select_related("organisation")
    )
    if not memberships:
        return []
    # request.user's lazy wrapper stands for the user already loaded: each membership shares it
    # (and what is cached on it, as whether they have a second factor) rather than loading its own
    person = getattr(user, "_wrapped", user)
    for membership in memberships:
        membership.user = person
    now = now or timezone.now()
    rows = [row for source in _SOURCES for row in source(memberships, now)]
    return sorted(rows, key=todo_sort_key)


def todo_of_request(request: HttpRequest) -> list[Todo]:
    """:func:`todo_for` the request's user, computed once per request."""
    if _CACHE not in request.__dict__:
        request.__dict__[_CACHE] = todo_for(request.user)
    return request.__dict__[_CACHE]  # type: ignore[no-any-return]


def todo_known(request: HttpRequest) -> bool:
    """Whether this request has already computed the to-do (so its count is free)."""
    return _CACHE in request.__dict__


def todo_in(rows: Iterable[Todo], organisation: Organisation) -> list[Todo]:
    return [row for row in rows if row.organisation.pk == organisation.pk]


def autodiscover() -> None:
    """Import every installed app's ``todo`` module, which registers its sources."""
    autodiscover_modules("todo")
