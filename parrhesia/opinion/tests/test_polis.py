"""Polis import and export: the round trip keeps statements, marks and every vote."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from parrhesia.cli import main
from parrhesia.methods.opinion import load_polis_export
from parrhesia.opinion import analysis, services
from parrhesia.opinion.exports import polis_folder_write
from parrhesia.opinion.models import Conversation, Vote, VoteCast
from parrhesia.record.models import RecordEntry

pytestmark = pytest.mark.django_db


def write_polis(folder: Path) -> Path:
    """A small Polis export: 4 participants, 3 comments (one moderated out), a changed vote."""
    folder.mkdir()
    (folder / "comments.csv").write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1435654192085,x,0,0,2,1,1,Uber should follow the taxi rules.\n"
        '1435654192086,x,1,1,1,2,1,"Regulation kills innovation, obviously."\n'
        "1435654192087,x,2,1,0,0,-1,Buy my product\n"
    )
    (folder / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n"
        "1435654192100,x,0,0,1\n1435654192101,x,1,0,-1\n"
        "1435654192102,x,0,1,-1\n1435654192103,x,1,1,1\n"
        "1435654192104,x,0,2,1\n1435654192105,x,1,2,-1\n"
        "1435654192106,x,0,3,-1\n1435654192107,x,0,3,1\n"  # participant 3 changed their mind
        "1435654192108,x,1,3,0\n"
    )
    (folder / "participants-votes.csv").write_text(
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n"
        "0,0,1,2,1,1,1,-1,\n1,1,2,2,1,1,-1,1,\n2,0,0,2,1,1,1,-1,\n3,0,0,2,1,0,1,0,\n"
    )
    (folder / "summary.csv").write_text(
        'topic,UberX\nurl,https://pol.is/x\nconversation-description,"Should UberX, too..."\n'
    )
    return folder


def test_an_import_creates_external_participants_and_keeps_the_history(riverside, tmp_path):
    conversation = services.conversation_import(
        organisation=riverside, folder=str(write_polis(tmp_path / "polis"))
    )
    assert (conversation.topic, conversation.imported_from) == ("UberX", "polis")
    participants = list(conversation.participants.order_by("number"))
    assert [p.external_id for p in participants] == ["0", "1", "2", "3"]
    assert all(p.membership_id is None for p in participants)
    statements = list(conversation.statements.order_by("number"))
    assert statements[1].text == "Regulation kills innovation, obviously."
    assert statements[2].mark == "off_topic" and statements[2].mark_reason
    changed = Vote.objects.get(participant=participants[3], statement=statements[0])
    assert (changed.value, changed.changes) == (1, 1)
    assert VoteCast.objects.filter(conversation=conversation).count() == 9
    entry = RecordEntry.objects.filter(action="conversation.imported").get()
    assert entry.actor is None and entry.payload["votes"] == 9
    assert set(entry.payload["files"]) == {
        "comments.csv",
        "votes.csv",
        "participants-votes.csv",
        "summary.csv",
    }


def test_export_then_import_gives_back_the_same_conversation(riverside, tmp_path):
    original = services.conversation_import(
        organisation=riverside, folder=str(write_polis(tmp_path / "polis"))
    )
    analysis.analysis_loop(original.pk)
    polis_folder_write(original, tmp_path / "out")
    again = services.conversation_import(organisation=riverside, folder=str(tmp_path / "out"))

    def facts(conversation):
        votes = sorted(
            VoteCast.objects.filter(conversation=conversation).values_list(
                "participant__number", "statement__number", "value", "cast_at"
            )
        )
        statements = list(
            conversation.statements.order_by("number").values_list(
                "number", "text", "mark", "author__number", "created_at"
            )
        )
        return votes, statements, conversation.topic, conversation.description

    assert facts(again) == facts(original)
    # The engine reads our export as it reads Polis's.
    export = load_polis_export(tmp_path / "out")
    assert export.matrix.shape == (4, 3) and export.agree_sign == 1
    assert export.moderated_out == frozenset({"2"})


def test_a_conversation_of_members_exports_votes_as_polis_does(
    conversation, statements, carol, bob, tmp_path
):
    services.statement_vote(user=carol, statement=statements[0], value=1)
    services.statement_vote(user=carol, statement=statements[0], value=-1)
    services.statement_vote(user=bob, statement=statements[1], value=0)
    polis_folder_write(conversation, tmp_path)
    votes = list(csv.DictReader((tmp_path / "votes.csv").open()))
    assert [(v["comment-id"], v["vote"]) for v in votes] == [("0", "1"), ("0", "-1"), ("1", "0")]
    comments = list(csv.DictReader((tmp_path / "comments.csv").open()))
    assert comments[0]["agrees"] == "0" and comments[0]["disagrees"] == "1"
    assert comments[0]["comment-body"] == statements[0].text


def test_the_commands_import_and_export(riverside, tmp_path, capsys):
    assert (
        main(["opinion", "import", str(write_polis(tmp_path / "polis")), "--org", "riverside"]) == 0
    )
    conversation = Conversation.objects.get()
    assert capsys.readouterr().out.strip() == str(conversation.pk)
    assert conversation.analysis.version == 1 and not conversation.analysis_queued
    assert main(["opinion", "export", str(conversation.pk), "--out", str(tmp_path / "a")]) == 0
    assert main(["opinion", "export", "--org", "riverside", "--out", str(tmp_path / "b")]) == 0
    for folder in (tmp_path / "a", tmp_path / "b" / str(conversation.pk)):
        assert sorted(p.name for p in folder.iterdir()) == [
            "comments.csv",
            "participants-votes.csv",
            "summary.csv",
            "votes.csv",
        ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["opinion", "import", "/nonexistent", "--org", "riverside"], "no such folder"),
        (["opinion", "import", "/tmp", "--org", "nowhere"], "no organisation"),
        (["opinion", "export", "--out", "/tmp/x"], "either a CONVERSATION_ID or --org"),
        (["opinion", "export", "999", "--out", "/tmp/x"], "no conversation with the id 999"),
    ],
)
def test_broken_input_gives_one_line_and_status_1(riverside, capsys, argv, message):
    assert main(argv) == 1
    error = capsys.readouterr().err.strip()
    assert message in error and "\n" not in error


def test_a_malformed_vote_names_file_and_line(riverside, tmp_path, capsys):
    folder = write_polis(tmp_path / "polis")
    (folder / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,7\n")
    assert main(["opinion", "import", str(folder), "--org", "riverside"]) == 1
    assert "votes.csv:2" in capsys.readouterr().err
    assert not Conversation.objects.exists()
