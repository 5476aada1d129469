"""Numbers in a Polis export that do not fit (a huge id, a date past the year 9999) are one-line
errors naming the file and line, never an ``OverflowError`` from numpy or the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parrhesia.methods.opinion import PolisFormatError, load_polis_export
from parrhesia.methods.opinion.polis_io import MAX_ID, MAX_MILLISECONDS

HUGE = "99999999999999999999"
COMMENTS = "comment-id,author-id,agrees,moderated,comment-body\n0,1,1,1,hi\n1,2,0,1,ho\n"
MATRIX = "participant,group-id,0,1\n1,0,1,-1\n2,,0,\n"
VOTES = "timestamp,comment-id,voter-id,vote\n1435654192100,0,1,1\n1435654192101,1,2,-1\n"


def export(folder: Path, comments: str = COMMENTS, matrix: str = MATRIX,
           votes: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "comments.csv").write_text(comments)
    (folder / "participants-votes.csv").write_text(matrix)
    if votes is not None:
        (folder / "votes.csv").write_text(votes)
    return folder


def test_the_small_export_loads(tmp_path: Path) -> None:
    assert load_polis_export(export(tmp_path / "a")).matrix.shape == (2, 2)
    assert load_polis_export(export(tmp_path / "b", votes=VOTES)).matrix.n_votes == 2


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"comments": COMMENTS.replace("\n1,2,", f"\n{HUGE},2,")},
         f"comments.csv:3: 'comment-id' is out of range (0 to {MAX_ID}): '{HUGE}'"),
        ({"comments": COMMENTS.replace("\n0,1,", f"\n0,{HUGE},")},
         "comments.csv:2: 'author-id' is out of range"),
        ({"comments": COMMENTS.replace(",1,hi", ",1,hi").replace("comment-id,", "timestamp,"
                                                                 "comment-id,")
          .replace("\n0,", f"\n{HUGE},0,").replace("\n1,", "\n1,1,")},
         "comments.csv:2: 'timestamp' is out of range"),
        ({"matrix": MATRIX.replace("\n2,", f"\n{HUGE},")},
         f"participants-votes.csv:3: 'participant' is out of range (0 to {MAX_ID}): '{HUGE}'"),
        ({"matrix": MATRIX.replace("\n2,", "\n-2,")},
         "participants-votes.csv:3: 'participant' is out of range"),
        ({"matrix": MATRIX.replace("\n1,0,", f"\n1,{HUGE},")},
         "participants-votes.csv:2: 'group-id' is out of range"),
        ({"matrix": MATRIX.replace(",0,1\n", f",0,{HUGE}\n"),
          "comments": COMMENTS.replace("\n1,2,", f"\n{HUGE},2,")},
         "comments.csv:3: 'comment-id' is out of range"),
        ({"matrix": MATRIX.replace(",0,1\n", f",0,{HUGE}\n")},
         f"participants-votes.csv:1: 'comment-id' is out of range (0 to {MAX_ID}): '{HUGE}'"),
        ({"matrix": MATRIX.replace(",0,1\n", ",0,\u00b2\n")},
         "participants-votes.csv:1: 'comment-id' is not an integer: '\u00b2'"),
        ({"votes": VOTES.replace("\n1435654192101,1,2,", f"\n1435654192101,1,{HUGE},")},
         "votes.csv:3: 'voter-id' is out of range"),
        ({"votes": VOTES.replace("\n1435654192100,", f"\n{MAX_MILLISECONDS + 1},")},
         "votes.csv:2: 'timestamp' is out of range"),
        ({"votes": VOTES.replace("\n1435654192100,", "\n" + "9" * 5000 + ",")},
         "votes.csv:2: 'timestamp' is out of range"),
        ({"votes": VOTES.replace("\n1435654192100,", "\n1e30,")},
         "votes.csv:2: 'timestamp' is out of range"),
    ],
)
def test_a_number_out_of_range_names_the_file_and_line(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    folder = export(tmp_path / "conv", files.get("comments", COMMENTS),
                    files.get("matrix", MATRIX), files.get("votes"))
    with pytest.raises(PolisFormatError) as caught:
        load_polis_export(folder)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 300


@settings(max_examples=60, deadline=None)
@given(
    column=st.sampled_from(["participant", "group-id", "vote column", "voter-id", "comment-id",
                            "timestamp"]),
    number=st.one_of(st.integers(), st.integers(-(2**70), 2**70)),
)
def test_any_integer_loads_or_is_a_format_error(
    tmp_path_factory: pytest.TempPathFactory, column: str, number: int
) -> None:
    folder = tmp_path_factory.mktemp("conv")
    matrix, votes = MATRIX, VOTES
    if column == "participant":
        matrix = MATRIX.replace("\n2,", f"\n{number},")
    elif column == "group-id":
        matrix = MATRIX.replace("\n1,0,", f"\n1,{number},")
    elif column == "vote column":
        matrix = MATRIX.replace(",0,1\n", f",0,{number}\n")
    elif column == "voter-id":
        votes = VOTES.replace("\n1435654192101,1,2,", f"\n1435654192101,1,{number},")
    elif column == "comment-id":
        votes = VOTES.replace("\n1435654192101,1,", f"\n1435654192101,{number},")
    else:
        votes = VOTES.replace("\n1435654192100,", f"\n{number},")
    uses_votes = column in ("voter-id", "comment-id", "timestamp")
    export(folder, COMMENTS, matrix, votes if uses_votes else None)
    try:
        loaded = load_polis_export(folder)
    except PolisFormatError as error:
        assert "\n" not in str(error) and str(folder) in str(error)
    else:
        ids = [*loaded.matrix.participant_ids, *loaded.matrix.statement_ids]
        assert all(0 <= int(i) <= MAX_ID for i in ids)
