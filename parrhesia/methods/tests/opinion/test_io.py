"""Reading Polis exports: sign detection, latest vote wins, one-line errors."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parrhesia.methods.opinion import PolisFormatError, load_polis_export
from parrhesia.methods.opinion.matrix import VoteMatrix
from parrhesia.methods.opinion.polis_io import fast_matrix_view


def test_brexit_loads_with_export_sign(brexit_dir: Path) -> None:
    export = load_polis_export(brexit_dir)
    assert export.matrix.shape == (204, 50)
    assert export.agree_sign == 1
    assert export.source == "votes.csv"
    assert sum(g is not None for g in export.polis_groups.values()) == 197


def test_internal_polis_sign_is_detected(brexit_dir: Path, tmp_path: Path) -> None:
    flipped = tmp_path / "flipped"
    shutil.copytree(brexit_dir, flipped)
    votes = (flipped / "votes.csv").read_text().splitlines()
    out = [votes[0]]
    for line in votes[1:]:
        head, vote = line.rsplit(",", 1)
        out.append(f"{head},{-int(vote)}")
    (flipped / "votes.csv").write_text("\n".join(out) + "\n")
    original, mirrored = load_polis_export(brexit_dir), load_polis_export(flipped)
    assert mirrored.agree_sign == -1
    assert np.array_equal(original.matrix.values, mirrored.matrix.values)


def test_matrix_view_used_without_votes_csv(brexit_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "novotes"
    shutil.copytree(brexit_dir, folder)
    (folder / "votes.csv").unlink()
    export = load_polis_export(folder)
    assert export.source == "participants-votes.csv"
    assert export.vote_times is None
    assert export.matrix.n_votes == 5303


@pytest.mark.parametrize("votes_csv", [True, False])
@pytest.mark.parametrize(
    "rewrite",
    [
        pytest.param(lambda data: b"\xef\xbb\xbf" + data, id="utf-8 BOM (spreadsheets)"),
        pytest.param(lambda data: data.replace(b"\n", b"\r\n"), id="CRLF line ends"),
    ],
)
def test_files_saved_by_other_tools_read_the_same(
    brexit_dir: Path, tmp_path: Path, rewrite: Callable[[bytes], bytes], votes_csv: bool
) -> None:
    original, saved = tmp_path / "original", tmp_path / "saved"
    shutil.copytree(brexit_dir, original)
    if not votes_csv:
        (original / "votes.csv").unlink()
    saved.mkdir()
    for path in original.iterdir():
        (saved / path.name).write_bytes(rewrite(path.read_bytes()))
    before, after = load_polis_export(original), load_polis_export(saved)
    assert after.source == before.source
    assert after.matrix.participant_ids == before.matrix.participant_ids
    assert after.matrix.statement_ids == before.matrix.statement_ids
    assert np.array_equal(after.matrix.values, before.matrix.values)
    assert after.polis_groups == before.polis_groups
    assert after.moderated_out == before.moderated_out


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "no such folder"),
        ({"comments.csv": "comment-id,agrees\n0,1\n"}, "participants-votes.csv: missing"),
        (
            {"comments.csv": "comment-id,agrees\n0,1\nx,2\n",
             "participants-votes.csv": "participant,group-id,0\n1,,1\n"},
            "comments.csv:3: 'comment-id' is not an integer",
        ),
        (
            {"comments.csv": "comment-id,agrees\n0,1\n",
             "participants-votes.csv": "participant,group-id,0\n1,,7\n"},
            "participants-votes.csv:2: vote must be -1, 0 or 1",
        ),
        (
            {"comments.csv": "comment-id,agrees\n0,1\n",
             "participants-votes.csv": "participant,group-id,0\n1,\n"},
            "participants-votes.csv:2: 2 fields, header has 3",
        ),
    ],
)
def test_broken_input_names_file_and_line(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    folder = tmp_path / "conv"
    for name, text in files.items():
        _write(folder, name, text)
    with pytest.raises(PolisFormatError, match=message) as caught:
        load_polis_export(folder)
    assert "\n" not in str(caught.value)


def test_latest_vote_wins_by_timestamp() -> None:
    rows = np.array([0, 0, 0, 1])
    cols = np.array([1, 1, 0, 1])
    values = np.array([1.0, -1.0, 0.0, 1.0])
    times = np.array([5, 3, 1, 2])  # the +1 at t=5 is the latest for (0, 1)
    matrix, kept = VoteMatrix.from_votes(rows, cols, values, ["a", "b"], ["s", "t"], times)
    assert matrix.indptr.tolist() == [0, 2, 3]
    assert matrix.indices.tolist() == [0, 1, 1]
    assert matrix.values.tolist() == [0.0, 1.0, 1.0]
    assert kept.tolist() == [1, 5, 2]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 3), st.sampled_from([-1, 0, 1]),
                          st.integers(0, 3)), max_size=40))
def test_from_votes_matches_a_dict_of_latest(votes: list[tuple[int, int, int, int]]) -> None:
    latest: dict[tuple[int, int], tuple[int, int, int]] = {}
    for arrival, (r, c, v, t) in enumerate(votes):
        if (r, c) not in latest or (t, arrival) >= latest[(r, c)][:2]:
            latest[(r, c)] = (t, arrival, v)
    arrays = np.array(votes, dtype=np.int64).reshape(-1, 4).T
    matrix, _ = VoteMatrix.from_votes(arrays[0], arrays[1], arrays[2].astype(float),
                                      [str(i) for i in range(5)], [str(j) for j in range(4)],
                                      arrays[3])
    rows = matrix.row_of_vote()
    got = {(int(r), int(c)): int(v) for r, c, v in zip(rows, matrix.indices, matrix.values,
                                                      strict=True)}
    assert got == {key: v for key, (_, _, v) in latest.items()}


def _matrix_view_folder(folder: Path, cells: list[list[str]], quoted: bool) -> Path:
    """A conversation with only the matrix view; ``quoted`` forces the general csv reader."""
    folder.mkdir()
    (folder / "comments.csv").write_text("comment-id,agrees\n0,0\n1,0\n2,0\n")
    wrap = (lambda text: f'"{text}"') if quoted else (lambda text: text)
    lines = [",".join(map(wrap, ["participant", "group-id", "n-votes", "0", "1", "2"]))]
    for pid, row in enumerate(cells):
        group = "" if pid % 3 == 2 else str(pid % 2)
        lines.append(",".join(map(wrap, [str(pid), group, "0", *row])))
    (folder / "participants-votes.csv").write_text("\n".join(lines) + "\n")
    return folder


def _same_export(folder_a: Path, folder_b: Path) -> None:
    a, b = load_polis_export(folder_a), load_polis_export(folder_b)
    assert a.matrix.participant_ids == b.matrix.participant_ids
    assert a.matrix.statement_ids == b.matrix.statement_ids
    assert np.array_equal(a.matrix.indptr, b.matrix.indptr)
    assert np.array_equal(a.matrix.indices, b.matrix.indices)
    assert np.array_equal(a.matrix.values, b.matrix.values)
    assert a.polis_groups == b.polis_groups


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["", "1", "0", "-1"]), min_size=3, max_size=3),
                min_size=1, max_size=12))
def test_fast_matrix_view_reads_like_the_csv_reader(
    tmp_path_factory: pytest.TempPathFactory, cells: list[list[str]]
) -> None:
    root = tmp_path_factory.mktemp("view")
    plain = _matrix_view_folder(root / "plain", cells, quoted=False)
    quoted = _matrix_view_folder(root / "quoted", cells, quoted=True)
    _same_export(plain, quoted)


def test_padded_and_decimal_cells_fall_back_to_the_csv_reader(tmp_path: Path) -> None:
    plain = _matrix_view_folder(tmp_path / "plain", [["1", "", "-1"], ["0", "1", ""]], False)
    odd = _matrix_view_folder(tmp_path / "odd", [[" 1", "", "-1.0"], ["0.0", "1 ", ""]], False)
    _same_export(plain, odd)


def test_real_matrix_view_takes_the_fast_path(shared_polis: Path) -> None:
    folder = shared_polis / "american-assembly.bowling-green"
    data = (folder / "participants-votes.csv").read_bytes()
    view = fast_matrix_view(data, with_votes=True)
    assert view is not None and view.seen is not None
    assert int(view.seen.sum()) == load_polis_export(folder).matrix.n_votes


def test_vote_columns_need_not_be_adjacent(tmp_path: Path) -> None:
    text = {"plain": "participant,0,group-id,xid,1\n5,1,0,ab,-1\n7,,,cd,0\n",
            "quoted": '"participant","0","group-id","xid","1"\n5,1,0,ab,-1\n7,,,cd,0\n'}
    for name, body in text.items():
        _write(tmp_path / name, "comments.csv", "comment-id,agrees\n0,1\n1,0\n")
        _write(tmp_path / name, "participants-votes.csv", body)
    _same_export(tmp_path / "plain", tmp_path / "quoted")
    export = load_polis_export(tmp_path / "plain")
    assert export.polis_groups == {"5": 0, "7": None}
    assert export.matrix.values.tolist() == [1.0, -1.0, 0.0]
