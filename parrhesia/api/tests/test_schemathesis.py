"""The OpenAPI document against the API itself (schemathesis): for an anonymous caller and for a
token of each scope, no answer is a server error, and every answer is one the document
describes (its status, its content type, its schema).

In-process, through the WSGI application: no server, the test's own database transaction.
Few examples per operation (derandomized: the same ones on every run), so that the whole runs
in well under a minute on SQLite and on PostgreSQL (docs/api.md, "Tests").
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from parrhesia.orgs.models import Organisation, Visibility

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 8


@pytest.fixture
def open_world(api_world, settings):
    """The API world with Riverside public (anonymous callers read it too), no rate limit in
    the way, and the WSGI handler kept from closing the test's connection between requests
    (as Django's test client does)."""
    settings.PARRHESIA_API_RATE = settings.PARRHESIA_API_RATE_ANONYMOUS = 10**9
    Organisation.objects.filter(pk=api_world.organisation.pk).update(visibility=Visibility.PUBLIC)
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield api_world
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def run(case, caller: str, world) -> None:
    if "slug" in (case.path_parameters or {}) and case.path_parameters["slug"].isascii():
        # most examples in the organisation that has content; a generated slug starting with
        # a digit reaches the "no such organisation" answers
        if not case.path_parameters["slug"][:1].isdigit():
            case.path_parameters["slug"] = world.organisation.slug
    headers = {}
    if caller != "anonymous":
        headers["Authorization"] = f"Bearer {world.token('member', caller)}"
    case.call_and_validate(headers=headers, checks=CHECKS)


def every_operation(world, caller: str) -> int:
    """Run each operation's examples (valid ones, then ones that break the schema); the number
    of operations run."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case):
                run(case, caller, world)

            try:
                check()
            except Unsatisfiable:  # nothing about it can be invalid (no parameter, no body)
                assert mode == GenerationMode.NEGATIVE
    return len(operations)


@pytest.mark.parametrize("caller", ["anonymous", "read", "vote", "post"])
def test_every_answer_is_one_the_document_describes(open_world, caller):
    assert every_operation(open_world, caller) >= 25
