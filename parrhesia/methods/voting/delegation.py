"""Accountable delegation: whose weight each voter casts — pure Python, no Django.

A *delegation* is a pair ``(giver, delegate)`` of member ids; the delegations in force are given
in record order (the order in which they were made), one per giver. Members have an *own weight*
(1, or their mandates). Given who voted, :func:`delegation_resolve` says how much weight each
voter casts; :func:`delegation_standing` says, with no ballot, how much each delegate would
carry. The rules (docs/voting.md, "Delegation, proxies and weights"):

* **Override.** A giver who voted casts their own weight; their delegation is ignored.
* **Non-transitive.** A giver's weight goes to their delegate if the delegate voted; otherwise
  it is not cast (*unresolved*), even if the delegate delegated in turn.
* **Transitive.** The weight follows the chain of delegations to the first member who voted
  (Ford, "Delegative democracy", 2002; LiquidFeedback's transitive delegation). A chain that
  ends at a member who neither voted nor delegated, or runs into a cycle none of whose members
  voted, is *unresolved*. Each chain is followed at most once through each member, so cycles
  never loop; with memoisation the whole graph resolves in O(givers).
* **The cap** (no super-voters). A voter may carry at most ``cap`` weight from others (their
  own weight does not count against it). When more reaches them, the givers are taken in record
  order and the latest are *returned* (their weight is not cast) until the rest fits: the
  longest prefix, in record order, whose weight is at most ``cap`` is carried.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

Pair = tuple[int, int]


@dataclass(frozen=True)
class Resolution:
    """Who casts what once the votes are in.

    ``cast``: every voter's weight cast (own + carried); ``carried``: for each voter who carries
    weight from others, how much; ``givers``: whose (record order); ``returned``: givers whose
    weight the cap returned; ``unresolved``: givers whose chain reached no voter. Both tuples
    in record order.
    """

    cast: dict[int, int]
    carried: dict[int, int]
    givers: dict[int, tuple[int, ...]]
    returned: tuple[int, ...]
    unresolved: tuple[int, ...]


@dataclass(frozen=True)
class Standing:
    """The delegation graph with no ballot: for each delegate, what they would carry if they
    voted and none of the members whose weight can reach them did (the most they can carry).

    ``potential``: that weight, after the cap; ``givers``: whose (record order); ``returned``:
    the givers the cap would return (record order).
    """

    potential: dict[int, int]
    givers: dict[int, tuple[int, ...]]
    returned: dict[int, tuple[int, ...]]

    def returned_givers(self) -> frozenset[int]:
        """Everyone the cap would return at some delegate (to tell them, and on making a
        delegation: is the new one over the cap?)."""
        return frozenset(giver for givers in self.returned.values() for giver in givers)


def delegation_cap(electorate_size: int, percent: int = 5, most: int = 20) -> int:
    """The default cap: ``percent`` % of the electorate (members, rounded down) or ``most``,
    whichever is smaller, and never below 1 — ``max(1, min(⌊n·percent/100⌋, most))``.

    Edge cases: an electorate under 40 gets 1 with the defaults (5 % of 39 is 1.95), an empty
    one 1; ``most`` below 1 gives 1. The cap is a number of units of weight: a giver with 3
    mandates uses 3 of it.
    """
    if electorate_size < 0 or percent < 0:
        raise ValueError("an electorate and a percentage are never negative")
    return max(1, min(electorate_size * percent // 100, most))


def delegation_resolve(
    pairs: Sequence[Pair],
    voters: Iterable[int],
    own_weights: Mapping[int, int] | None = None,
    *,
    transitive: bool,
    cap: int | None,
) -> Resolution:
    """Resolve the delegations in force once the votes are in (module docstring: the rules).

    ``pairs``: ``(giver, delegate)`` in record order, one per giver, no one to themselves;
    ``voters``: the members who voted themselves (or through a proxy); ``own_weights``: weights
    other than 1; ``cap``: the most weight a voter may carry from others (None: no cap).
    Raises :class:`ValueError` on a malformed graph.
    """
    delegate_of, order = _graph(pairs, cap)
    voted = frozenset(voters)
    weights = dict(own_weights or {})

    def weight(member: int) -> int:
        return weights.get(member, 1)

    targets = _targets(delegate_of, voted, transitive)
    arriving: dict[int, list[int]] = {}
    unresolved: list[int] = []
    for giver in delegate_of:  # record order
        if giver in voted:
            continue  # override: they cast their own weight
        target = targets[giver]
        if target is None:
            unresolved.append(giver)
        else:
            arriving.setdefault(target, []).append(giver)
    cast = {voter: weight(voter) for voter in voted}
    carried: dict[int, int] = {}
    givers: dict[int, tuple[int, ...]] = {}
    returned: list[int] = []
    for voter, candidates in arriving.items():
        kept, back = _capped(candidates, weight, cap)
        returned.extend(back)
        if kept:
            givers[voter] = tuple(kept)
            carried[voter] = sum(weight(giver) for giver in kept)
            cast[voter] += carried[voter]
    return Resolution(
        cast=cast,
        carried=carried,
        givers=givers,
        returned=tuple(sorted(returned, key=order.__getitem__)),
        unresolved=tuple(unresolved),
    )


def delegation_standing(
    pairs: Sequence[Pair],
    own_weights: Mapping[int, int] | None = None,
    *,
    transitive: bool,
    cap: int | None,
    delegates: Iterable[int] | None = None,
) -> Standing:
    """What each delegate would carry with no ballot (see :class:`Standing`).

    Non-transitive: a delegate's givers are those who delegate to them. Transitive: every giver
    whose chain passes through them (as if no one on the way voted). The cap is applied as in
    :func:`delegation_resolve`. O(givers × chain length) for every delegate; for a few
    ``delegates`` only (a member's own page), O(givers) each.
    """
    delegate_of, order = _graph(pairs, cap)
    weights = dict(own_weights or {})

    def weight(member: int) -> int:
        return weights.get(member, 1)

    if delegates is None:
        reaching = _reaching_all(delegate_of, transitive)
    else:
        reaching = _reaching(delegate_of, order, transitive, delegates)
    potential: dict[int, int] = {}
    givers: dict[int, tuple[int, ...]] = {}
    returned: dict[int, tuple[int, ...]] = {}
    for delegate, candidates in reaching.items():
        kept, back = _capped(candidates, weight, cap)
        potential[delegate] = sum(weight(giver) for giver in kept)
        givers[delegate] = tuple(kept)
        if back:
            returned[delegate] = tuple(back)
    return Standing(potential=potential, givers=givers, returned=returned)


def _reaching_all(delegate_of: Mapping[int, int], transitive: bool) -> dict[int, list[int]]:
    """For every delegate, the givers whose weight can reach them, in record order."""
    reaching: dict[int, list[int]] = {}
    for giver, delegate in delegate_of.items():  # record order, so each list is too
        if not transitive:
            reaching.setdefault(delegate, []).append(giver)
            continue
        seen = {giver}
        current: int | None = delegate
        while current is not None and current not in seen:
            reaching.setdefault(current, []).append(giver)
            seen.add(current)
            current = delegate_of.get(current)
    return reaching


def _reaching(
    delegate_of: Mapping[int, int],
    order: Mapping[int, int],
    transitive: bool,
    delegates: Iterable[int],
) -> dict[int, list[int]]:
    """The same for a few delegates: the givers upstream of each (a walk back along the
    delegations, each member once), in record order; delegates no one reaches are left out."""
    towards: dict[int, list[int]] = {}
    for giver, delegate in delegate_of.items():
        towards.setdefault(delegate, []).append(giver)
    reaching: dict[int, list[int]] = {}
    for delegate in delegates:
        found: set[int] = set()
        stack = list(towards.get(delegate, ()))
        while stack:
            giver = stack.pop()
            if giver == delegate or giver in found:
                continue
            found.add(giver)
            if transitive:
                stack.extend(towards.get(giver, ()))
        if found:
            reaching[delegate] = sorted(found, key=order.__getitem__)
    return reaching


def _graph(pairs: Sequence[Pair], cap: int | None) -> tuple[dict[int, int], dict[int, int]]:
    """Each giver's delegate (in record order) and each giver's position; checks the graph."""
    if cap is not None and cap < 0:
        raise ValueError("a cap is never negative")
    delegate_of: dict[int, int] = {}
    order: dict[int, int] = {}
    for position, (giver, delegate) in enumerate(pairs):
        if giver == delegate:
            raise ValueError(f"member {giver} delegates to themselves")
        if giver in delegate_of:
            raise ValueError(f"member {giver} has two delegations in force")
        delegate_of[giver], order[giver] = delegate, position
    return delegate_of, order


def _targets(
    delegate_of: Mapping[int, int], voted: frozenset[int], transitive: bool
) -> dict[int, int | None]:
    """The voter each giver's weight reaches, or None (a non-voter's chain: unresolved)."""
    if not transitive:
        return {g: (d if d in voted else None) for g, d in delegate_of.items()}
    targets: dict[int, int | None] = {}
    for start in delegate_of:
        path: list[int] = []
        on_path: set[int] = set()
        current = start
        target: int | None
        while True:
            if current in voted:
                target = current
                break
            if current in targets:
                target = targets[current]
                break
            if current in on_path or current not in delegate_of:
                target = None  # a cycle with no voter, or a chain's end at a non-voter
                break
            path.append(current)
            on_path.add(current)
            current = delegate_of[current]
        for member in path:
            targets[member] = target
    return targets


def _capped(
    candidates: Sequence[int], weight: Callable[[int], int], cap: int | None
) -> tuple[list[int], list[int]]:
    """The longest prefix (record order) whose weight fits under ``cap``, and the rest."""
    if cap is None:
        return list(candidates), []
    total = 0
    for position, giver in enumerate(candidates):
        total += weight(giver)
        if total > cap:
            return list(candidates[:position]), list(candidates[position:])
    return list(candidates), []
