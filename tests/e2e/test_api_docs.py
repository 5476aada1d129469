"""The API's page lets a developer try an operation in the browser with their token: the answer
is shown on the page; without the token, a members-only organisation's ballots are a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_developer_tries_an_operation_with_their_token(
    live_server, page, axe_check, riverside, alice
):
    from parrhesia.api.services import token_create
    from parrhesia.decisions import services as decisions

    decisions.ballot_open(
        user=alice, organisation=riverside, title="Paint the hall green?", method="motion",
        options=[], closes_at=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    _row, token = token_create(user=alice, organisation=riverside, scopes=["read"])
    page.goto(f"{live_server.url}/api/v1/docs")
    row = (
        page.get_by_role("row")
        .filter(has_text="/api/v1/orgs/{slug}/ballots")
        .filter(has_not_text="{ballot_id}")
    )
    row.get_by_text("Try it").click()
    row.get_by_label("slug").fill("riverside")
    row.get_by_role("button", name="Send").click()
    answer = row.locator("output")
    answer.filter(has_text="404").wait_for()  # no token: a members-only organisation is not found
    page.get_by_label("Your token", exact=False).fill(token)
    row.get_by_role("button", name="Send").click()
    answer.filter(has_text="Paint the hall green?").wait_for()
    assert "200" in answer.inner_text()
    axe_check(page)
