"""The recount of weighted, proxied and delegated ballots (issue 17) from record entries alone —
pure, with synthetic entries shaped as docs/voting.md says ("Delegation and weights — on the
record"): the recount gives the close's result, and a record that breaks the rules is caught."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parrhesia.decisions import counting
from parrhesia.decisions.recount import RecountMismatch, recount_entries
from parrhesia.methods.record.canonical import Entry

ELECTORATE = list(range(1, 9))
TIME = "2026-12-06T16:00:00Z"


class Log:
    """Entries of one ballot (subject ``("ballot", 7)``), in record order."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []

    def add(self, actor: int | None, action: str, payload: dict[str, Any]) -> None:
        seq = len(self.entries)
        self.entries.append(Entry(seq, TIME, actor, action, "ballot", 7, payload))


def opening(method: str = "motion", secrecy: str = "open", **extra: Any) -> dict[str, Any]:
    return {
        "title": "A weighted vote",
        "method": method,
        "seats": 1,
        "secrecy": secrecy,
        "threshold": "simple",
        "quorum_percent": 25,
        "min_anonymity": 1 if secrecy == "secret" else 0,
        "options": [{"key": k, "label": label} for k, label in enumerate("ABC")]
        if method != "motion"
        else [],
        "electorate": ELECTORATE,
        "electorate_size": len(ELECTORATE),
        **extra,
    }


def closed_open_ballot(
    opened: dict[str, Any],
    votes: dict[int, Any],
    proxied: dict[int, int],
    pairs: list[tuple[int, int]],
) -> Log:
    """An open ballot as the site would record it: proxies given, votes (a proxy's for its
    giver), and the close counting the votes as ``services.closing`` does (by member id)."""
    log = Log()
    log.add(1, "ballot.opened", opened)
    for giver, holder in proxied.items():
        log.add(giver, "proxy.given", {"giver": giver, "holder": holder})
    for member, choices in votes.items():
        holder = proxied.get(member)
        payload = {"choices": choices, "reason": ""}
        log.add(
            member if holder is None else holder,
            "ballot.voted",
            payload if holder is None else {**payload, "for": member},
        )
    members = sorted(votes)
    ballots = [votes[m] for m in members]
    if counting.is_weighted(opened):
        weighing = counting.ballot_weighing(opened, members, pairs)
        weights = [weighing.weights[m] for m in members]
        result = counting.result_count(opened, ballots, weights, weighing.delegation)
    else:
        result = counting.result_count(opened, ballots)
    closed: dict[str, Any] = {"result": result}
    if "delegation" in opened:
        closed["delegations"] = [list(pair) for pair in pairs]
    log.add(None, "ballot.closed", closed)
    return log


@st.composite
def delegated_ballots(draw: st.DrawFn) -> Log:
    method = draw(st.sampled_from(["motion", "plurality", "schulze", "irv"]))
    weights = draw(st.dictionaries(st.sampled_from(ELECTORATE), st.integers(2, 3)))
    rules = {"area": "", "transitive": draw(st.booleans()), "cap": draw(st.integers(1, 4))}
    opened = opening(method, weights={str(m): w for m, w in weights.items()}, delegation=rules)
    voters = draw(st.lists(st.sampled_from(ELECTORATE), unique=True))
    choice = {
        "motion": st.sampled_from(counting.MOTION_CHOICES),
        "plurality": st.sampled_from([0, 1, 2]),
        "schulze": st.permutations([0, 1, 2]).map(lambda order: [[key] for key in order]),
        "irv": st.permutations([0, 1, 2]).map(lambda order: [[key] for key in order[:2]]),
    }[method]
    votes = {voter: draw(choice) for voter in voters}
    proxied = {
        giver: draw(st.sampled_from([m for m in ELECTORATE if m != giver]))
        for giver in voters
        if draw(st.booleans())
    }
    givers = draw(st.lists(st.sampled_from(ELECTORATE), unique=True))
    pairs = [(g, draw(st.sampled_from([m for m in ELECTORATE if m != g]))) for g in givers]
    return closed_open_ballot(opened, votes, proxied, pairs)


@settings(max_examples=150, deadline=None)
@given(delegated_ballots())
def test_a_delegated_and_proxied_ballot_recounts_to_its_result(log: Log) -> None:
    assert recount_entries(log.entries) == (1, 0)


def test_a_changed_delegation_graph_is_caught() -> None:
    opened = opening(weights={}, delegation={"area": "", "transitive": True, "cap": 3})
    log = closed_open_ballot(opened, {1: "for", 2: "against"}, {}, [(3, 1), (4, 3)])
    assert recount_entries(log.entries) == (1, 0)
    closed = log.entries[-1].payload
    closed["delegations"] = [[3, 1], [4, 2]]  # 4's weight moved to the other side
    with pytest.raises(RecountMismatch, match="published outcome"):
        recount_entries(log.entries)
    closed["delegations"] = [[3, 1], [4, 99]]
    with pytest.raises(RecountMismatch, match="outside the electorate"):
        recount_entries(log.entries)


def test_a_vote_for_someone_without_a_proxy_in_force_is_caught() -> None:
    opened = opening(weights={})
    log = closed_open_ballot(opened, {1: "for", 2: "against"}, {2: 5}, [])
    assert recount_entries(log.entries) == (1, 0)
    revoked = Entry(99, TIME, 2, "proxy.revoked", "ballot", 7, {"giver": 2, "holder": 5})
    log.entries.insert(2, revoked)  # before the proxy's vote
    with pytest.raises(RecountMismatch, match="member 5 voted for member 2 without a proxy"):
        recount_entries(log.entries)


def test_delegations_on_a_ballot_opened_without_weights_are_caught() -> None:
    log = closed_open_ballot(opening(), {1: "for"}, {}, [])
    assert "represented" not in log.entries[-1].payload["result"]
    assert recount_entries(log.entries) == (1, 0)
    log.entries[-1].payload["delegations"] = [[2, 1]]
    with pytest.raises(RecountMismatch, match="opened without"):
        recount_entries(log.entries)


def secret_ballot(weights: dict[str, int], published: list[int]) -> Log:
    """A secret motion: participants 1 (own), 2 (by proxy 6) and 3; anonymous ballots with the
    given published weights."""
    opened = opening(secrecy="secret", weights=weights)
    log = Log()
    log.add(1, "ballot.opened", opened)
    log.add(2, "proxy.given", {"giver": 2, "holder": 6})
    log.add(1, "ballot.participated", {})
    log.add(6, "ballot.participated", {"for": 2})
    log.add(3, "ballot.participated", {})
    choices = ["for", "for", "against"]
    items = [
        {"tracker": f"t{n}", "choices": c, "reason": "", **({"weight": w} if w != 1 else {})}
        for n, (c, w) in enumerate(zip(choices, published, strict=True))
    ]
    result = counting.result_count(opened, choices, published)
    log.add(None, "ballot.closed", {"result": result, "ballots": items})
    return log


def test_a_secret_ballot_with_mandates_and_a_proxy_recounts() -> None:
    log = secret_ballot({"2": 3}, [1, 3, 1])
    assert recount_entries(log.entries) == (1, 0)
    assert log.entries[-1].payload["result"]["represented"] == 5


def test_a_secret_ballots_weights_must_be_its_participants() -> None:
    with pytest.raises(RecountMismatch, match="weights are not the voters"):
        recount_entries(secret_ballot({"2": 3}, [1, 3, 3]).entries)
    with pytest.raises(RecountMismatch, match="weights are not the voters"):
        recount_entries(secret_ballot({"4": 3}, [1, 3, 1]).entries)  # 4 did not vote
