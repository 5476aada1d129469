"""Hiding content at once is a second step: the steward chooses the urgent category (none is
chosen in advance, not even "publishing someone's personal data") and ticks a box to confirm;
without either, nothing is hidden and the form says why (issue 14)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from parrhesia.orgs.models import JoinRequest
from parrhesia.tribunal import services
from parrhesia.tribunal.selectors import hidden_measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(court, alice, carol):
    request = JoinRequest.objects.create(
        organisation=court, user=carol, message="Call Dan on 06", status="accepted"
    )
    return services.report_file(
        user=alice,
        organisation=court,
        kind="join_request",
        object_id=request.pk,
        rules=[2],
        description="Publishes Dan's phone number.",
    )


def interim(client, case, data):
    url = reverse("tribunal:interim", args=[case.organisation.slug, case.number])
    return client.post(url, data)


def test_the_form_preselects_no_category_and_asks_for_a_confirmation(client, case, bob):
    client.force_login(bob)
    page = client.get(reverse("tribunal:case", args=["riverside", case.number])).content.decode()
    select = re.search(r'<select name="interim-category".*?</select>', page, re.S)
    assert select is not None
    assert re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(0)) in ([], [""])
    assert select.group(0).index('value=""') < select.group(0).index('value="personal_data"')
    assert 'name="interim-confirm"' in page


@pytest.mark.parametrize(
    "data",
    [
        {"interim-category": "personal_data"},  # no confirmation
        {"interim-category": "", "interim-confirm": "on"},  # no category
    ],
)
def test_without_a_category_and_a_confirmation_nothing_is_hidden(client, case, bob, data):
    client.force_login(bob)
    interim(client, case, data)
    assert hidden_measure("join_request", case.object_id) is None


def test_with_both_the_content_is_hidden(client, case, bob):
    client.force_login(bob)
    interim(client, case, {"interim-category": "personal_data", "interim-confirm": "on"})
    assert hidden_measure("join_request", case.object_id).source == "interim"
