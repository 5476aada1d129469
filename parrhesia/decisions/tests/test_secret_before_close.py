"""While a secret ballot (or one whose results are hidden) is open, nothing anyone sees depends on
the choices made: no banner, early-close error or answer link tells that a member blocked, and
the authors answer the blocks after the close. A secret ballot takes no reason of the voter's own
(docs/privacy.md)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from parrhesia.decisions import services
from parrhesia.decisions.services import BallotError
from parrhesia.record.models import RecordEntry

pytestmark = pytest.mark.django_db

HIDDEN = [{"secrecy": "secret"}, {"results_hidden": True}]


def detail_url(ballot):
    return reverse("decisions:detail", args=["riverside", ballot.pk])


def block(ballot, voters):
    reason = "" if ballot.is_secret else "It breaks the lease."
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="block", reason=reason)


def pages(client, ballot, voters):
    """The ballot's page as the author-steward, another member and an anonymous visitor see it."""
    seen = []
    for name in ("bob", "erin", None):
        client.logout()
        if name:
            client.force_login(voters[name])
        seen.append(client.get(detail_url(ballot)).content.decode())
    return seen


@pytest.mark.parametrize("settings", HIDDEN)
def test_the_pages_are_the_same_whether_or_not_someone_blocked(
    client, open_ballot, voters, settings
):
    against = open_ballot(**settings)
    blocked = open_ballot(**settings)
    services.ballot_vote(user=voters["carol"], ballot=against, choices="against", reason="")
    block(blocked, voters)
    for page_against, page_blocked in zip(
        pages(client, against, voters), pages(client, blocked, voters), strict=True
    ):
        assert "blocked this motion" not in page_blocked
        assert "Answer the blocks" not in page_blocked
        one = _without_tokens(page_against.replace(f"/{against.pk}/", "/N/"))
        other = _without_tokens(page_blocked.replace(f"/{blocked.pk}/", "/N/"))
        assert one == other


def _without_tokens(page: str) -> str:
    """The page minus what differs on every rendering (CSRF token, idempotency key)."""
    page = re.sub(r'value="[0-9a-f]{32}"', 'value=""', page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


@pytest.mark.parametrize("settings", HIDDEN)
def test_a_steward_closes_early_whether_or_not_someone_blocked(open_ballot, voters, settings):
    ballot = open_ballot(**settings)
    block(ballot, voters)
    closed = services.ballot_close(user=voters["bob"], ballot=ballot)
    assert closed.result["counts"]["block"] == 1 and closed.result["outcome"] == "rejected"


@pytest.mark.parametrize("settings", HIDDEN)
def test_the_authors_answer_the_blocks_after_the_close(client, open_ballot, voters, settings):
    ballot = open_ballot(**settings)
    block(ballot, voters)
    with pytest.raises(BallotError, match="answered after the close"):
        services.ballot_block_answer(user=voters["bob"], ballot=ballot, text="Clause 4.")
    ballot = services.ballot_close(user=voters["bob"], ballot=ballot)
    client.force_login(voters["bob"])
    page = client.get(detail_url(ballot)).content.decode()
    assert "Members blocked this motion" in page and "Answer the blocks" in page
    services.ballot_block_answer(user=voters["bob"], ballot=ballot, text="Clause 4.")
    entry = RecordEntry.objects.get(action="ballot.block_answered")
    assert entry.payload == {"text": "Clause 4."}
    assert "Clause 4." in client.get(detail_url(ballot)).content.decode()


def test_no_answer_after_the_close_when_no_one_blocked(open_ballot, voters):
    ballot = open_ballot(secrecy="secret")
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices="against")
    ballot = services.ballot_close(user=voters["bob"], ballot=ballot)
    with pytest.raises(BallotError, match="No one blocked"):
        services.ballot_block_answer(user=voters["bob"], ballot=ballot, text="Nothing to say.")


def test_no_answer_once_the_time_for_dissent_has_run_out(open_ballot, voters):
    ballot = open_ballot(secrecy="secret")
    block(ballot, voters)
    ballot = services.ballot_close(user=voters["bob"], ballot=ballot)
    later = ballot.closed_at + timedelta(days=ballot.minority_window_days, minutes=1)
    with pytest.raises(BallotError, match="run out"):
        services.ballot_block_answer(user=voters["bob"], ballot=ballot, text="Late.", now=later)


def test_an_open_ballot_still_answers_blocks_before_the_close(open_ballot, voters):
    ballot = open_ballot()
    block(ballot, voters)
    with pytest.raises(BallotError, match="answer the blocks before an early close"):
        services.ballot_close(user=voters["bob"], ballot=ballot)


def test_a_secret_ballot_offers_no_reason_field(client, open_ballot, voters):
    ballot = open_ballot(secrecy="secret", reasons="required")
    client.force_login(voters["carol"])
    page = client.get(detail_url(ballot)).content.decode()
    assert 'name="choice"' in page and 'name="reason"' not in page
    assert ballot.reasons == "off"


def test_a_secret_ballot_refuses_a_reason(open_ballot, voters):
    ballot = open_ballot("plurality", ["A", "B"], secrecy="secret")
    with pytest.raises(BallotError, match="A secret vote takes no reason"):
        services.ballot_vote(user=voters["carol"], ballot=ballot, choices=0, reason="I'm the one")
    assert not ballot.secret_ballots.exists()


def test_a_secret_block_needs_no_reason(open_ballot, voters):
    ballot = open_ballot(secrecy="secret")
    outcome = services.ballot_vote(user=voters["carol"], ballot=ballot, choices="block")
    assert outcome.state == "recorded"
