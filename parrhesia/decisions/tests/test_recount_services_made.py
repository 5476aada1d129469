"""Ballots made through the services and pages' paths (a transitive delegation the cap cuts,
a proxied secret ballot with a mandate, a proxy vote on a hidden ballot) recount from the
record export; a proxy the record does not show, or a graph changed after the close, does not.
(test_recount_delegated.py is the counting side's own export.)"""

from __future__ import annotations

import json

import pytest

from parrhesia.cli import main
from parrhesia.decisions import services
from parrhesia.decisions.recount import RecountMismatch, recount_entries
from parrhesia.methods.record.canonical import canonical_json
from parrhesia.methods.record.export import iter_entries
from parrhesia.record.exports import record_export_write
from tests.fixtures.decisions import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(tmp_path, riverside, open_ballot, voters):
    alice, bob = voters["alice"], voters["bob"]
    carol, erin = member_of(voters["carol"], riverside), member_of(voters["erin"], riverside)
    services.delegation_policy_change(
        user=alice, organisation=riverside, proxies_max=2, delegation_enabled=True,
        delegation_transitive=True, delegation_cap_percent=50, delegation_cap_max=20,
        delegation_days=365,
    )  # fmt: skip
    services.mandate_set(user=alice, membership=erin, weight=2, reason="Section delegate")
    services.delegation_give(
        user=voters["carol"], organisation=riverside, delegate=member_of(bob, riverside)
    )
    services.delegation_give(user=voters["erin"], organisation=riverside, delegate=carol)
    delegated = open_ballot("schulze", ["A", "B"], status_quo_label="Keep")
    services.ballot_vote(user=bob, ballot=delegated, choices=[[1], [0]])
    services.ballot_vote(user=alice, ballot=delegated, choices=[[0], [2]])
    services.ballot_close(user=bob, ballot=delegated)
    proxied = open_ballot("approval", ["X", "Y"], secrecy="secret")
    services.proxy_give(user=voters["carol"], ballot=proxied, holder=member_of(bob, riverside))
    services.ballot_vote(user=bob, ballot=proxied, choices=[0])
    services.ballot_vote(user=bob, ballot=proxied, choices=[1], for_member=carol)
    services.ballot_vote(user=voters["erin"], ballot=proxied, choices=[0, 1])
    services.ballot_close(user=bob, ballot=proxied)
    hidden = open_ballot(results_hidden=True)
    services.proxy_give(user=voters["erin"], ballot=hidden, holder=member_of(alice, riverside))
    services.ballot_vote(user=alice, ballot=hidden, choices="against", for_member=erin)
    services.ballot_vote(user=voters["carol"], ballot=hidden, choices="for")
    services.ballot_close(user=bob, ballot=hidden)
    path = tmp_path / "riverside.jsonl"
    with path.open("wb") as handle:
        record_export_write(riverside, handle)
    return path


def test_delegated_weighted_and_proxied_ballots_recount(export, capsys):
    assert main(["decisions", "recount", "--record", str(export)]) == 0
    assert "recounted 3 closed ballot(s)" in capsys.readouterr().out


def test_the_delegated_ballot_carried_what_the_graph_says(export):
    closed = [
        json.loads(line)["entry"]
        for line in export.read_bytes().split(b"\n")
        if b'"ballot.closed"' in line
    ]
    delegation = closed[0]["payload"]["result"]["delegation"]
    # carol (1) and, through her, erin (2 mandates) reach bob, who voted; the cap (50 % of
    # four members: 2) keeps carol's weight and returns erin's, the later delegation
    [carried] = delegation["carried"]
    assert carried["weight"] == 1 and len(carried["givers"]) == 1
    assert delegation["returned"] == [closed[0]["payload"]["delegations"][1][0]]
    assert closed[0]["payload"]["result"]["represented"] == 3


def rewrite(path, action, change):
    lines = path.read_bytes().split(b"\n")
    for number, line in enumerate(lines):
        if f'"{action}"'.encode() in line:
            value = json.loads(line)
            if change(value["entry"]["payload"]):
                lines[number] = canonical_json(value)
                break
    path.write_bytes(b"\n".join(lines))


def test_a_vote_for_someone_without_their_proxy_does_not_recount(export):
    def drop_proxy(payload):
        if "giver" in payload:
            payload["holder"] = payload["giver"]
            return True
        return False

    rewrite(export, "proxy.given", drop_proxy)
    with pytest.raises(RecountMismatch, match="without a proxy"):
        recount_entries(iter_entries(str(export)))


def test_a_delegation_graph_changed_after_the_close_does_not_recount(export):
    def drop_graph(payload):
        if payload.get("delegations"):
            payload["delegations"] = []
            return True
        return False

    rewrite(export, "ballot.closed", drop_graph)
    with pytest.raises(RecountMismatch):
        recount_entries(iter_entries(str(export)))
