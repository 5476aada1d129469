"""Read a Polis export folder (the format of github.com/compdemocracy/openData).

Files used:

* ``comments.csv`` — ``comment-id``, ``agrees``, ``disagrees``, ``moderated`` (-1 = moderated out);
* ``votes.csv`` (optional) — ``timestamp``, ``comment-id``, ``voter-id``, ``vote``; a (voter,
  comment) pair may repeat when a vote was changed: the latest by timestamp wins (ties: the later
  row). This is the raw source when present;
* ``participants-votes.csv`` — ``participant``, ``group-id`` (Polis's own clustering, blank = not
  clustered), then one column per comment id (1 / -1 / 0, blank = not seen). Used for the vote
  matrix when ``votes.csv`` is absent, and always for Polis's group ids.

Vote sign. Polis stores *agree as -1* in its database; the public exports write agree as +1. We
do not trust either: the sign is chosen so that the per-comment agree counts implied by the votes
match the ``agrees`` column of ``comments.csv`` best (see :func:`agree_sign`). Internally
agree = +1, disagree = -1, pass = 0 everywhere in this package.

Every format problem raises :class:`PolisFormatError` whose message names the file and line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from parrhesia.methods.opinion.matrix import BoolArray, VoteMatrix

COMMENTS = "comments.csv"
VOTES = "votes.csv"
PARTICIPANTS_VOTES = "participants-votes.csv"

# csv's default field limit (128 KiB) is too small for some long comment bodies.
csv.field_size_limit(16 * 1024 * 1024)


class PolisFormatError(ValueError):
    """The export folder is missing a file or a file has a malformed row."""


@dataclass(frozen=True)
class PolisExport:
    """A loaded conversation: the vote matrix plus what Polis itself computed."""

    matrix: VoteMatrix
    moderated_out: frozenset[str]
    polis_groups: dict[str, int | None]
    agree_sign: int
    source: str  # which file the votes came from
    vote_times: npt.NDArray[np.int64] | None = field(default=None, repr=False)
    """Per-vote timestamps aligned with the matrix's CSR data (``votes.csv`` only)."""


def _csv_lines(path: Path) -> Iterator[tuple[int, list[str], list[str]]]:
    """Yield (line number, header, row) of a CSV file; rows must match the header's width."""
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as error:
        raise PolisFormatError(f"{path}: cannot read ({error.strerror})") from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise PolisFormatError(f"{path}:1: empty file (a header row is expected)")
            for row in reader:
                if len(row) != len(header):
                    raise PolisFormatError(
                        f"{path}:{reader.line_num}: {len(row)} fields, header has {len(header)}"
                    )
                yield reader.line_num, header, row
        except csv.Error as error:
            raise PolisFormatError(f"{path}:{reader.line_num}: {error}") from None
        except UnicodeDecodeError:
            raise PolisFormatError(f"{path}:{reader.line_num}: not UTF-8 text") from None


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row as a dict keyed by the header); line numbers are 1-based."""
    for line, header, row in _csv_lines(path):
        yield line, dict(zip(header, row, strict=True))


def _int(path: Path, line: int, row: dict[str, str], column: str) -> int:
    if column not in row:
        raise PolisFormatError(f"{path}:1: no '{column}' column")
    value = row[column].strip()
    if not value:
        raise PolisFormatError(f"{path}:{line}: '{column}' is empty")
    try:
        return int(value)
    except ValueError:
        pass
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not number.is_integer():
        raise PolisFormatError(f"{path}:{line}: '{column}' is not an integer: {value!r}")
    return int(number)


_VOTE_TEXT = {"1": 1, "-1": -1, "0": 0, "1.0": 1, "-1.0": -1, "0.0": 0}


def _vote(path: Path, line: int, raw: str) -> int:
    vote = _VOTE_TEXT.get(raw.strip())
    if vote is None:
        raise PolisFormatError(f"{path}:{line}: vote must be -1, 0 or 1, got {raw!r}")
    return vote


@dataclass(frozen=True)
class _Comments:
    ids: list[str]
    agrees: dict[str, int]
    moderated_out: frozenset[str]


def read_comments(folder: Path) -> _Comments:
    path = folder / COMMENTS
    ids: list[str] = []
    agrees: dict[str, int] = {}
    moderated_out: set[str] = set()
    for line, row in _rows(path):
        comment = str(_int(path, line, row, "comment-id"))
        ids.append(comment)
        agrees[comment] = _int(path, line, row, "agrees") if "agrees" in row else 0
        if "moderated" in row and row["moderated"].strip() and _int(
            path, line, row, "moderated"
        ) == -1:
            moderated_out.add(comment)
    return _Comments(ids, agrees, frozenset(moderated_out))


@dataclass
class _RawVotes:
    voters: list[str]
    comments: list[str]
    votes: list[int]
    times: list[int]


def read_votes(folder: Path) -> _RawVotes:
    """All rows of votes.csv, in file order (duplicates resolved later)."""
    path = folder / VOTES
    raw = _RawVotes([], [], [], [])
    for line, row in _rows(path):
        raw.times.append(_int(path, line, row, "timestamp"))
        raw.comments.append(str(_int(path, line, row, "comment-id")))
        raw.voters.append(str(_int(path, line, row, "voter-id")))
        raw.votes.append(_vote(path, line, row.get("vote", "")))
    return raw


def read_participants_votes(
    folder: Path, with_votes: bool = True
) -> tuple[_RawVotes, dict[str, int | None]]:
    """The matrix view: votes (time unknown, 0) and Polis's group id per participant."""
    path = folder / PARTICIPANTS_VOTES
    groups: dict[str, int | None] = {}
    cells: list[list[str]] = []
    names: list[str] = []
    columns: list[int] = []
    id_columns: list[tuple[str, int]] = []
    for line, header, row in _csv_lines(path):
        if not names:  # the header is the same for every row
            names = header
            columns = [i for i, name in enumerate(header) if name.isdigit()]
            id_columns = [(n, i) for i, n in enumerate(header) if n in ("participant", "group-id")]
        ids = {name: row[i] for name, i in id_columns}
        participant = str(_int(path, line, ids, "participant"))
        group = ids.get("group-id", "").strip()
        groups[participant] = _int(path, line, ids, "group-id") if group else None
        if with_votes:
            cells.append([participant] + [row[i] for i in columns])
    raw = _RawVotes([], [], [], [])
    if cells and columns:
        _cells_to_votes(path, np.asarray(cells, dtype=str), [names[i] for i in columns], raw)
    return raw, groups


