"""Members vote through a conversation in the browser and see the map, the groups and what
each stands for."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

SEEDS = [
    "The landlord must repair the lifts before any rent rise.",
    "We should withhold the rent rise from September, all together.",
    "We should ask the council to mediate first.",
    "Withholding rent puts tenants at risk of eviction.",
    "The union should keep withheld rent in an escrow account.",
]


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label(re.compile(r"^Password:?$")).fill("correct horse battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def conversation(riverside, alice, bob):
    from parrhesia.opinion import services

    conversation = services.conversation_open(
        user=bob, organisation=riverside, topic="The rent strike", seed_statements=SEEDS
    )
    statements = list(conversation.statements.order_by("number"))
    for person, values in ((alice, [1, 1, -1, -1, 1]), (bob, [1, -1, 1, 1, 1])):
        for statement, value in zip(statements, values, strict=True):
            services.statement_vote(user=person, statement=statement, value=value)
    return conversation


def test_a_member_votes_through_a_conversation_and_finds_their_place_on_the_map(
    live_server, page, axe_check, conversation
):
    sign_in(page, live_server, "carol")
    page.goto(f"{live_server.url}/o/riverside/")
    page.get_by_role("link", name="Conversations").click()
    page.get_by_role("link", name="The rent strike").click()
    assert page.get_by_text("Not enough votes yet").count() == 0  # alice and bob have voted
    axe_check(page)

    card = page.locator("#next")
    offered = []
    for number in range(len(SEEDS)):  # vote on each statement offered next, in place (htmx)
        text = card.locator("blockquote").inner_text()
        offered.append(text)
        choice = "Agree" if "withhold" in text.lower() or "lifts" in text else "Disagree"
        card.get_by_role("button", name=choice, exact=True).click()
        if number < len(SEEDS) - 1:
            expect(card.locator("blockquote")).not_to_have_text(text)
    card.get_by_text("You have voted on every statement.").wait_for()
    assert sorted(offered) == sorted(SEEDS)

    page.get_by_role("textbox", name="Your statement").fill("Ask the other estates to join us.")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Your statement is published.").wait_for()

    page.reload()
    opinion_map = page.get_by_role("img", name=re.compile("Opinion map of"))
    assert opinion_map.is_visible()
    assert page.locator("svg .you").count() == 1
    assert page.get_by_role("table").filter(has_text="The map as a table").is_visible()
    groups = page.locator(".group-panel h3")
    assert groups.count() == 2
    assert page.get_by_role("heading", name="Where do I stand").is_visible()
    assert "You are in group" in page.locator("section", has_text="Where do I stand").inner_text()
    assert page.get_by_role("img", name=re.compile(r"Group A: \d+% agree")).count() > 0
    axe_check(page)


def test_a_member_changes_their_vote_without_javascript(live_server, new_page, conversation):
    browser_page = new_page()
    browser_page.context.set_extra_http_headers({})
    browser_page.route("**/htmx.min.js", lambda route: route.abort())
    sign_in(browser_page, live_server, "alice")
    browser_page.goto(f"{live_server.url}/o/riverside/opinion/{conversation.pk}/")
    row = browser_page.locator(".statement-row", has_text="escrow account")
    row.get_by_role("button", name="Disagree").click()
    browser_page.get_by_text("Your vote is counted.").wait_for()
    row = browser_page.locator(".statement-row", has_text="escrow account")
    assert "1 changed their mind" in row.inner_text()
    assert "You disagree." in row.inner_text()
