"""The demo seeds a closed Schulze vote with its minority report and a secret STV election."""

from __future__ import annotations

import pytest

from parrhesia.decisions.models import Ballot

pytestmark = pytest.mark.django_db


def test_the_demo_has_results_to_see_and_seeds_once():
    from parrhesia.demo import demo_seed

    demo_seed()
    demo_seed()
    schulze, stv = Ballot.objects.order_by("pk")
    assert schulze.result["outcome"] == "adopted"
    assert schulze.result["winners"] == [
        "Motion B: a joint repair plan with a deadline, then escalate"
    ]
    assert schulze.minority_reports.get().cosigners.count() == 1
    assert stv.is_secret and len(stv.result["winners"]) == 3
