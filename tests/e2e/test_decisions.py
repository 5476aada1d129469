"""Members vote in the browser: an open Schulze vote and a secret STV election, then a minority
report beside the result."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label(re.compile(r"^Password:?$")).fill("correct horse battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")


def rank(page, order: list[str]) -> None:
    for number, label in enumerate(order, start=1):
        page.get_by_label(re.compile(rf"^{re.escape(label)}:?$")).fill(str(number))


def test_members_vote_see_results_and_file_a_minority_report(
    live_server, new_page, axe_check, riverside, alice, bob, carol
):
    from parrhesia.decisions import services

    closes_at = timezone.now() + timedelta(days=2)
    schulze = services.ballot_open_for_motions(
        user=bob,
        organisation=riverside,
        title="Quiet hours",
        options=[("From 22:00", "", ""), ("From 23:00", "", ""), ("Weekends only", "", "")],
        status_quo_label="No quiet hours",
        closes_at=closes_at,
        early_close_allowed=True,
    )
    stv = services.ballot_open(
        user=bob,
        organisation=riverside,
        title="Delegates",
        method="stv",
        seats=3,
        secrecy="secret",
        options=["Ana", "Ben", "Chloé", "Dev"],
        closes_at=closes_at,
        early_close_allowed=True,
        reasons="off",
        min_anonymity=3,  # three voters here; the default (5) would publish no count
    )
    base = f"{live_server.url}/o/riverside/decisions"
    pages = {}
    for name, order, candidates in [
        ("carol", ["Weekends only", "From 23:00"], ["Chloé", "Dev", "Ana"]),
        ("alice", ["From 22:00", "From 23:00", "No quiet hours"], ["Ana", "Ben"]),
        ("bob", ["From 22:00", "Weekends only"], ["Ben", "Ana", "Dev"]),
    ]:
        page = pages[name] = new_page()
        sign_in(page, live_server, name)
        page.goto(f"{base}/")
        page.get_by_role("link", name="Quiet hours").click()
        if name == "carol":
            axe_check(page)
        rank(page, order)
        page.get_by_role("button", name="Cast my vote").click()
        page.get_by_text("Your vote is counted and on the public record.").wait_for()
        page.goto(f"{base}/{stv.pk}/")
        assert "Secret ballot" in page.locator(".secrecy").inner_text()
        rank(page, candidates)
        page.get_by_role("button", name="Cast my vote").click()
        page.get_by_role("heading", name="Your secret vote is counted").wait_for()
        if name == "carol":
            axe_check(page)
            tracker = page.locator("#receipt-tracker").inner_text()

    steward = pages["bob"]
    for ballot in (schulze, stv):
        steward.goto(f"{base}/{ballot.pk}/")
        steward.get_by_role("checkbox", name="Yes, close it for everyone now").check()
        steward.get_by_role("button", name="Close the vote now").click()
        steward.get_by_text("The vote is closed").wait_for()

    page = pages["carol"]
    page.goto(f"{base}/{schulze.pk}/")
    assert page.locator("#outcome").inner_text() == "Adopted: From 22:00 (it beats the status quo)."
    assert page.get_by_role("img", name="Pairwise preferences as a heat map").is_visible()
    axe_check(page)
    page.get_by_role("link", name="File a minority report").click()
    page.get_by_label("Title").fill("Weekends matter most")
    page.get_by_label("Report").fill("Quiet on weekdays is not what the night-shift workers need.")
    page.get_by_role("button", name="File the report").click()
    page.get_by_role("heading", name="Weekends matter most").wait_for()

    page.goto(f"{base}/{stv.pk}/")
    assert page.locator("#outcome").inner_text().startswith("Elected:")
    page.get_by_text("anonymous ballots, by tracker").click()
    assert page.get_by_role("cell", name=tracker).is_visible()
    axe_check(page)
