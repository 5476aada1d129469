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

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from parrhesia.methods.opinion.matrix import BoolArray, IntArray, VoteMatrix

COMMENTS = "comments.csv"
VOTES = "votes.csv"
PARTICIPANTS_VOTES = "participants-votes.csv"

# csv's default field limit (128 KiB) is too small for some long comment bodies.
csv.field_size_limit(16 * 1024 * 1024)


class PolisFormatError(ValueError):
    """The export folder is missing a file or a file has a malformed row."""


MAX_ID = 2**31 - 1
"""Polis's participant and comment ids are PostgreSQL ``integer`` columns: 0 to 2**31 - 1."""
MAX_MILLISECONDS = 253_370_764_800_000
"""9999-01-01T00:00:00Z: a timestamp (ms since 1970) is at most this, so it is a date."""
_RANGES = {
    "timestamp": (-MAX_MILLISECONDS, MAX_MILLISECONDS),
    "author-id": (-MAX_ID - 1, MAX_ID),  # Polis writes -1 for "no author"
    "agrees": (-(2**53), 2**53),
    "moderated": (-(2**53), 2**53),
}
_ID_RANGE = (0, MAX_ID)


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
        handle = path.open(newline="", encoding="utf-8-sig")  # a BOM (spreadsheets) is skipped
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
    """The whole number in ``column``, within that column's range (an id: ``0..MAX_ID``)."""
    if column not in row:
        raise PolisFormatError(f"{path}:1: no '{column}' column")
    value = row[column].strip()
    if not value:
        raise PolisFormatError(f"{path}:{line}: '{column}' is empty")
    low, high = _RANGES.get(column, _ID_RANGE)
    if len(value) > 30:  # past any range here; int() of thousands of digits is refused anyway
        raise PolisFormatError(f"{path}:{line}: '{column}' is out of range: {_clip(value)!r}")
    try:
        number = int(value)
    except ValueError:
        try:
            real = float(value)
        except ValueError:
            real = float("nan")
        if not real.is_integer():
            raise PolisFormatError(
                f"{path}:{line}: '{column}' is not an integer: {_clip(value)!r}"
            ) from None
        number = int(real)
    if not low <= number <= high:
        raise PolisFormatError(
            f"{path}:{line}: '{column}' is out of range ({low} to {high}): {_clip(value)!r}"
        )
    return number


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _column_ids(path: Path, names: list[str], columns: list[int]) -> npt.NDArray[np.int64]:
    """The comment ids that head the vote columns (line 1), each in ``0..MAX_ID``."""
    return np.asarray(
        [_int(path, 1, {"comment-id": names[i]}, "comment-id") for i in columns], dtype=np.int64
    )


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
        for column in ("author-id", "timestamp"):  # read by the importer: checked here
            if row.get(column, "").strip():
                _int(path, line, row, column)
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


@dataclass(frozen=True)
class _MatrixView:
    """``participants-votes.csv`` parsed: ids, Polis groups and the dense block of votes."""

    participants: npt.NDArray[np.int64]  # Polis participant id per row
    groups: dict[str, int | None]
    comments: npt.NDArray[np.int64]  # comment id per vote column
    votes: npt.NDArray[np.int64] | None  # rows × vote columns (None: not asked for)
    seen: BoolArray | None  # False = blank cell


