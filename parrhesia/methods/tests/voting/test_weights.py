"""Weighted ballots (issue 17: mandates, delegation): every method counts a ballot of weight w
exactly as w identical ballots — same winners, tallies, quotas, stages and lots."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from parrhesia.methods.voting import (
    Profile,
    TallyResult,
    approval,
    instant_runoff,
    plurality,
    ranked_pairs,
    schulze,
    scottish_stv,
)

Ranking = list[list[int]]
Data = tuple[list[str], list[Ranking], list[int]]


@st.composite
def weighted_ballots(
    draw: st.DrawFn, ties: bool = True
) -> tuple[list[str], list[Ranking], list[int]]:
    m = draw(st.integers(2, 5))
    ballot = st.lists(st.integers(0, m - 1), unique=True, min_size=1, max_size=m)
    rankings = []
    for order in draw(st.lists(ballot, min_size=1, max_size=12)):
        tiers: Ranking = []
        for candidate in order:
            if ties and tiers and draw(st.booleans()):
                tiers[-1].append(candidate)
            else:
                tiers.append([candidate])
        rankings.append(tiers)
    weights = draw(st.lists(st.integers(1, 5), min_size=len(rankings), max_size=len(rankings)))
    return [f"c{i}" for i in range(m)], rankings, weights


def both(labels: list[str], rankings: list[Ranking], weights: list[int]) -> tuple[Profile, Profile]:
    """The weighted profile, and the profile of the ballots each repeated weight times."""
    expanded = [ranking for ranking, w in zip(rankings, weights, strict=True) for _ in range(w)]
    return (
        Profile.from_rankings(labels, rankings, weights),
        Profile.from_rankings(labels, expanded),
    )


def same_count(
    count: Callable[[Profile], TallyResult], data: tuple[list[str], list[Ranking], list[int]]
) -> None:
    weighted, expanded = both(*data)
    assert weighted.num_ballots == expanded.num_ballots == sum(data[2])
    assert count(weighted).as_dict() == count(expanded).as_dict()


@settings(max_examples=150, deadline=None)
@given(weighted_ballots(), st.integers(1, 3))
def test_plurality_counts_weights_as_repeated_ballots(data: Data, seats: int) -> None:
    same_count(lambda profile: plurality(profile, min(seats, profile.num_alternatives)), data)


@settings(max_examples=150, deadline=None)
@given(weighted_ballots(), st.integers(1, 3))
def test_approval_counts_weights_as_repeated_ballots(data: Data, seats: int) -> None:
    same_count(lambda profile: approval(profile, min(seats, profile.num_alternatives)), data)


@settings(max_examples=150, deadline=None)
@given(weighted_ballots())
def test_schulze_counts_weights_as_repeated_ballots(data: Data) -> None:
    same_count(schulze, data)


@settings(max_examples=150, deadline=None)
@given(weighted_ballots())
def test_ranked_pairs_counts_weights_as_repeated_ballots(data: Data) -> None:
    same_count(ranked_pairs, data)


@settings(max_examples=150, deadline=None)
@given(weighted_ballots(), st.integers(0, 3))
def test_irv_counts_weights_as_repeated_ballots(data: Data, seed: int) -> None:
    same_count(lambda profile: instant_runoff(profile, seed=seed), data)


@settings(max_examples=150, deadline=None)
@given(weighted_ballots(), st.integers(1, 3), st.integers(0, 3))
def test_stv_counts_weights_as_repeated_ballots(data: Data, seats: int, seed: int) -> None:
    """Droop quota on the weight (⌊weight / (seats + 1)⌋ + 1), transfers and lots alike."""
    same_count(lambda p: scottish_stv(p, min(seats, p.num_alternatives), seed=seed), data)


def test_stvs_quota_is_on_the_weight() -> None:
    weighted = Profile.from_rankings(["A", "B", "C"], [[[0]], [[1]], [[2]]], [5, 3, 1])
    tally = scottish_stv(weighted, 2, seed=0).as_dict()
    assert tally["quota"] == 9 // 3 + 1
    assert tally["winners"] == ["A", "B"]


def test_irv_needs_a_majority_of_the_weight() -> None:
    weighted = Profile.from_rankings(["A", "B", "C"], [[[0]], [[1], [2]], [[2], [1]]], [4, 3, 2])
    tally = instant_runoff(weighted, seed=0).as_dict()
    assert tally["winners"] == ["B"]  # A's 4 of 9 is no majority; C's 2 go to B: 5 of 9
