"""A closed ballot's page speaks of what happened, in the reader's language: results that were
hidden until the close are published now; the counting methods' tie-break notes read as sentences
gettext translates (issue 14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parrhesia.decisions import services
from parrhesia.decisions.tie_breaks import tie_break_said

pytestmark = pytest.mark.django_db


def test_a_closed_ballot_no_longer_says_its_results_are_hidden(client, riverside, bob, carol):
    ballot = services.ballot_open(
        user=bob,
        organisation=riverside,
        title="Paint the hall",
        method="motion",
        options=[],
        closes_at=timezone.now() + timedelta(days=3),
        early_close_allowed=True,
        reasons="optional",
        results_hidden=True,
    )
    client.force_login(carol)
    url = reverse("decisions:detail", args=["riverside", ballot.pk])
    assert "Hidden until the close." in client.get(url).content.decode()
    services.ballot_vote(user=carol, ballot=ballot, choices="for", reason="")
    services.ballot_close(user=bob, ballot=ballot)
    page = client.get(url).content.decode()
    assert "Hidden until the close." not in page
    assert "Hidden until the close; published since." in page


@pytest.mark.parametrize(
    ("note", "said"),
    [
        (
            "after stage 3: excluded Dana by lot",
            "After stage 3: Dana was excluded, chosen by lot.",
        ),
        (
            "after stage 2: surplus of Ana by earlier stage",
            "After stage 2: the surplus of Ana was transferred first, chosen by the most recent "
            "earlier stage where they differ.",
        ),
        ("round 1: excluded Bo by lot", "Round 1: Bo was excluded, chosen by lot."),
        (
            "2 alternatives are unbeaten; chose the one beating most others, then the earliest "
            "in the file",
            "2 alternatives are unbeaten; the one beating most others was chosen, then the "
            "earliest in the file.",
        ),
        (
            "equal scores at the last seat: chose by position in the file",
            "Equal scores at the last seat: chosen by position in the file.",
        ),
    ],
)
def test_each_tie_break_note_of_the_methods_is_said_as_a_sentence(note, said):
    assert tie_break_said(note) == said


def test_the_notes_go_through_the_translation_catalogue(monkeypatch):
    from parrhesia.decisions import tie_breaks

    monkeypatch.setattr(tie_breaks, "_", lambda text: f"«{text}»")
    assert (
        tie_break_said("round 1: excluded Bo by lot")
        == "«Round 1: Bo was excluded, chosen by «lot».»"
    )
    assert tie_break_said("a note from elsewhere") == "a note from elsewhere"


def test_the_notes_the_methods_write_are_all_known():
    from parrhesia.methods.voting import Profile, instant_runoff, scottish_stv

    # Three candidates with one first preference each: every count must break a tie.
    tied = Profile.from_rankings(["Ana", "Bo", "Cy"], [[[0]], [[1]], [[2]]])
    notes = instant_runoff(tied).tie_breaks + scottish_stv(tied, 1).tie_breaks
    assert notes
    for note in notes:
        assert tie_break_said(note) != note, note


def test_a_vote_nobody_voted_in_says_so_not_that_a_quorum_failed(client, riverside, bob, carol):
    ballot = services.ballot_open(
        user=bob,
        organisation=riverside,
        title="Paint the hall",
        method="motion",
        options=[],
        closes_at=timezone.now() + timedelta(days=3),
        early_close_allowed=True,
        reasons="optional",
    )
    services.ballot_close(user=bob, ballot=ballot)
    client.force_login(carol)
    page = client.get(reverse("decisions:detail", args=["riverside", ballot.pk])).content.decode()
    assert "No decision: nobody voted." in page
    assert "the quorum was not reached" not in page


def test_the_ballot_page_links_to_how_votes_are_counted(client, open_ballot, alice):
    ballot = open_ballot()
    client.force_login(alice)
    html = client.get(
        reverse("decisions:detail", args=[ballot.organisation.slug, ballot.pk])
    ).content.decode()
    assert f'href="{reverse("docs", args=["voting"])}"' in html
    assert "docs/voting.md" not in html
