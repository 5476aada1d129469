"""Classic properties, with hypothesis-generated profiles."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from parrhesia.methods.voting import (
    Profile,
    approval,
    instant_runoff,
    pairwise_matrix,
    plurality,
    ranked_pairs,
    schulze,
    scottish_stv,
    winner_beats_status_quo,
)


@st.composite
def profiles(draw: st.DrawFn, max_alternatives: int = 6, ties: bool = True) -> Profile:
    m = draw(st.integers(2, max_alternatives))
    ballot = st.lists(st.integers(0, m - 1), unique=True, min_size=1, max_size=m)
    rankings = []
    for order in draw(st.lists(ballot, min_size=1, max_size=25)):
        cut = draw(st.lists(st.booleans(), min_size=len(order), max_size=len(order)))
        tiers: list[list[int]] = []
        for a, tie in zip(order, cut, strict=True):
            if ties and tie and tiers:
                tiers[-1].append(a)
            else:
                tiers.append([a])
        rankings.append(tiers)
    return Profile.from_rankings([f"c{i}" for i in range(m)], rankings)


def condorcet_winner(profile: Profile) -> int | None:
    d = pairwise_matrix(profile)
    wins = (d > d.T).sum(axis=1)
    best = int(np.argmax(wins))
    return best if wins[best] == profile.num_alternatives - 1 else None


@settings(max_examples=300, deadline=None)
@given(profiles())
def test_condorcet_winner_wins_schulze_and_ranked_pairs(profile: Profile) -> None:
    winner = condorcet_winner(profile)
    if winner is not None:
        assert schulze(profile).winners == [winner]
        assert ranked_pairs(profile).winners == [winner]


@settings(max_examples=200, deadline=None)
@given(profiles())
def test_ballot_order_does_not_matter(profile: Profile) -> None:
    order = np.arange(len(profile.counts))
    np.random.default_rng(len(order)).shuffle(order)
    shuffled = Profile(profile.alternatives, profile.ranks[order], profile.counts[order])
    for method in (schulze, ranked_pairs, instant_runoff, plurality, approval):
        assert method(shuffled).winners == method(profile).winners
    assert scottish_stv(shuffled, 2).winners == scottish_stv(profile, 2).winners


@settings(max_examples=300, deadline=None)
@given(profiles(), st.permutations(range(6)))
def test_relabelling_alternatives_relabels_the_winner(profile: Profile, perm: list[int]) -> None:
    permutation = [p for p in perm if p < profile.num_alternatives]
    relabelled = profile.relabelled(permutation)
    for method in (schulze, ranked_pairs, instant_runoff):
        original = method(profile)
        if original.tie_breaks:
            continue  # tie-breaks use file order, which relabelling changes
        assert permutation[method(relabelled).winners[0]] == original.winners[0]


@settings(max_examples=300, deadline=None)
@given(profiles(max_alternatives=8, ties=False), st.integers(1, 8))
def test_stv_and_irv_fill_the_seats(profile: Profile, seats: int) -> None:
    seats = min(seats, profile.num_alternatives)
    result = scottish_stv(profile, seats)
    assert len(result.winners) == len(set(result.winners)) == seats
    assert len(instant_runoff(profile).winners) == 1
    assert sorted(result.ranking) == list(range(profile.num_alternatives))


@settings(max_examples=200, deadline=None)
@given(profiles())
def test_pairwise_counts_are_consistent(profile: Profile) -> None:
    d = pairwise_matrix(profile)
    assert (np.diag(d) == 0).all()
    assert ((d + d.T) <= profile.num_ballots).all()
    a, b = 0, 1
    expected = int(profile.counts[profile.ranks[:, a] < profile.ranks[:, b]].sum())
    assert d[a, b] == expected


def test_status_quo_needs_a_strict_defeat() -> None:
    # 3 prefer motion A to the status quo, 2 the reverse: A passes.
    profile = Profile.from_rankings(["SQ", "A"], [[[1], [0]], [[0], [1]]], [3, 2])
    assert winner_beats_status_quo(schulze(profile), "SQ")
    assert winner_beats_status_quo(ranked_pairs(profile), 0)
    # A tie is not enough, even if the tie-break picks the motion.
    tied = Profile.from_rankings(["A", "SQ"], [[[1], [0]], [[0], [1]]], [2, 2])
    assert schulze(tied).winners == [0]
    assert not winner_beats_status_quo(schulze(tied), "SQ")
    assert not winner_beats_status_quo(ranked_pairs(tied), "SQ")
