"""Hostile titles and option labels cannot forge the published ballot files.

A title or label with a line break (``\\n``, ``\\r``, U+0085, U+2028, U+2029) and a line that
looks like a PrefLib ballot (``50: 2``, ``3: 1,{2,3}``) or header (``# ALTERNATIVE NAME 1:
Mallory``): on today's site such a file parses, and its recount elects someone else. Here
every PrefLib file the site publishes (the ballot's ``.toi`` and the member's download) and its
ballots CSV, counted again by ``parrhesia tally``, give exactly the result the server published.
Labels appear in the files on one line (``kernel.cells.one_line``).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from parrhesia.cli import main
from parrhesia.decisions import services
from parrhesia.decisions.models import Ballot
from parrhesia.kernel.cells import one_line
from tests.fixtures.decisions import member_of, soon

pytestmark = pytest.mark.django_db

TITLE = "Budget 2027\n50: 2\r50: 3\u2028# NUMBER VOTERS: 104\u0085"
LABELS = [
    "Ana\n9: 2,1",
    "Ben\r\n# ALTERNATIVE NAME 1: Mallory",
    "Chloé, {Dev}\u20283: 1,{2,3}",
    '=HYPERLINK("http://evil","x")\u00851: 4',
    "-2+3\u2029 99: 4",
]
STATUS_QUO = "Keep things\r7: 1"
# (method, seats, each voter's choices); option keys are the labels' positions.
BALLOTS = [
    ("plurality", 1, {"alice": 0, "bob": 1, "carol": 0, "erin": 3}),
    ("approval", 2, {"alice": [0, 1], "bob": [1], "carol": [0, 2], "erin": [3, 4]}),
    ("schulze", 1, {"alice": [[0], [1]], "bob": [[1], [5]], "carol": [[0, 2]], "erin": [[3]]}),
    ("ranked-pairs", 1, {"alice": [[0], [1]], "bob": [[1]], "carol": [[5], [0]], "erin": [[3]]}),
    ("irv", 1, {"alice": [[0], [1]], "bob": [[1], [0]], "carol": [[0], [2]], "erin": [[3], [4]]}),
    ("stv", 2, {"alice": [[0], [1]], "bob": [[1], [0]], "carol": [[0], [2]], "erin": [[3], [4]]}),
]


def one_line_labels(value: Any) -> Any:
    """The server's result with every label written as the published files write it."""
    if isinstance(value, str):
        return one_line(value)
    if isinstance(value, list):
        return [one_line_labels(item) for item in value]
    if isinstance(value, dict):
        return {one_line_labels(key): one_line_labels(item) for key, item in value.items()}
    return value


def closed_hostile_ballot(riverside, bob, voters, method: str, seats: int, choices) -> Ballot:
    competing = method in ("schulze", "ranked-pairs")
    ballot = services.ballot_open(
        user=bob,
        organisation=riverside,
        title=TITLE,
        method=method,
        options=LABELS,
        seats=seats,
        status_quo_label=STATUS_QUO if competing else "",
        closes_at=soon(),
    )
    for name, choice in choices.items():
        services.ballot_vote(user=voters[name], ballot=ballot, choices=choice)
    services.ballot_close_if_due(ballot_id=ballot.pk, now=ballot.closes_at + timedelta(seconds=1))
    ballot.refresh_from_db()
    assert ballot.result["turnout"] == 4
    return ballot


def tally(text: str, suffix: str, ballot: Ballot, tmp_path, capsys) -> dict[str, Any]:
    """``parrhesia tally`` on a published file, as anyone who downloads it would run it."""
    path = tmp_path / f"ballot-{ballot.pk}{suffix}"
    path.write_text(text, encoding="utf-8")
    capsys.readouterr()
    argv = ["tally", str(path), "--method", ballot.method, "--seats", str(ballot.seats)]
    assert main([*argv, "--format", "json"]) == 0, capsys.readouterr().err
    document = json.loads(capsys.readouterr().out)
    document.pop("file")
    return document


def published_files(client, reader, ballot: Ballot) -> list[tuple[str, str]]:
    """Every file a member may recount the ballot from: the page's PrefLib and CSV files and
    the same two in the download, each with its suffix."""
    client.force_login(reader)
    toi = client.get(reverse("decisions:ballots_preflib", args=["riverside", ballot.pk]))
    ballots_csv = client.get(reverse("decisions:ballots_csv", args=["riverside", ballot.pk]))
    response = client.get("/o/riverside/record/download.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return [
        (toi.content.decode(), ".toi"),
        (archive.read(f"decisions/ballot-{ballot.pk}.toi").decode(), ".toi"),
        (ballots_csv.content.decode(), ".csv"),
        (archive.read(f"decisions/ballot-{ballot.pk}.csv").decode(), ".csv"),
    ]


