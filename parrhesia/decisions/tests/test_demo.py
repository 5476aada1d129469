"""The demo seeds a closed Schulze vote with its minority report, a secret STV election, an
open motion vote and a quick proposal inside an agenda item; and closed votes weighted by
mandates, by delegation and with a proxy, which its record export recounts."""

from __future__ import annotations

import pytest

from parrhesia.cli import main
from parrhesia.decisions import demo_delegation as demo
from parrhesia.decisions import selectors
from parrhesia.decisions.models import Ballot, Participation, Vote

pytestmark = pytest.mark.django_db


def test_the_demo_has_results_to_see_and_seeds_once():
    from parrhesia.demo import demo_seed

    demo_seed()
    demo_seed()
    schulze, stv, motion = Ballot.objects.filter(quick=False).order_by("pk")[:3]
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


def test_the_demo_has_a_weighted_a_delegated_and_a_proxied_vote():
    from parrhesia.demo import demo_seed

    demo_seed()
    weighted = Ballot.objects.get(title=demo.WEIGHTED_TITLE)
    assert weighted.result["represented"] == 7  # five voters, grace carrying three mandates
    assert weighted.result["tally"]["scores"]["Damp in the basement flats"] == 5
    assert weighted.result["winners"][0] == "Damp in the basement flats"
    delegated = Ballot.objects.get(title=demo.DELEGATED_TITLE)
    delegation = delegated.result["delegation"]
    [carried] = delegation["carried"]
    assert carried["weight"] == 1 and len(delegation["returned"]) == 1  # the cap: one of two
    assert delegated.result["counts"]["for"] == 4
    proxied = Ballot.objects.get(title=demo.PROXIED_TITLE)
    heidi = Participation.objects.get(ballot=proxied, member__user__username="heidi")
    assert heidi.cast_by.user.username == "bob"
    assert not proxied.is_open and proxied.result["turnout"] == 6


def test_the_demos_record_export_recounts_every_published_result(tmp_path, capsys, settings):
    backend = settings.EMAIL_BACKEND
    assert main(["demo"]) == 0
    assert settings.EMAIL_BACKEND == backend  # the demo's mail goes nowhere, the process's does
    export = tmp_path / "demo.jsonl"
    assert main(["record", "export", "demo", "--out", str(export)]) == 0
    capsys.readouterr()
    assert main(["decisions", "recount", "--record", str(export)]) == 0
    closed = Ballot.objects.filter(status="closed").count()
    assert f"recounted {closed} closed ballot(s)" in capsys.readouterr().out
    assert closed == 5
