"""Every request gets an id: taken from a trusted proxy's ``X-Request-ID`` or made here, sent back
in the response's ``X-Request-ID``, and written on every log line the request causes (through
:data:`parrhesia.config.logs.request_id`), so that a proxy's log, the access log and the
application's log can be joined on it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from parrhesia.accounts.client_ip import is_trusted
from parrhesia.config.logs import request_id

HEADER = "X-Request-ID"
# What an incoming id may be: a UUID, a proxy's hex id, a trace id; nothing that could forge a
# log line or smuggle personal data in at length.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")


def request_id_of(request: HttpRequest) -> str:
    """A trusted proxy's id for the request, or a fresh one."""
    incoming = request.headers.get(HEADER, "")
    proxies = getattr(settings, "PARRHESIA_TRUSTED_PROXIES", [])
    if incoming and SANE_ID.fullmatch(incoming) and proxies and is_trusted(
        request.META.get("REMOTE_ADDR", ""), proxies
    ):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        current = request_id_of(request)
        request.request_id = current  # type: ignore[attr-defined]
        token = request_id.set(current)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = current
        return response
