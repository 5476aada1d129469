"""Anyone can recount delegated, proxied and weighted ballots from the record export alone
(issue 17): the graph fixed at the close, the proxies' votes and the mandates are on the
record, and ``parrhesia decisions recount`` gives every published result."""

from __future__ import annotations

import json

import pytest

from parrhesia.cli import main
from parrhesia.decisions import services
from parrhesia.methods.record.canonical import canonical_json
from parrhesia.record.exports import record_export_write
from tests.fixtures.decisions import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(tmp_path, riverside, open_ballot, voters):
    alice = voters["alice"]
    services.delegation_policy_change(
        user=alice,
        organisation=riverside,
        proxies_max=2,
        delegation_enabled=True,
        delegation_transitive=True,
        delegation_cap_percent=100,
        delegation_cap_max=20,
        delegation_days=365,
    )
    member = {name: member_of(user, riverside) for name, user in voters.items()}
    services.mandate_set(user=alice, membership=member["alice"], weight=3, reason="section")
    # erin → carol → bob: transitive, both reach bob when only he votes of the three
    services.delegation_give(user=voters["carol"], organisation=riverside, delegate=member["bob"])
    services.delegation_give(user=voters["erin"], organisation=riverside, delegate=member["carol"])

    delegated = open_ballot()
    services.ballot_vote(user=voters["bob"], ballot=delegated, choices="for")
    services.ballot_vote(user=alice, ballot=delegated, choices="against")
    services.ballot_close(user=voters["bob"], ballot=delegated)

    secret = open_ballot("stv", ["Ana", "Ben", "Chloé"], seats=1, secrecy="secret")
    services.proxy_give(user=voters["carol"], ballot=secret, holder=member["bob"])
    services.ballot_vote(user=alice, ballot=secret, choices=[[0], [1]])
    services.ballot_vote(user=voters["bob"], ballot=secret, choices=[[1], [2]])
    services.ballot_vote(
        user=voters["bob"], ballot=secret, choices=[[2], [1]], for_member=member["carol"]
    )
    services.ballot_vote(user=voters["erin"], ballot=secret, choices=[[1]])
    services.ballot_close(user=voters["bob"], ballot=secret)

    hidden = open_ballot("plurality", ["X", "Y"], results_hidden=True)
    services.proxy_give(user=voters["erin"], ballot=hidden, holder=member["alice"])
    services.ballot_vote(user=alice, ballot=hidden, choices=0)
    services.ballot_vote(user=alice, ballot=hidden, choices=1, for_member=member["erin"])
    services.ballot_close(user=voters["bob"], ballot=hidden)

    for ballot in (delegated, secret, hidden):
        ballot.refresh_from_db()
    results = [b.result for b in (delegated, secret, hidden)]
    path = tmp_path / "riverside.jsonl"
    with path.open("wb") as handle:
        record_export_write(riverside, handle)
    return path, results


def test_the_weighted_results_are_what_the_rules_say(export):
    _, (delegated, secret, hidden) = export
    # bob 1 + carol 1 + erin 1 (through carol) for; alice's 3 mandates against
    assert delegated["counts"] == {"for": 3, "against": 3, "abstain": 0, "block": 0}
    assert delegated["represented"] == 6 and delegated["turnout"] == 2
    assert delegated["electorate_weight"] == 6
    [carried] = delegated["delegation"]["carried"]
    assert len(carried["givers"]) == 2 and carried["weight"] == 2
    assert secret["represented"] == 6 and secret["turnout"] == 4
    assert secret["tally"]["quota"] == 6 // 2 + 1
    assert hidden["represented"] == 4 and hidden["tally"]["scores"] == {"X": 3, "Y": 1}


def test_the_export_recounts_to_every_published_result(export, capsys):
    path, _ = export
    assert main(["decisions", "recount", "--record", str(path)]) == 0
    assert "recounted 3 closed ballot(s) of 'riverside'" in capsys.readouterr().out


def rewritten(path, change):
    """The export with the first delegated ballot's close changed (hashes no longer match)."""
    lines = path.read_bytes().split(b"\n")
    for number, line in enumerate(lines):
        if b'"delegations"' in line:
            value = json.loads(line)
            change(value["entry"]["payload"])
            lines[number] = canonical_json(value)
            break
    path.write_bytes(b"\n".join(lines))
    return path


def test_a_changed_delegation_graph_does_not_recount(export, capsys):
    path, _ = export

    def drop_the_delegations(payload):
        payload["delegations"] = []

    rewritten(path, drop_the_delegations)
    assert main(["decisions", "recount", "--record", str(path), "--skip-verify"]) == 1
    assert "published" in capsys.readouterr().err
