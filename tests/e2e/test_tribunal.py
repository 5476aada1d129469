"""Eight members take a case through the tribunal in the browser: report → interim measure →
notice → defence → jury drawn by lot → verdict with reasons → appeal → final verdict."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"


def sign_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def eight(riverside, alice):
    """Riverside with eight long-standing members; juries of 1, appeals of 3."""
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from parrhesia.accounts.models import User
    from parrhesia.orgs import services
    from parrhesia.orgs.models import JoinRequest, Membership
    from parrhesia.tribunal.services import tribunal_settings_change

    invitation = services.invitation_create(user=alice, organisation=riverside)
    for name in ("frank", "grace", "heidi", "ivan", "judy"):
        user = User.objects.create_user(
            username=name,
            email=f"{name}@example.org",
            password=PASSWORD,
            display_name=name.title(),
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        services.invitation_accept(user=user, token=invitation.token)
    Membership.objects.filter(organisation=riverside).update(
        joined_at=timezone.now() - timedelta(days=60)
    )
    tribunal_settings_change(
        user=alice,
        organisation=riverside,
        jury_size=1,
        defence_days=5,
        urgent_categories=["personal_data", "threats_of_violence"],
        reason="Eight members",
    )
    frank = User.objects.get(username="frank")
    return JoinRequest.objects.create(
        organisation=riverside,
        user=frank,
        status="accepted",
        message="Tell the landlord Dan in flat C12 (06 12 34 56 78) is behind on rent.",
    )


def sitting(round: str) -> list[str]:
    from parrhesia.tribunal.models import Juror

    return list(
        Juror.objects.filter(jury__round=round, recused_at__isnull=True).values_list(
            "member__user__username", flat=True
        )
    )


def vote(page, live_server, username, sanction, reasons):
    sign_in(page, live_server, username)
    page.goto(f"{live_server.url}/o/riverside/tribunal/1/")
    page.get_by_label("Breached", exact=True).check()
    page.get_by_label("Sanction").select_option(sanction)
    page.get_by_label(re.compile("Your written reasons")).fill(reasons)
    page.get_by_role("button", name="Cast my vote").click()
    page.get_by_text("Your vote is cast.").wait_for()


def test_a_case_from_report_to_final_verdict(live_server, page, axe_check, eight):
    from parrhesia.tribunal.selectors import hidden_measure

    # carol reports the message; the notice lists rule 2 of the code in force
    sign_in(page, live_server, "carol")
    page.goto(f"{live_server.url}/o/riverside/tribunal/report/?kind=join_request&id={eight.pk}")
    axe_check(page)
    page.get_by_label(re.compile("personal data")).check()
    page.get_by_label("What happened").fill("It publishes Dan's flat and phone number.")
    page.get_by_role("button", name="Open a case").click()
    page.get_by_role("heading", name=re.compile("Case 1")).wait_for()

    # bob, steward, takes an interim measure: hidden at once, a jury of one drawn to confirm it
    sign_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/o/riverside/tribunal/1/")
    page.get_by_label("Urgent category").select_option("personal_data")
    page.get_by_label(re.compile("I confirm: the content is hidden at once")).check()
    page.get_by_role("button", name="Hide the content now").click()
    page.get_by_text("It holds until the case is decided").wait_for()
    assert hidden_measure("join_request", eight.pk).source == "interim"
    assert len(sitting("jury")) == 1

    # frank, the accused, reads his notice and defends himself
    sign_in(page, live_server, "frank")
    page.goto(f"{live_server.url}/o/riverside/tribunal/1/")
    page.get_by_role("heading", name="Notice to you").wait_for()
    assert "How to appeal" in page.content()
    axe_check(page)
    page.get_by_label("Your statement").fill("Dan asked me to pass his number on.")
    page.get_by_label(re.compile("I have answered")).check()
    page.get_by_role("button", name="File my defence").click()
    page.get_by_text("Your defence is filed.").wait_for()

    # the juror drawn by lot confirms the measure and votes to hide, with reasons
    [juror] = sitting("jury")
    vote(page, live_server, juror, "hide", "Rule 2: a phone number without consent.")
    page.get_by_role("heading", name=re.compile("Votes and reasons")).wait_for()
    assert hidden_measure("join_request", eight.pk).source == "verdict"
    axe_check(page)

    # frank appeals to three fresh jurors, who lift the sanction by majority
    sign_in(page, live_server, "frank")
    page.goto(f"{live_server.url}/o/riverside/tribunal/1/")
    page.get_by_label(re.compile("What the appeal jury")).fill("Dan's written consent, attached.")
    page.get_by_role("button", name="Appeal the verdict").click()
    page.get_by_text("an appeal jury was drawn").wait_for()
    appeal = sitting("appeal")
    assert len(appeal) == 3 and juror not in appeal and not {"bob", "carol", "frank"} & set(appeal)
    for username, sanction in zip(appeal, ["warning", "warning", "hide"], strict=True):
        vote(page, live_server, username, sanction, f"{username}: consent changes the weight.")
    assert hidden_measure("join_request", eight.pk) is None

    # everyone follows it on the docket and the transparency report
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/o/riverside/tribunal/")
    page.get_by_role("cell", name="Final").wait_for()
    axe_check(page)
    page.goto(f"{live_server.url}/o/riverside/tribunal/transparency/")
    assert page.get_by_role("img", name="Outcomes of first verdicts").is_visible()
    axe_check(page)
    page.goto(f"{live_server.url}/o/riverside/tribunal/settings/")
    page.get_by_label(re.compile("Jurors per case")).wait_for()
    axe_check(page)
