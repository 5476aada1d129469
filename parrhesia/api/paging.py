"""Cursor pagination: a page of a list and the link to the next one.

The cursor is opaque to clients: the last position read, signed (with the list's path in the
salt), so a cursor cannot be forged nor carried to another list; a tampered one is a 400
problem. Positions are a column that only grows (an id, a record entry's seq), so a page never
repeats nor skips a row that was there when the first page was read.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core import signing
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from parrhesia.api.problems import CURSOR, Problem

LIMIT_DEFAULT = 50
LIMIT_MAX = 200
M = TypeVar("M")


def _salt(request: HttpRequest) -> str:
    return f"parrhesia.api.cursor:{request.path}"


def page_of(
    request: HttpRequest, rows: QuerySet[Any], *, cursor: str | None, limit: int, key: str = "pk"
) -> tuple[list[Any], str | None]:
    """``(the page's rows, the next page's URL or None)`` of ``rows`` in ``key`` order."""
    if cursor:
        try:
            after = signing.loads(cursor, salt=_salt(request))
        except signing.BadSignature:
            raise Problem(400, _("This cursor is not one this list gave."), type=CURSOR) from None
        if not isinstance(after, int):
            raise Problem(400, _("This cursor is not one this list gave."), type=CURSOR)
        rows = rows.filter(**{f"{key}__gt": after})
    found = list(rows.order_by(key)[: limit + 1])
    if len(found) <= limit:
        return found, None
    found = found[:limit]
    query = {
        "cursor": signing.dumps(getattr(found[-1], key), salt=_salt(request)),
        "limit": str(limit),
    }
    return found, request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
