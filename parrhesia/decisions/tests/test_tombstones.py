"""A minority report is content: reportable, and hidden only through a case, behind a tombstone
that keeps its place beside the result."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.decisions import services
from parrhesia.kernel.content import reportables
from tests.fixtures.tribunal import content_hide_interim, court_convene

pytestmark = pytest.mark.django_db


@pytest.fixture
def court(riverside, alice, bob, carol):
    return court_convene(riverside, alice)


def test_a_hidden_minority_report_leaves_a_tombstone_beside_the_result(
    client,
    court,
    alice,
    bob,
    carol,
):
    from django.utils import timezone

    ballot = services.ballot_open(
        user=alice, organisation=court, title="Paint the hall", method="plurality",
        options=["Green", "Red"], closes_at=timezone.now() + timezone.timedelta(days=1),
        early_close_allowed=True,
    )  # fmt: skip
    services.ballot_vote(user=alice, ballot=ballot, choices=0)
    services.ballot_vote(user=bob, ballot=ballot, choices=0)
    services.ballot_vote(user=carol, ballot=ballot, choices=1)
    ballot = services.ballot_close(user=bob, ballot=ballot)
    report = services.minority_report_file(
        user=carol, ballot=ballot, title="Red is warmer", text="Call Dan on 06 12 34 56 78."
    )
    assert "minority_report" in reportables()
    case = content_hide_interim(court, alice, "minority_report", report, bob)
    client.force_login(alice)
    page = client.get(reverse("decisions:detail", args=[court.slug, ballot.pk])).content.decode()
    assert "06 12 34 56 78" not in page
    assert (
        f"report-{report.pk}" in page
        and reverse("tribunal:case", args=[court.slug, case.number]) in page
    )
