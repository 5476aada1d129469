"""The API itself: its operations, its errors as problem details, its rate limits, and its
OpenAPI 3.1 document (at /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from parrhesia.api import problems
from parrhesia.api.auth import CallerThrottle, TokenAuth
from parrhesia.api.endpoints import agenda, decisions, opinion, orgs, record, tribunal
from parrhesia.api.problems import PROBLEM

# Every operation may answer these, as problem details (RFC 9457).
ERRORS = {
    "400": "Bad request (a refused action, a bad cursor)",
    "401": "No token where one is needed, or an unknown, expired or revoked token",
    "403": "Not allowed (the token's scope, the caller's role, the phase)",
    "404": "Not found, or not for the caller to see",
    "422": "A body or parameter that is not valid",
    "429": "Too many requests (see Retry-After)",
}
PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
}
DESCRIPTION = (
    "Parrhesia's REST API: the same reads and writes as the pages, under the same rules. "
    "Send a personal access token as `Authorization: Bearer prh_…` (make one on your "
    "organisation's API tokens page, or with `parrhesia token create`); without one you read "
    "what an anonymous visitor reads. Errors are problem details (RFC 9457). See docs/api.md."
)


class ParrhesiaAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        """Ninja's document, with the problem responses every operation may give and the token
        optional (anonymous callers read the public organisations)."""
        schema = super().get_openapi_schema(**kwargs)
        schema["components"]["schemas"]["Problem"] = PROBLEM_SCHEMA
        for path in schema["paths"].values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERRORS.items():
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {
                                PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}
                            },
                        },
                    )
                if "security" in operation:
                    operation["security"] = [{}, *operation["security"]]
        return schema


api = ParrhesiaAPI(
    title="Parrhesia API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url=None,  # our own page, without a CDN (views.api_docs)
    openapi_url="/openapi.json",
    auth=TokenAuth(),
    throttle=CallerThrottle(),
)
problems.install(api)
for module in (orgs, agenda, opinion, decisions, tribunal, record):
    api.add_router("", module.router)
