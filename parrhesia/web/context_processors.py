"""``todo_count``: how many things need the signed-in member, for the menu; None where the page
has not computed the to-do (the menu then fetches the count apart, so that no page pays for
it: kernel.todo)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from parrhesia.kernel.todo import todo_known, todo_of_request


def todo(request: HttpRequest) -> dict[str, Any]:
    def count() -> int | None:
        if not todo_known(request):
            return None
        return len(todo_of_request(request))

    return {"todo_count": count}
