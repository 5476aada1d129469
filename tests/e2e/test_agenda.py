"""Members take a disagreement from an opened item to a set of frozen motions ready for vote."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label(re.compile(r"^Password:?$")).fill("correct horse battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")


def test_a_whole_item_from_opening_to_ready_for_vote(
    live_server, new_page, axe_check, riverside, alice, bob, carol
):
    from parrhesia.agenda import services
    from parrhesia.agenda.models import AgendaItem

    services.policy_set(
        user=alice, organisation=riverside, item_type="general", admission_days=14,
        admission_quorum_percent=50, alternative_quorum_percent=34, discussion_days=7,
        frozen_days=2,
    )  # fmt: skip
    base = f"{live_server.url}/o/riverside/agenda/"
    ann, ben, cat = new_page(), new_page(), new_page()
    for page, name in ((ann, "alice"), (ben, "bob"), (cat, "carol")):
        sign_in(page, live_server, name)

    # Alice opens the item with her motion; it needs one more supporter to be admitted.
    ann.goto(base)
    ann.get_by_role("link", name="Open an agenda item").click()
    ann.get_by_label("What is to be decided?").fill("How do we answer the 9 % rent rise?")
    ann.get_by_label("Title of your motion").fill("Rent strike")
    ann.get_by_label("Text of your motion").fill("We withhold the rise until the landlord talks.")
    ann.get_by_role("button", name="Open the item").click()
    ann.get_by_text("Admission", exact=True).first.wait_for()
    item = AgendaItem.objects.get()
    axe_check(ann)

    # Bob supports it: the quorum of two is reached and discussion starts.
    ben.goto(f"{base}items/{item.pk}/")
    ben.get_by_role("link", name=re.compile("Support, suggestions and versions")).click()
    ben.get_by_role("button", name="Support this motion").click()
    ben.get_by_role("paragraph").filter(has_text="You support this motion.").wait_for()
    axe_check(ben)
    ben.goto(f"{base}items/{item.pk}/")
    assert ben.locator(".phases [aria-current=step]").inner_text() == "Discussion"

    # Carol files an alternative and suggests a change to Alice's motion.
    cat.goto(f"{base}items/{item.pk}/")
    cat.get_by_role("link", name="File an alternative motion").click()
    cat.get_by_label("Title of the motion").fill("Negotiate first")
    cat.get_by_label("Text of the motion").fill("We ask the landlord for a meeting.")
    cat.get_by_role("button", name="File the alternative").click()
    cat.get_by_text("Your alternative motion is filed.").wait_for()
    strike = item.motions.get(title="Rent strike")
    cat.goto(f"{base}motions/{strike.pk}/")
    cat.get_by_role("link", name="Suggest a change").click()
    cat.get_by_label("Your proposed text of the motion").fill(
        "We withhold the rise until the landlord negotiates in writing."
    )
    cat.get_by_role("button", name="File the suggestion").click()
    cat.get_by_text("Your suggestion is filed").wait_for()

    # Alice adopts it; version 2 is one click from its diff.
    ann.goto(f"{base}motions/{strike.pk}/")
    ann.get_by_role("link", name=re.compile(r"Adopt or decline suggestion")).click()
    ann.get_by_label("Adopt it").check()
    ann.get_by_role("button", name="Decide").click()
    ann.get_by_role("link", name="What changed since version 1").click()
    assert (
        "negotiates in writing"
        in ann.locator(".diff ins").first.inner_text() + ann.locator(".diff").inner_text()
    )
    axe_check(ann)

    # Bob argues for it; Carol challenges; Bob answers.
    ben.goto(f"{base}motions/{strike.pk}/arguments/")
    ben.get_by_role("radio", name="For", exact=True).check()
    ben.get_by_label(re.compile(r"^Argument:?$")).fill("It worked in block C in 2019.")
    ben.get_by_role("button", name="Add the argument").click()
    ben.get_by_text("Your argument is on the map.").wait_for()
    cat.goto(f"{base}motions/{strike.pk}/arguments/")
    axe_check(cat)
    cat.locator(".argument-head a").first.click()
    cat.get_by_role("radio", name="Source?").check()
    cat.get_by_role("button", name="Challenge", exact=True).click()
    cat.get_by_text("Unanswered", exact=True).wait_for()
    axe_check(cat)
    ben.goto(cat.url.split("#")[0])
    ben.get_by_label("Your answer").fill("The minutes of the 2019 general meeting.")
    ben.get_by_role("button", name="Answer the challenge").click()
    ben.get_by_text("Answered", exact=True).wait_for()

    # The clock: discussion ends, the texts freeze (the alternative, one supporter short of
    # the alternative quorum, lapses), then the item is ready for vote.
    item.refresh_from_db()
    services.phases_advance_due(item.phase_ends_at)
    ann.goto(f"{base}items/{item.pk}/")
    assert ann.locator(".phases [aria-current=step]").inner_text() == "Frozen"
    services.phases_advance_due(item.phase_ends_at + timedelta(days=2))
    ann.reload()
    assert ann.locator(".phases [aria-current=step]").inner_text() == "Ready for vote"
    ann.get_by_text("The texts are final.").wait_for()
    axe_check(ann)
    ann.goto(f"{base}questions/")
    axe_check(ann)
