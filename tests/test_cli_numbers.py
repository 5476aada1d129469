"""Every `parrhesia` command that reads numbers from a file answers a number that does not fit
with one line naming the file, line and value, and exit status 1 — never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from parrhesia.cli import main
from parrhesia.opinion.models import Conversation

HUGE = "99999999999999999999"


def polis(folder: Path, *, comments_row: str = "1435654192085,0,0,1,1,hi",
          vote_row: str = "1435654192100,0,1,1") -> Path:
    folder.mkdir()
    (folder / "comments.csv").write_text(
        "timestamp,comment-id,author-id,agrees,moderated,comment-body\n"
        f"{comments_row}\n1435654192086,1,1,0,1,ho\n"
    )
    (folder / "participants-votes.csv").write_text("participant,group-id,0,1\n0,,1,\n1,,1,-1\n")
    (folder / "votes.csv").write_text(
        f"timestamp,comment-id,voter-id,vote\n{vote_row}\n1435654192101,1,1,-1\n"
    )
    return folder


@pytest.mark.parametrize(
    ("files", "where"),
    [
        ({"vote_row": f"1435654192100,0,{HUGE},1"}, "votes.csv:2: 'voter-id' is out of range"),
        ({"vote_row": f"1435654192100,{HUGE},1,1"}, "votes.csv:2: 'comment-id' is out of range"),
        ({"vote_row": f"{HUGE},0,1,1"}, "votes.csv:2: 'timestamp' is out of range"),
        ({"comments_row": f"{HUGE},0,0,1,1,hi"}, "comments.csv:2: 'timestamp' is out of range"),
        ({"comments_row": f"1435654192085,0,{HUGE},1,1,hi"},
         "comments.csv:2: 'author-id' is out of range"),
        ({"comments_row": "1435654192085,0,3000000000,1,1,hi"},
         "comments.csv:2: 'author-id' is out of range"),
    ],
)
@pytest.mark.parametrize("command", ["analyze", "import"])
def test_opinion_commands_name_a_number_out_of_range(riverside, tmp_path, capsys, files, where,
                                                     command):
    # The engine checks every column the importer reads, so `analyze` refuses the same files.
    folder = polis(tmp_path / "polis", **files)
    argv = ["opinion", command, str(folder)] + (["--org", "riverside"] if command == "import"
                                                else [])
    assert main(argv) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"parrhesia: error: {folder}/") and where in error
    assert error.count("\n") == 1 and "Traceback" not in error
    assert not Conversation.objects.exists()


def test_the_same_export_within_range_imports(riverside, tmp_path, capsys):
    folder = polis(tmp_path / "polis")
    assert main(["opinion", "import", str(folder), "--org", "riverside"]) == 0
    conversation = Conversation.objects.get()
    assert sorted(conversation.participants.values_list("number", flat=True)) == [0, 1]

