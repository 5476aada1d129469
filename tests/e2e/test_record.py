"""A member checks the record in the browser; tampering is reported loudly."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label(re.compile(r"^Password:?$")).fill("correct horse battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")


def status_of(page) -> str:
    box = page.locator("#record-verification")
    box.locator(".verification-status").filter(has_text=re.compile(r"\w")).wait_for()
    page.wait_for_function(
        "() => !document.querySelector('#record-verification').className.includes('checking')"
    )
    return box.inner_text()


def test_the_browser_verifies_checkpoints_and_warns_of_a_rewritten_history(
    live_server, page, axe_check, riverside, carol, alice
):
    from parrhesia.orgs import services

    sign_in(page, live_server, "carol")
    page.goto(f"{live_server.url}/o/riverside/record/")
    assert "Verified: the checkpoint is signed" in status_of(page)
    axe_check(page)

    services.invitation_create(user=alice, organisation=riverside, note="for the block D")
    page.reload()
    assert "extends the one this browser last verified" in status_of(page)

    # Pretend the browser had verified another history of the same length.
    origin = page.evaluate(
        "() => Object.keys(localStorage).find(k => k.startsWith('parrhesia.record.'))"
    )
    stored = json.loads(page.evaluate(f"() => localStorage.getItem('{origin}')"))
    stored["root"] = "A" * 43 + "="
    page.evaluate(f"() => localStorage.setItem('{origin}', {json.dumps(json.dumps(stored))})")
    page.reload()
    warning = status_of(page)
    assert "WARNING" in warning and "not consistent" in warning
    assert page.get_by_role("alert").is_visible()


def test_an_entry_page_proves_its_inclusion(live_server, page, axe_check, riverside, carol):
    sign_in(page, live_server, "carol")
    page.goto(f"{live_server.url}/o/riverside/record/")
    page.get_by_role("link", name="Proof of entry #2").click()
    status = page.locator("#inclusion-proof [role=status]")
    status.filter(has_text="Verified in your browser").wait_for()
    axe_check(page)


def test_a_forged_entry_fails_its_inclusion_check(live_server, page, riverside, carol):
    sign_in(page, live_server, "carol")
    page.goto(f"{live_server.url}/o/riverside/record/entries/1/")
    page.locator("#inclusion-proof [role=status]").filter(has_text=re.compile(r"\w")).wait_for()
    # Alter the shown bytes as a forger would, then re-run the check.
    page.evaluate(
        "() => { const e = document.getElementById('entry-bytes');"
        " e.textContent = e.textContent.replace('founded', 'expelled'); }"
    )
    page.evaluate("() => document.dispatchEvent(new Event('DOMContentLoaded'))")
    page.get_by_role("alert").filter(has_text="does not lead to the signed root").wait_for()


def test_a_verifier_key_with_a_plus_in_its_base64_is_read_correctly(
    live_server, page, riverside, carol, settings
):
    from parrhesia.methods.record.checkpoint import generate_signer
    from parrhesia.record.checkpoints import origin_of
    from parrhesia.record.models import Checkpoint

    while True:  # about half of all keys have a "+" in their base64
        signer, verifier = generate_signer(origin_of(riverside))
        if "+" in verifier.split("+", 2)[2]:
            break
    (settings.PARRHESIA_KEY_DIR / "riverside.key").write_text(signer + "\n")
    Checkpoint.objects.filter(organisation=riverside).delete()
    sign_in(page, live_server, "carol")
    page.goto(f"{live_server.url}/o/riverside/record/")
    assert "Verified: the checkpoint is signed" in status_of(page)
