"""A case through the API names its reporter to whom the case page names them: everyone when the
reporter signed, only the reporter when they asked to stay anonymous (docs/privacy.md)."""

from __future__ import annotations

import pytest

from parrhesia.api.services import token_create
from parrhesia.api.tests.conftest import call
from parrhesia.orgs.models import Membership
from parrhesia.tribunal import services as tribunal

pytestmark = pytest.mark.django_db


def case_as(client, organisation, user, number):
    _row, token = token_create(user=user, organisation=organisation, scopes=["read"])
    url = f"/api/v1/orgs/{organisation.slug}/tribunal/cases/{number}"
    response = call(client, "get", url, token)
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("anonymous", [False, True])
def test_the_reporter_is_named_only_where_the_case_page_names_them(
    client, riverside, alice, bob, carol, anonymous
):
    case = tribunal.report_file(
        user=carol, organisation=riverside, kind="member",
        object_id=Membership.objects.get(organisation=riverside, user=bob).pk, rules=[1],
        description="Shouted at a neighbour.", anonymous=anonymous,
    )  # fmt: skip
    seen_by_admin = case_as(client, riverside, alice, case.number)
    assert (seen_by_admin.get("reporter") == carol.public_name) is not anonymous
    if anonymous:
        assert carol.public_name not in str(seen_by_admin)
    assert case_as(client, riverside, carol, case.number)["reporter"] == carol.public_name
