"""The demo seeds a closed Schulze vote with its minority report, a secret STV election, an
open motion vote and a quick proposal inside an agenda item."""

from __future__ import annotations

import pytest

from parrhesia.decisions import selectors
from parrhesia.decisions.models import Ballot, Vote

pytestmark = pytest.mark.django_db


def test_the_demo_has_results_to_see_and_seeds_once():
    from parrhesia.demo import demo_seed

    demo_seed()
    demo_seed()
    schulze, stv, motion = Ballot.objects.filter(quick=False).order_by("pk")
    assert schulze.result["outcome"] == "adopted"
    assert schulze.result["winners"] == [
        "Motion B: a joint repair plan with a deadline, then escalate"
    ]
    assert schulze.minority_reports.get().cosigners.count() == 1
    assert stv.is_secret and len(stv.result["winners"]) == 3
    # One vote stays open for visitors, with a block its author (alice) has to answer.
    assert motion.is_open and motion.method == "motion"
    assert selectors.ballot_has_blocks(motion) and not motion.block_answer
    voted = set(Vote.objects.filter(ballot=motion).values_list("member__user__username", flat=True))
    assert voted == {"alice", "bob", "dave", "erin"}  # carol, the demo's member, still can
    # A member's quick proposal, open, inside the agenda item whose page shows it (issue 14).
    quick = Ballot.objects.get(quick=True)
    assert quick.is_open and quick.method == "motion" and quick.agenda_item is not None
    assert quick.opened_by.user.username == "carol"
    assert Vote.objects.filter(ballot=quick).count() == 3