def _read_matrix_view(path: Path, with_votes: bool) -> _MatrixView:
    """Parse ``participants-votes.csv``: the byte-level fast path, else the ``csv`` reader."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PolisFormatError(f"{path}: cannot read ({error.strerror})") from None
    fast = fast_matrix_view(data.removeprefix(codecs.BOM_UTF8), with_votes)
    return fast if fast is not None else _csv_matrix_view(path, with_votes)


_COMMA, _NEWLINE, _MINUS, _ONE, _ZERO = (ord(c) for c in ",\n-10")


def fast_matrix_view(data: bytes, with_votes: bool) -> _MatrixView | None:
    """Vectorised parse of a plain file (no quotes, no CR, every cell well-formed), else None.

    The file is 1.8 M cells for a conversation of 2,000 × 900; splitting it with the ``csv``
    module costs most of the load time. Here the field separators are found in the raw bytes,
    each vote cell is read from its length and first byte ('' / '1' / '0' / '-1'), and only the
    id columns are decoded per row. Anything unusual (quoting, CR line ends, ragged rows, '1.0',
    padded cells, a malformed id) returns None, and the ``csv`` reader then parses the file and
    reports the first problem with its line number.
    """
    if b'"' in data or b"\r" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    end = data.find(b"\n")
    if end <= 0:
        return None
    names = data[:end].decode("utf-8").split(",")
    body = np.frombuffer(data, dtype=np.uint8, offset=end + 1)
    if body.size == 0:
        return None
    if body[-1] != _NEWLINE:
        body = np.append(body, np.uint8(_NEWLINE))
    seps = np.flatnonzero((body == _COMMA) | (body == _NEWLINE))
    width = len(names)
    if len(seps) % width:
        return None
    n_rows = len(seps) // width
    is_end = (body[seps] == _NEWLINE).reshape(n_rows, width)
    if not (is_end[:, -1].all() and not is_end[:, :-1].any()):
        return None
    ends = seps.reshape(n_rows, width)
    after = np.empty_like(seps)  # each field starts after the previous separator
    after[0] = 0
    after[1:] = seps[:-1] + 1
    starts = after.reshape(n_rows, width)
    columns = [i for i, name in enumerate(names) if name.isdigit()]
    try:
        participants = _int_cells(data, end + 1, starts[:, names.index("participant")],
                                  ends[:, names.index("participant")])
        comments = np.asarray([int(names[i]) for i in columns], dtype=np.int64)
    except (ValueError, OverflowError):
        return None
    if not (_in_id_range(participants) and _in_id_range(comments)):
        return None  # the csv reader names the line
    groups: dict[str, int | None] = {}
    if "group-id" in names:
        g = names.index("group-id")
        for pid, start, stop in zip(participants.tolist(), starts[:, g].tolist(),
                                    ends[:, g].tolist(), strict=True):
            text = data[end + 1 + start: end + 1 + stop]
            try:
                group = int(text) if text else None
            except ValueError:
                return None
            if group is not None and not 0 <= group <= MAX_ID:
                return None
            groups[str(pid)] = group
    else:
        groups = {str(pid): None for pid in participants.tolist()}
    votes = seen = None
    if with_votes:
        block: slice | list[int] = columns
        if columns and columns == list(range(columns[0], columns[-1] + 1)):
            block = slice(columns[0], columns[-1] + 1)  # the usual layout: a view, no copy
        lengths = ends[:, block] - starts[:, block]
        padded = np.concatenate([body, np.zeros(1, dtype=np.uint8)])
        first = padded[starts[:, block]]
        second = padded[starts[:, block] + 1]
        one = (lengths == 1) & (first == _ONE)
        zero = (lengths == 1) & (first == _ZERO)
        minus = (lengths == 2) & (first == _MINUS) & (second == _ONE)
        if not (one | zero | minus | (lengths == 0)).all():
            return None
        votes = one.astype(np.int64) - minus.astype(np.int64)
        seen = lengths > 0
    return _MatrixView(participants, groups, comments, votes, seen)


def _in_id_range(ids: IntArray) -> bool:
    return bool(((ids >= 0) & (ids <= MAX_ID)).all())


def _int_cells(data: bytes, offset: int, starts: IntArray, ends: IntArray) -> IntArray:
    """Decode one column of integer cells (raises ValueError on anything else)."""
    values = [int(data[offset + a: offset + b]) for a, b in zip(starts.tolist(), ends.tolist(),
                                                                strict=True)]
    return np.asarray(values, dtype=np.int64)


def _csv_matrix_view(path: Path, with_votes: bool) -> _MatrixView:
    """The general reader (quoted fields, padding, '1.0' cells) with line-numbered errors."""
    groups: dict[str, int | None] = {}
    participants: list[int] = []
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
        participant = _int(path, line, ids, "participant")
        participants.append(participant)
        group = ids.get("group-id", "").strip()
        groups[str(participant)] = _int(path, line, ids, "group-id") if group else None
        if with_votes:
            cells.append([row[i] for i in columns])
    comments = _column_ids(path, names, columns)
    votes = seen = None
    if with_votes:
        table = np.asarray(cells, dtype=str).reshape(len(cells), len(columns))
        votes, seen = _cells_to_votes(path, table, [names[i] for i in columns])
    return _MatrixView(np.asarray(participants, dtype=np.int64), groups, comments, votes, seen)


def _vote_codes(body: npt.NDArray[np.str_]) -> tuple[npt.NDArray[np.int64], BoolArray]:
    votes = np.zeros(body.shape, dtype=np.int64)
    valid = body == ""
    for text, value in _VOTE_TEXT.items():
        match = body == text
        votes[match] = value
        valid |= match
    return votes, valid


def _cells_to_votes(path: Path, table: npt.NDArray[np.str_], columns: list[str]
                    ) -> tuple[npt.NDArray[np.int64], BoolArray]:
    """Vectorised: vote codes and seen flags of the vote cells (blank = not seen)."""
    votes, valid = _vote_codes(table)
    if not valid.all():  # maybe only padding: strip (slow, so only when needed) and retry
        table = np.char.strip(table)
        votes, valid = _vote_codes(table)
    if not valid.all():
        r, c = np.argwhere(~valid)[0]
        raise PolisFormatError(
            f"{path}:{r + 2}: vote must be -1, 0 or 1, got {table[r, c]!r} "
            f"(column {columns[c]})"
        )
    return votes, table != ""


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
    view = _read_matrix_view(folder / PARTICIPANTS_VOTES, with_votes=not has_votes)
    if has_votes:
        raw = read_votes(folder)
        voters = _ints(raw.voters)
        commented = _ints(raw.comments)
        values = np.asarray(raw.votes, dtype=np.float64)
        times = np.asarray(raw.times, dtype=np.int64)
    else:
        assert view.votes is not None and view.seen is not None
        rows, cols = np.nonzero(view.seen)
        voters, commented = view.participants[rows], view.comments[cols]
        values = view.votes[rows, cols].astype(np.float64)
        times = np.zeros(len(rows), dtype=np.int64)
    # Polis ids are integers; numeric order is the order Polis created them.
    participants = np.unique(np.concatenate([voters, view.participants]))
    statements = np.unique(np.concatenate([commented, _ints(comments.ids)]))
    matrix, kept_times = VoteMatrix.from_votes(
        np.searchsorted(participants, voters), np.searchsorted(statements, commented), values,
        participants.astype(str).tolist(), statements.astype(str).tolist(), times=times)
    sign = agree_sign(matrix, comments.agrees)
    if sign < 0:
        matrix = VoteMatrix(matrix.participant_ids, matrix.statement_ids, matrix.indptr,
                            matrix.indices, -matrix.values)
    return PolisExport(
        matrix=matrix,
        moderated_out=comments.moderated_out,
        polis_groups=view.groups,
        agree_sign=sign,
        source=VOTES if has_votes else PARTICIPANTS_VOTES,
        vote_times=kept_times if has_votes else None,
    )


def _ints(ids: list[str]) -> npt.NDArray[np.int64]:
    return np.fromiter(map(int, ids), dtype=np.int64, count=len(ids))
