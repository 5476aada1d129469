"""What every API answer goes through, whatever the operation: ETags and 304 on reads, no
caching of writes, and problem details for what Django answers before an operation runs (a
method not allowed, a path that names nothing, a NUL character no database can hold)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from parrhesia.api.problems import PROBLEM, problem

View = Callable[..., HttpResponse]
ID_MAX = 2**31 - 1  # no id or number is larger (a larger one must not reach the database)


def etag_of(response: HttpResponse) -> str:
    return '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'


def matches(request: HttpRequest, etag: str) -> bool:
    wanted = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    return "*" in wanted or etag in wanted or f"W/{etag}" in wanted


def too_large(value: Any) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) > ID_MAX


def api_answer(view: View) -> View:
    @functools.wraps(view)
    def answered(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "\x00" in request.get_full_path() or "\x00" in request.path:
            return problem(400, _("The request holds a NUL character."))
        if any(too_large(value) for value in kwargs.values()):
            return problem(404, _("There is nothing here, or you may not see it."))
        response = view(request, *args, **kwargs)
        return finished(request, response)

    return csrf_exempt(answered)


def finished(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if response.status_code == 405 and response.get("Content-Type") != PROBLEM:
        allowed = response.get("Allow", "")
        response = problem(
            405, _("This address does not take %(method)s.") % {"method": request.method}
        )
        response["Allow"] = allowed
    response["Vary"] = "Authorization"
    if request.method not in ("GET", "HEAD"):
        response["Cache-Control"] = "no-store"
        return response
    response["Cache-Control"] = "private, no-cache"
    if response.status_code != 200 or getattr(response, "streaming", False):
        return response
    etag = etag_of(response)
    if matches(request, etag):
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = etag
        not_modified["Vary"] = "Authorization"
        not_modified["Cache-Control"] = "private, no-cache"
        return not_modified
    response["ETag"] = etag
    return response
