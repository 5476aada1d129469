"""Weighted counts of ballots (issue 17) at the close, in the running count and in the recount's
functions — pure, no database: a ballot of weight w counts as w ballots, the quorum is on the
weight represented, and a ballot opened without weights is counted exactly as before."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parrhesia.decisions import counting, running

ELECTORATE = list(range(101, 113))  # member ids


@st.composite
def weighted_ballots(draw: st.DrawFn, methods=counting.METHODS) -> tuple[dict, list, list[int]]:
    """Opening facts of a weighted ballot, checked choices of some voters, and their weights."""
    method = draw(st.sampled_from(methods))
    size = 1 if method == "motion" else draw(st.integers(2, 5))
    keys = draw(st.lists(st.integers(0, 40), min_size=size, max_size=size, unique=True))
    status_quo = method in ("schulze", "ranked-pairs") and draw(st.booleans())
    opened: dict[str, Any] = {
        "method": method,
        "seats": draw(st.integers(1, size)) if method in ("plurality", "approval", "stv") else 1,
        "secrecy": "open",
        "threshold": draw(st.sampled_from(counting.THRESHOLDS)),
        "quorum_percent": draw(st.sampled_from([0, 10, 33, 50, 100])),
        "options": [
            {"key": key, "label": f"O{key}", "status_quo": status_quo and n == 0}
            for n, key in enumerate(keys)
        ],
        "electorate": ELECTORATE,
        "electorate_size": len(ELECTORATE),
        "weights": {
            str(m): w
            for m, w in draw(
                st.dictionaries(st.sampled_from(ELECTORATE), st.integers(2, 4))
            ).items()
        },
    }
    count = draw(st.integers(0, 8))
    ballots = [draw(choices(opened, keys)) for _ in range(count)]
    weights = draw(st.lists(st.integers(1, 4), min_size=count, max_size=count))
    return opened, ballots, weights


def choices(opened: dict, keys: list[int]) -> st.SearchStrategy[Any]:
    method = opened["method"]
    if method == "motion":
        return st.sampled_from(counting.MOTION_CHOICES)
    if method == "plurality":
        return st.sampled_from(keys)
    if method == "approval":
        return st.lists(st.sampled_from(keys), unique=True).map(sorted)
    ties = method not in ("irv", "stv")
    return st.permutations(keys).flatmap(
        lambda order: st.integers(1, len(order)).flatmap(
            lambda cut: st.lists(st.booleans(), min_size=cut, max_size=cut).map(
                lambda joins: counting.choices_check(opened, tiers(order[:cut], joins, ties))
            )
        )
    )


def tiers(order: list[int], joins: list[bool], ties: bool) -> list[list[int]]:
    ranking: list[list[int]] = []
    for key, join in zip(order, joins, strict=True):
        if ties and join and ranking:
            ranking[-1].append(key)
        else:
            ranking.append([key])
    return ranking


def expanded(ballots: list, weights: list[int]) -> list:
    return [ballot for ballot, weight in zip(ballots, weights, strict=True) for _ in range(weight)]


def without_turnout(result: dict) -> dict:
    return {key: value for key, value in result.items() if key != "turnout"}


@settings(max_examples=200, deadline=None)
@given(weighted_ballots())
def test_a_weighted_count_is_the_count_of_the_repeated_ballots(data) -> None:
    """Motion counts, thresholds and quorums; scores; matrices; IRV and STV with the same lot."""
    opened, ballots, weights = data
    weighted = counting.result_count(opened, ballots, weights)
    repeated = counting.result_count(opened, expanded(ballots, weights))
    assert without_turnout(weighted) == without_turnout(repeated)
    assert weighted["turnout"] == len(ballots)
    assert weighted["represented"] == sum(weights)


@settings(max_examples=150, deadline=None)
@given(weighted_ballots())
def test_a_ballot_opened_without_weights_counts_as_before(data) -> None:
    opened, ballots, _ = data
    unweighted = {key: value for key, value in opened.items() if key != "weights"}
    before = counting.result_count(unweighted, ballots)
    assert "represented" not in before and "electorate_weight" not in before
    assert counting.result_count({**opened, "weights": {}}, ballots) == {
        **before,
        "electorate_weight": len(ELECTORATE),
        "represented": len(ballots),
    }


@settings(max_examples=150, deadline=None)
@given(weighted_ballots(methods=("motion", "plurality", "approval", "schulze", "ranked-pairs")))
def test_the_running_count_adds_each_ballots_weight(data) -> None:
    opened, ballots, weights = data
    count = running.running_empty(opened)
    for ballot, weight in zip(ballots, weights, strict=True):
        running.running_add(count, opened, ballot, 1, weight)
    if ballots:  # a change of weight: taken away with the old one, added with the new one
        running.running_add(count, opened, ballots[0], -1, weights[0])
        running.running_add(count, opened, ballots[0], 1, weights[0] + 1)
        weights = [weights[0] + 1, *weights[1:]]
    closing = running.compact(counting.result_count(opened, ballots, weights))
    assert running.running_result(opened, count) == closing


def facts(**changes: Any) -> dict[str, Any]:
    opened = {
        "method": "motion",
        "seats": 1,
        "secrecy": "open",
        "threshold": "simple",
        "quorum_percent": 50,
        "options": [],
        "electorate": ELECTORATE,
        "electorate_size": len(ELECTORATE),
        "weights": {"101": 6},
    }
    return {**opened, **changes}


def test_the_quorum_is_on_the_weight_represented() -> None:
    opened = facts()  # 11 members of weight 1 and one of 6: 17, so 9 needed
    result = counting.result_count(opened, ["for", "against"], [6, 3])
    assert result["electorate_weight"] == 17 and result["quorum_needed"] == 9
    assert result["represented"] == 9 and result["turnout"] == 2
    assert result["quorum_met"] and result["outcome"] == "adopted"
    assert result["counts"] == {"for": 6, "against": 3, "abstain": 0, "block": 0}
    short = counting.result_count(opened, ["for", "against"], [6, 2])
    assert not short["quorum_met"] and short["outcome"] == "no_quorum"


def test_consensus_minus_one_allows_one_unit_of_weight_against() -> None:
    opened = facts(threshold="consensus_minus_one", quorum_percent=0)
    assert counting.result_count(opened, ["for", "block"], [5, 1])["outcome"] == "adopted"
    assert counting.result_count(opened, ["for", "block"], [5, 2])["outcome"] == "rejected"


def test_weights_on_a_ballot_opened_without_them_are_refused() -> None:
    opened = facts()
    del opened["weights"]
    with pytest.raises(ValueError, match="without weights"):
        counting.result_count(opened, ["for"], [2])
    with pytest.raises(ValueError, match="one weight"):
        counting.result_count(facts(), ["for"], [1, 1])


def test_the_weighing_of_an_open_ballot_with_delegation() -> None:
    opened = facts(delegation={"area": "", "transitive": True, "cap": 2})
    pairs = [(102, 101), (103, 102), (104, 101), (105, 106), (106, 105), (107, 110)]
    weighing = counting.ballot_weighing(opened, [101, 108], pairs)
    assert weighing.weights == {101: 6 + 2, 108: 1}
    assert weighing.delegation == {
        "transitive": True,
        "cap": 2,
        "carried": [{"delegate": 101, "givers": [102, 103], "weight": 2}],
        "returned": [104],
        "unresolved": [105, 106, 107],
    }
    members = [101, 108]
    result = counting.result_count(
        opened,
        ["for", "against"],
        [weighing.weights[m] for m in members],
        weighing.delegation,
    )
    assert result["represented"] == 9 and result["counts"]["for"] == 8
    assert result["delegation"] == weighing.delegation


def test_the_weighing_refuses_what_the_record_cannot_hold() -> None:
    with pytest.raises(ValueError, match="does not take"):
        counting.ballot_weighing(facts(), [101], [(102, 101)])
    opened = facts(delegation={"area": "", "transitive": False, "cap": 2})
    with pytest.raises(ValueError, match="outside the electorate"):
        counting.ballot_weighing(opened, [101], [(999, 101)])
    assert counting.ballot_weighing(facts(), [101, 102], []).weights == {101: 6, 102: 1}
