"""Every API operation × persona × scope, against the declared table in matrix.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.api.site import api
from parrhesia.api.tests.conftest import call
from parrhesia.api.tests.matrix import PERSONAS, SCOPES, TABLE, url_of

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


def operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix=reverse("api:api-root"))
    return {
        (method, path)
        for path, item in schema["paths"].items()
        for method in METHODS
        if method in item
    }


def test_every_operation_of_the_openapi_document_has_a_row():
    missing = sorted(operations() - set(TABLE))
    assert not missing, f"add these operations to parrhesia/api/tests/matrix.py: {missing}"


def test_the_table_names_no_operation_that_is_gone():
    assert not sorted(set(TABLE) - operations())


@pytest.mark.parametrize(("method", "path"), sorted(TABLE))
def test_access(client, api_world, method, path):
    row = TABLE[(method, path)]
    url = url_of(path, row, api_world)
    wrong = []
    for persona in PERSONAS:
        for scope in SCOPES:
            token = api_world.token(persona, scope)
            if method == "get":
                response = call(client, "get", url, token, data=row.query)
            else:
                response = call(client, "post", url, token, data=row.body(api_world))
            expected = row.expected(persona, scope)
            if response.status_code != expected:
                wrong.append((persona, scope, response.status_code, expected))
            if response.status_code >= 400:
                assert response["Content-Type"] == "application/problem+json", (persona, scope)
    assert not wrong, f"(persona, scope, got, expected): {wrong}"
