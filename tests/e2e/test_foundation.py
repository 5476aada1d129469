"""A newcomer signs up, founds an organisation, invites someone who joins, and reads French."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def confirmation_link(mailoutbox, address: str) -> str:
    messages = [message for message in mailoutbox if address in message.to]
    assert messages, f"no e-mail was sent to {address}"
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", messages[-1].body)
    assert match, messages[-1].body
    return match.group(0)


def sign_up(page, live_server, mailoutbox, axe_check, *, username: str, name: str) -> None:
    page.goto(f"{live_server.url}/accounts/signup/")
    axe_check(page)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Username").fill(username)
    page.get_by_label(re.compile(r"^Password:?$")).fill("a long pass phrase 42")
    page.get_by_label("Password (again)").fill("a long pass phrase 42")
    page.get_by_label("Display name").fill(name)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))
    axe_check(page)
    page.goto(confirmation_link(mailoutbox, f"{username}@example.org"))
    axe_check(page)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("link", name=name).is_visible()


def test_found_invite_join_and_switch_to_french(live_server, new_page, mailoutbox, axe_check):
    founder = new_page()
    sign_up(founder, live_server, mailoutbox, axe_check, username="ana", name="Ana Founder")
    axe_check(founder)

    founder.get_by_role("link", name="Found an organisation").click()
    axe_check(founder)
    founder.get_by_label("Name:", exact=True).fill("Dockworkers' Assembly")
    founder.get_by_label("Short name").fill("dockworkers")
    founder.get_by_role("button", name="Found it").click()
    founder.wait_for_url(f"{live_server.url}/o/dockworkers/")
    assert founder.get_by_role("heading", name="Dockworkers' Assembly", level=1).is_visible()
    axe_check(founder)

    founder.get_by_role("link", name="Invitations").click()
    axe_check(founder)
    founder.get_by_label("Note (e.g. who it is for)").fill("For Ben")
    founder.get_by_role("button", name="Create the link").click()
    link = founder.locator("input[readonly]").first.input_value()
    assert "/invite/" in link
    axe_check(founder)

    guest = new_page()
    sign_up(guest, live_server, mailoutbox, axe_check, username="ben", name="Ben Joiner")
    guest.goto(link)
    axe_check(guest)
    guest.get_by_role("button", name="Join").click()
    guest.wait_for_url(f"{live_server.url}/o/dockworkers/")
    assert guest.get_by_text("Welcome to Dockworkers' Assembly").is_visible()

    # Revoking swaps the invitation's panel in place (htmx), no page load.
    founder.reload()
    founder.evaluate("() => { window.stillHere = true; }")
    founder.get_by_role("button", name="Revoke").first.click()
    founder.locator(".panel").filter(has_text="Revoked").wait_for()
    assert founder.evaluate("() => window.stillHere") is True

    founder.get_by_role("link", name="Members", exact=True).click()
    axe_check(founder)
    assert founder.get_by_role("cell", name="Ben Joiner", exact=True).is_visible()

    guest.get_by_label("Language").select_option("fr")
    guest.get_by_role("button", name="Change").click()
    guest.wait_for_load_state()
    assert guest.get_by_role("link", name="Membres", exact=True).is_visible()
    assert guest.locator("html").get_attribute("lang") == "fr"
    axe_check(guest)


def test_a_member_can_leave(live_server, page, axe_check, riverside, carol):
    page.goto(f"{live_server.url}/accounts/login/")
    axe_check(page)
    page.get_by_label("Username or e-mail").fill("carol")
    page.get_by_label(re.compile(r"^Password:?$")).fill("correct horse battery")
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/o/riverside/membership/")
    axe_check(page)
    page.get_by_label("Reason (optional)").fill("Moving to another city")
    page.get_by_role("button", name="Leave").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_text("You have left Riverside Tenants.").is_visible()


def test_pages_have_no_serious_accessibility_violations(
    live_server, page, axe_check, riverside, bob
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or e-mail").fill("bob")
    page.get_by_label(re.compile(r"^Password:?$")).fill("correct horse battery")
    page.get_by_role("button", name="Sign In").click()
    for path in ("", "members/", "conduct/", "join-requests/", "invitations/", "membership/"):
        page.goto(f"{live_server.url}/o/riverside/{path}")
        axe_check(page)
    for path in ("/", "/accounts/profile/", "/new/", "/accounts/2fa/", "/o/nowhere/"):
        page.goto(f"{live_server.url}{path}")
        axe_check(page)