def _vote_codes(body: npt.NDArray[np.str_]) -> tuple[npt.NDArray[np.int64], BoolArray]:
    votes = np.zeros(body.shape, dtype=np.int64)
    valid = body == ""
    for text, value in _VOTE_TEXT.items():
        match = body == text
        votes[match] = value
        valid |= match
    return votes, valid


def _cells_to_votes(path: Path, table: npt.NDArray[np.str_], columns: list[str],
                    raw: _RawVotes) -> None:
    """Vectorised: the non-blank cells of the vote columns become vote triples."""
    votes, valid = _vote_codes(table[:, 1:])
    if not valid.all():  # maybe only padding: strip (slow, so only when needed) and retry
        table = np.char.strip(table)
        votes, valid = _vote_codes(table[:, 1:])
    if not valid.all():
        r, c = np.argwhere(~valid)[0]
        raise PolisFormatError(
            f"{path}:{r + 2}: vote must be -1, 0 or 1, got {table[r, c + 1]!r} "
            f"(column {columns[c]})"
        )
    rows, cols = np.nonzero(table[:, 1:] != "")
    raw.voters = table[rows, 0].tolist()
    raw.comments = np.asarray([str(int(c)) for c in columns])[cols].tolist()
    raw.votes = votes[rows, cols].tolist()
    raw.times = [0] * len(rows)


def agree_sign(matrix: VoteMatrix, agrees: dict[str, int]) -> int:
    """+1 if a vote of +1 means agree, -1 if Polis's internal convention (agree = -1) is used.

    Chooses the sign whose per-comment counts (latest votes) are closest (L1) to
    ``comments.csv``'s ``agrees``. Exports taken at slightly different moments disagree by a few
    votes; the wrong sign is off by thousands. Ties (e.g. no votes) keep +1, the export convention.
    """
    n = matrix.shape[1]
    plus = np.bincount(matrix.indices, weights=matrix.values > 0, minlength=n)
    minus = np.bincount(matrix.indices, weights=matrix.values < 0, minlength=n)
    expected = np.array([agrees.get(s, 0) for s in matrix.statement_ids], dtype=np.float64)
    return -1 if np.abs(expected - minus).sum() < np.abs(expected - plus).sum() else 1


def _id_order(ids: list[str]) -> list[str]:
    """Polis ids are integers; order them numerically (the order Polis created them)."""
    return sorted(set(ids), key=int)


def load_polis_export(folder: str | Path) -> PolisExport:
    """Load a Polis export folder into a :class:`PolisExport`."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PolisFormatError(f"{folder}: no such folder")
    for required in (COMMENTS, PARTICIPANTS_VOTES):
        if not (folder / required).is_file():
            raise PolisFormatError(f"{folder / required}: missing (a Polis export needs it)")
    comments = read_comments(folder)
    has_votes = (folder / VOTES).is_file()
    matrix_votes, polis_groups = read_participants_votes(folder, with_votes=not has_votes)
    raw = read_votes(folder) if has_votes else matrix_votes
    participants = _id_order(raw.voters + list(polis_groups))
    statements = _id_order(raw.comments + comments.ids)
    matrix, times = _build_matrix(raw, participants, statements)
    sign = agree_sign(matrix, comments.agrees)
    if sign < 0:
        matrix = VoteMatrix(matrix.participant_ids, matrix.statement_ids, matrix.indptr,
                            matrix.indices, -matrix.values)
    return PolisExport(
        matrix=matrix,
        moderated_out=comments.moderated_out,
        polis_groups=polis_groups,
        agree_sign=sign,
        source=VOTES if has_votes else PARTICIPANTS_VOTES,
        vote_times=times if has_votes else None,
    )


def _build_matrix(
    raw: _RawVotes, participants: list[str], statements: list[str]
) -> tuple[VoteMatrix, npt.NDArray[np.int64]]:
    row_of = {p: i for i, p in enumerate(participants)}
    col_of = {s: j for j, s in enumerate(statements)}
    rows = np.fromiter((row_of[v] for v in raw.voters), np.int64, len(raw.voters))
    cols = np.fromiter((col_of[c] for c in raw.comments), np.int64, len(raw.comments))
    values = np.asarray(raw.votes, dtype=np.float64)
    times = np.asarray(raw.times, dtype=np.int64)
    return VoteMatrix.from_votes(rows, cols, values, participants, statements, times=times)
