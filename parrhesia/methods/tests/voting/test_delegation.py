"""Delegation graphs (issue 17): random graphs with cycles, chains, overrides and a cap."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parrhesia.methods.voting.delegation import (
    Resolution,
    delegation_cap,
    delegation_resolve,
    delegation_standing,
)

Pair = tuple[int, int]
Graph = tuple[list[Pair], set[int], dict[int, int], int | None]


@st.composite
def graphs(draw: st.DrawFn) -> Graph:
    """Delegations in record order (one per giver, cycles likely), voters, weights, a cap."""
    size = draw(st.integers(1, 9))
    members = list(range(1, size + 1))
    givers = draw(st.lists(st.sampled_from(members), unique=True))
    pairs = []
    for giver in givers:
        others = [m for m in members if m != giver]
        if others:
            pairs.append((giver, draw(st.sampled_from(others))))
    voters = set(draw(st.lists(st.sampled_from(members), unique=True)))
    weights = draw(st.dictionaries(st.sampled_from(members), st.integers(1, 3)))
    cap = draw(st.none() | st.integers(0, 6))
    return pairs, voters, weights, cap


def chain_end(pairs: list[Pair], voters: set[int], giver: int, transitive: bool) -> int | None:
    """The naive rule: follow the delegations (only one step unless transitive) to a voter."""
    delegate_of = dict(pairs)
    seen = {giver}
    current = delegate_of[giver]
    while current not in voters:
        if not transitive or current in seen or current not in delegate_of:
            return None
        seen.add(current)
        current = delegate_of[current]
    return current


def weight_of(weights: dict[int, int], member: int) -> int:
    return weights.get(member, 1)


@settings(max_examples=200, deadline=None)
@given(graphs(), st.booleans())
def test_every_giver_is_carried_returned_or_unresolved_once(graph: Graph, transitive: bool) -> None:
    pairs, voters, weights, cap = graph
    result = delegation_resolve(pairs, voters, weights, transitive=transitive, cap=cap)
    carried = [g for givers in result.givers.values() for g in givers]
    everyone = carried + list(result.returned) + list(result.unresolved)
    assert sorted(everyone) == sorted(g for g, _ in pairs if g not in voters)
    for giver in result.unresolved:  # a chain to no voter, or a cycle without one
        assert chain_end(pairs, voters, giver, transitive) is None
    for delegate, givers in result.givers.items():
        for giver in givers:
            assert chain_end(pairs, voters, giver, transitive) == delegate


@settings(max_examples=200, deadline=None)
@given(graphs(), st.booleans())
def test_the_cap_is_enforced_and_returns_the_latest_first(graph: Graph, transitive: bool) -> None:
    pairs, voters, weights, cap = graph
    result = delegation_resolve(pairs, voters, weights, transitive=transitive, cap=cap)
    order = {giver: position for position, (giver, _) in enumerate(pairs)}
    if cap is None:
        assert result.returned == ()
    for voter, carried in result.carried.items():
        assert cap is None or carried <= cap
        assert carried == sum(weight_of(weights, g) for g in result.givers[voter])
        assert list(result.givers[voter]) == sorted(result.givers[voter], key=order.__getitem__)
    for delegate in voters:  # the givers reaching a voter, in record order: the cap keeps the
        # longest prefix that fits, the next one would not fit
        arriving = [
            g
            for g, _ in pairs
            if g not in voters and chain_end(pairs, voters, g, transitive) == delegate
        ]
        kept = list(result.givers.get(delegate, ()))
        assert arriving[: len(kept)] == kept
        back = arriving[len(kept) :]
        assert set(back) <= set(result.returned)
        if back:
            assert cap is not None
            assert result.carried.get(delegate, 0) + weight_of(weights, back[0]) > cap


@settings(max_examples=200, deadline=None)
@given(graphs(), st.booleans())
def test_the_weight_cast_is_the_voters_and_the_givers_who_reach_one(
    graph: Graph, transitive: bool
) -> None:
    pairs, voters, weights, cap = graph
    result = delegation_resolve(pairs, voters, weights, transitive=transitive, cap=cap)
    reaching = [g for g, _ in pairs if g not in voters and chain_end(pairs, voters, g, transitive)]
    expected = sum(weight_of(weights, v) for v in voters) + sum(
        weight_of(weights, g) for g in reaching if g not in result.returned
    )
    assert sum(result.cast.values()) == expected
    assert set(result.cast) == voters


@settings(max_examples=200, deadline=None)
@given(graphs(), st.booleans())
def test_a_delegator_who_voted_keeps_their_own_weight(graph: Graph, transitive: bool) -> None:
    pairs, voters, weights, cap = graph
    result = delegation_resolve(pairs, voters, weights, transitive=transitive, cap=cap)
    for voter in voters:
        assert result.cast[voter] == weight_of(weights, voter) + result.carried.get(voter, 0)
        assert voter not in result.returned and voter not in result.unresolved
        assert all(voter not in givers for givers in result.givers.values())


@settings(max_examples=150, deadline=None)
@given(graphs(), st.booleans())
def test_the_resolution_is_deterministic(graph: Graph, transitive: bool) -> None:
    pairs, voters, weights, cap = graph
    first = delegation_resolve(pairs, sorted(voters), weights, transitive=transitive, cap=cap)
    again = delegation_resolve(
        pairs,
        sorted(voters, reverse=True),
        dict(reversed(weights.items())),
        transitive=transitive,
        cap=cap,
    )
    assert first == again


@settings(max_examples=150, deadline=None)
@given(graphs(), st.booleans())
def test_the_standing_graph_is_what_a_lone_voting_delegate_would_carry(
    graph: Graph, transitive: bool
) -> None:
    pairs, _, weights, cap = graph
    standing = delegation_standing(pairs, weights, transitive=transitive, cap=cap)
    for delegate, potential in standing.potential.items():
        alone = delegation_resolve(pairs, [delegate], weights, transitive=transitive, cap=cap)
        assert potential == alone.carried.get(delegate, 0)
        assert standing.givers[delegate] == alone.givers.get(delegate, ())
        assert standing.returned.get(delegate, ()) == alone.returned
        assert cap is None or potential <= cap
    assert standing.returned_givers() <= {g for g, _ in pairs}


@settings(max_examples=150, deadline=None)
@given(graphs(), st.booleans(), st.lists(st.integers(1, 10), unique=True))
def test_the_standing_of_a_few_delegates_is_theirs_in_the_whole_graph(
    graph: Graph, transitive: bool, delegates: list[int]
) -> None:
    pairs, _, weights, cap = graph
    whole = delegation_standing(pairs, weights, transitive=transitive, cap=cap)
    some = delegation_standing(pairs, weights, transitive=transitive, cap=cap, delegates=delegates)
    assert set(some.potential) == set(whole.potential) & set(delegates)
    for delegate in some.potential:
        assert some.potential[delegate] == whole.potential[delegate]
        assert some.givers[delegate] == whole.givers[delegate]
        assert some.returned.get(delegate) == whole.returned.get(delegate)


def test_a_cycle_of_non_voters_carries_nothing() -> None:
    result = delegation_resolve([(1, 2), (2, 3), (3, 1), (4, 1)], [5], transitive=True, cap=None)
    assert result == Resolution(
        cast={5: 1}, carried={}, givers={}, returned=(), unresolved=(1, 2, 3, 4)
    )


def test_a_cycle_reaching_a_voter_ends_there() -> None:
    result = delegation_resolve([(1, 2), (2, 3), (3, 1)], [3], transitive=True, cap=None)
    assert result.givers == {3: (1, 2)} and result.cast == {3: 3}


def test_non_transitive_weight_stops_at_a_delegate_who_did_not_vote() -> None:
    pairs = [(1, 2), (2, 3)]
    assert delegation_resolve(pairs, [3], transitive=False, cap=None).unresolved == (1,)
    assert delegation_resolve(pairs, [3], transitive=True, cap=None).givers == {3: (1, 2)}


def test_a_delegator_who_votes_takes_their_weight_back_and_what_flows_through_them() -> None:
    result = delegation_resolve([(1, 2), (2, 3)], [2, 3], transitive=True, cap=None)
    assert result.cast == {2: 2, 3: 1}


def test_the_cap_returns_the_latest_delegations_first() -> None:
    pairs = [(1, 9), (2, 9), (3, 9), (4, 9)]
    result = delegation_resolve(pairs, [9], {2: 2}, transitive=False, cap=3)
    assert result.givers == {9: (1, 2)} and result.returned == (3, 4)
    assert result.cast == {9: 4}  # own 1 + carried 3: the cap does not count the own weight


def test_a_malformed_graph_is_refused() -> None:
    with pytest.raises(ValueError, match="themselves"):
        delegation_resolve([(1, 1)], [], transitive=True, cap=None)
    with pytest.raises(ValueError, match="two delegations"):
        delegation_resolve([(1, 2), (1, 3)], [], transitive=True, cap=None)
    with pytest.raises(ValueError, match="negative"):
        delegation_standing([(1, 2)], transitive=True, cap=-1)


@pytest.mark.parametrize(
    ("size", "cap"), [(0, 1), (10, 1), (39, 1), (40, 2), (100, 5), (399, 19), (400, 20), (5000, 20)]
)
def test_the_default_cap_is_5_percent_or_20_and_at_least_1(size: int, cap: int) -> None:
    assert delegation_cap(size) == cap


def test_the_cap_may_be_set_otherwise() -> None:
    assert delegation_cap(1000, percent=1, most=50) == 10
    assert delegation_cap(1000, most=0) == 1
    with pytest.raises(ValueError):
        delegation_cap(-1)
