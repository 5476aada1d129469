"""Every error of the API as RFC 9457 problem details (``application/problem+json``).

The handlers turn what the selectors, rules and services raise — ``Http404``,
``PermissionDenied``, a ``DomainError`` — into the same statuses the pages answer, with the
service's own message as the ``detail``.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from parrhesia.kernel.errors import DomainError
from parrhesia.record.checkpoints import SigningKeyMissing

PROBLEM = "application/problem+json"
log = logging.getLogger(__name__)

# The problem types this API answers with beyond the plain HTTP statuses (about:blank).
INVALID = "urn:parrhesia:problem:invalid"
REFUSED = "urn:parrhesia:problem:refused"
SCOPE = "urn:parrhesia:problem:insufficient-scope"
CURSOR = "urn:parrhesia:problem:bad-cursor"
RATE = "urn:parrhesia:problem:rate-limited"
TOKEN = "urn:parrhesia:problem:token-required"


class Problem(HttpError):
    """An error with its problem type: raised by the API's own code."""

    def __init__(self, status: int, detail: str, type: str = "about:blank", **extra: Any):
        super().__init__(status, detail)
        self.type, self.detail, self.extra = type, detail, extra


def problem(
    status: int, detail: str = "", *, type: str = "about:blank", **extra: Any
) -> HttpResponse:
    body = {"type": type, "title": HTTPStatus(status).phrase, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="parrhesia"'
    return response


def _validation(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors = [
        {"loc": [str(part) for part in item.get("loc", ())], "msg": str(item.get("msg", ""))}
        for item in error.errors
    ]
    return problem(422, _("The request is not valid."), type=INVALID, errors=errors)


def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    if isinstance(error, Problem):
        return problem(error.status_code, error.detail, type=error.type, **error.extra)
    if isinstance(error, AuthenticationError):
        return problem(401, _("The token is unknown, expired or revoked."), type=TOKEN)
    if error.status_code == 429:
        return problem(429, _("Too many requests: wait, then try again."), type=RATE)
    return problem(error.status_code, str(error))


def _not_found(request: HttpRequest, error: Exception) -> HttpResponse:
    return problem(404, _("There is nothing here, or you may not see it."))


def _denied(request: HttpRequest, error: Exception) -> HttpResponse:
    return problem(403, _("You may not do this here."))


def _refused(request: HttpRequest, error: Exception) -> HttpResponse:
    return problem(400, str(error), type=REFUSED)


def _unsigned(request: HttpRequest, error: Exception) -> HttpResponse:
    log.error("%s", error)
    return problem(503, _("This server cannot sign the record right now."))


def install(api: NinjaAPI) -> None:
    """Register the problem handlers on ``api`` (anything else is a bug: a 500)."""
    api.add_exception_handler(ValidationError, _validation)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(PermissionDenied, _denied)
    api.add_exception_handler(DomainError, _refused)
    api.add_exception_handler(SigningKeyMissing, _unsigned)
