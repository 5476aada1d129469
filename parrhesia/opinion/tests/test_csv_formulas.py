"""The Polis export carries no spreadsheet formula, and still imports as the same conversation.

Free-text cells (``comment-body``, ``summary.csv``'s values) that start with ``= + - @``, a tab or
a carriage return get a leading ``'`` (OWASP); votes such as ``-1`` are data and stay as they are.
"""

from __future__ import annotations

import csv

import pytest

from parrhesia.opinion import services
from parrhesia.opinion.exports import polis_folder_write

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil","x")', "@SUM(1) is what we owe", "-2+3 rooms are empty"]
TOPIC = "=cmd|' /C calc'!A0"


def test_free_text_is_neutralised_and_votes_stay_numbers(riverside, alice, carol, tmp_path):
    conversation = services.conversation_open(
        user=alice, organisation=riverside, topic=TOPIC, seed_statements=HOSTILE
    )
    statements = list(conversation.statements.order_by("number"))
    services.statement_vote(user=carol, statement=statements[2], value=-1)
    polis_folder_write(conversation, tmp_path)
    comments = list(csv.DictReader((tmp_path / "comments.csv").open(encoding="utf-8")))
    assert [c["comment-body"] for c in comments] == ["'" + text for text in HOSTILE]
    summary = dict(csv.reader((tmp_path / "summary.csv").open(encoding="utf-8")))
    assert summary["topic"] == "'" + TOPIC
    votes = list(csv.DictReader((tmp_path / "votes.csv").open(encoding="utf-8")))
    assert [v["vote"] for v in votes] == ["-1"]
    matrix = list(csv.DictReader((tmp_path / "participants-votes.csv").open(encoding="utf-8")))
    assert [row["2"] for row in matrix if row["2"]] == ["-1"]
    for name in ("comments.csv", "summary.csv", "votes.csv", "participants-votes.csv"):
        for row in csv.reader((tmp_path / name).open(encoding="utf-8")):
            assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in row), name


def test_the_neutralised_export_imports_as_the_same_conversation(riverside, alice, tmp_path):
    conversation = services.conversation_open(
        user=alice, organisation=riverside, topic=TOPIC, seed_statements=HOSTILE
    )
    polis_folder_write(conversation, tmp_path)
    again = services.conversation_import(organisation=riverside, folder=str(tmp_path))
    assert again.topic == TOPIC
    assert list(again.statements.order_by("number").values_list("text", flat=True)) == HOSTILE