@pytest.mark.parametrize(("method", "seats", "choices"), BALLOTS, ids=[b[0] for b in BALLOTS])
def test_a_recount_of_every_published_file_gives_the_servers_result(
    client, riverside, bob, voters, carol, tmp_path, capsys, method, seats, choices
):
    ballot = closed_hostile_ballot(riverside, bob, voters, method, seats, choices)
    published = one_line_labels(ballot.result["tally"])
    files = published_files(client, carol, ballot)
    for text, suffix in files:
        assert tally(text, suffix, ballot, tmp_path, capsys) == published, (suffix, text)


def test_the_preflib_file_keeps_each_label_on_its_header_line(riverside, bob, voters, client):
    ballot = closed_hostile_ballot(riverside, bob, voters, *BALLOTS[0])
    client.force_login(bob)
    text = client.get(reverse("decisions:ballots_preflib", args=["riverside", ballot.pk]))
    lines = text.content.decode().split("\n")
    assert "# TITLE: Budget 2027 50: 2 50: 3 # NUMBER VOTERS: 104" in lines
    assert "# ALTERNATIVE NAME 2: Ben # ALTERNATIVE NAME 1: Mallory" in lines
    assert [line for line in lines if line and not line.startswith("#")] == [
        "2: 1",
        "1: 2",
        "1: 4",
    ]


def test_the_ballots_csv_carries_no_spreadsheet_formula(riverside, bob, voters, client):
    ballot = closed_hostile_ballot(riverside, bob, voters, *BALLOTS[0])
    client.force_login(bob)
    text = client.get(reverse("decisions:ballots_csv", args=["riverside", ballot.pk]))
    header = next(csv.reader(io.StringIO(text.content.decode())))
    assert header[3] == '\'=HYPERLINK("http://evil","x") 1: 4'
    assert header[4] == "'-2+3 99: 4"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in header)


def closed_weighted_ballot(riverside, voters, method: str, seats: int, choices, weighting: str):
    """The hostile ballot counted with weights: mandates (carol 3, alice 2), or a delegation
    (erin, who does not vote, gives her weight to alice)."""
    if weighting == "mandates":
        for name, weight in (("carol", 3), ("alice", 2)):
            services.mandate_set(
                user=voters["alice"], membership=member_of(voters[name], riverside),
                weight=weight, reason="Section delegate",
            )  # fmt: skip
    else:
        services.delegation_policy_change(
            user=voters["alice"], organisation=riverside, proxies_max=2,
            delegation_enabled=True, delegation_transitive=False, delegation_cap_percent=100,
            delegation_cap_max=20, delegation_days=365,
        )  # fmt: skip
        services.delegation_give(
            user=voters["erin"],
            organisation=riverside,
            delegate=member_of(voters["alice"], riverside),
        )
        choices = {name: choice for name, choice in choices.items() if name != "erin"}
    ballot = services.ballot_open(
        user=voters["bob"], organisation=riverside, title=TITLE, method=method, options=LABELS,
        seats=seats, status_quo_label=STATUS_QUO if method in ("schulze", "ranked-pairs") else "",
        closes_at=soon(),
    )  # fmt: skip
    for name, choice in choices.items():
        services.ballot_vote(user=voters[name], ballot=ballot, choices=choice)
    services.ballot_close_if_due(ballot_id=ballot.pk, now=ballot.closes_at + timedelta(seconds=1))
    ballot.refresh_from_db()
    assert ballot.result["represented"] == (7 if weighting == "mandates" else 4)
    return ballot


@pytest.mark.parametrize("weighting", ["mandates", "delegation"])
@pytest.mark.parametrize(("method", "seats", "choices"), BALLOTS, ids=[b[0] for b in BALLOTS])
def test_a_weighted_recount_of_every_published_file_gives_the_servers_result(
    client, riverside, voters, carol, tmp_path, capsys, method, seats, choices, weighting
):
    ballot = closed_weighted_ballot(riverside, voters, method, seats, choices, weighting)
    published = one_line_labels(ballot.result["tally"])
    assert published["ballots"] == ballot.result["represented"]  # each counted with its weight
    files = published_files(client, carol, ballot)
    assert files[2][0].startswith("count,")  # the ballots CSV from the page
    for text, suffix in files:
        assert tally(text, suffix, ballot, tmp_path, capsys) == published, (suffix, text)
