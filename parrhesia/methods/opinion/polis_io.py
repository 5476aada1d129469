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
match the ``agrees`` column of ``comments.csv`` best (see :func:`detect_agree_sign`). Internally
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

from parrhesia.methods.opinion.matrix import VoteMatrix

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


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) of a CSV file with a header; line numbers are 1-based."""
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
                yield reader.line_num, dict(zip(header, row, strict=True))
        except csv.Error as error:
            raise PolisFormatError(f"{path}:{reader.line_num}: {error}") from None
        except UnicodeDecodeError:
            raise PolisFormatError(f"{path}:{reader.line_num}: not UTF-8 text") from None


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


def _vote(path: Path, line: int, raw: str) -> int:
    vote = {"1": 1, "-1": -1, "0": 0, "1.0": 1, "-1.0": -1, "0.0": 0}.get(raw.strip())
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


def read_participants_votes(folder: Path) -> tuple[_RawVotes, dict[str, int | None]]:
    """The matrix view: votes (time unknown, 0) and Polis's group id per participant."""
    path = folder / PARTICIPANTS_VOTES
    raw = _RawVotes([], [], [], [])
    groups: dict[str, int | None] = {}
    for line, row in _rows(path):
        participant = str(_int(path, line, row, "participant"))
        group = row.get("group-id", "").strip()
        groups[participant] = _int(path, line, row, "group-id") if group else None
        for column, cell in row.items():
            if column.isdigit() and cell.strip():
                raw.voters.append(participant)
                raw.comments.append(column)
                raw.votes.append(_vote(path, line, cell))
                raw.times.append(0)
    return raw, groups


def detect_agree_sign(raw: _RawVotes, agrees: dict[str, int]) -> int:
    """+1 if a vote of +1 means agree, -1 if Polis's internal convention (agree = -1) is used.

    Chooses the sign whose per-comment counts are closest (L1) to ``comments.csv``'s ``agrees``.
    Exports taken at slightly different moments disagree by a few votes; the wrong sign is off by
    thousands. Ties (e.g. no votes) keep +1, the export convention.
    """
    plus: dict[str, int] = {}
    minus: dict[str, int] = {}
    for comment, vote in zip(raw.comments, raw.votes, strict=True):
        if vote == 1:
            plus[comment] = plus.get(comment, 0) + 1
        elif vote == -1:
            minus[comment] = minus.get(comment, 0) + 1
    off_plus = sum(abs(n - plus.get(c, 0)) for c, n in agrees.items())
    off_minus = sum(abs(n - minus.get(c, 0)) for c, n in agrees.items())
    return -1 if off_minus < off_plus else 1


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
    matrix_votes, polis_groups = read_participants_votes(folder)
    has_votes = (folder / VOTES).is_file()
    raw = read_votes(folder) if has_votes else matrix_votes
    sign = detect_agree_sign(_latest_only(raw), comments.agrees)
    participants = _id_order(raw.voters + list(polis_groups))
    statements = _id_order(raw.comments + comments.ids)
    matrix, times = _build_matrix(raw, sign, participants, statements)
    return PolisExport(
        matrix=matrix,
        moderated_out=comments.moderated_out,
        polis_groups=polis_groups,
        agree_sign=sign,
        source=VOTES if has_votes else PARTICIPANTS_VOTES,
        vote_times=times if has_votes else None,
    )


def _latest_only(raw: _RawVotes) -> _RawVotes:
    latest: dict[tuple[str, str], tuple[int, int]] = {}
    for voter, comment, vote, time in zip(raw.voters, raw.comments, raw.votes, raw.times,
                                          strict=True):
        key = (voter, comment)
        if key not in latest or time >= latest[key][0]:
            latest[key] = (time, vote)
    out = _RawVotes([], [], [], [])
    for (voter, comment), (time, vote) in latest.items():
        out.voters.append(voter)
        out.comments.append(comment)
        out.votes.append(vote)
        out.times.append(time)
    return out


def _build_matrix(
    raw: _RawVotes, sign: int, participants: list[str], statements: list[str]
) -> tuple[VoteMatrix, npt.NDArray[np.int64]]:
    row_of = {p: i for i, p in enumerate(participants)}
    col_of = {s: j for j, s in enumerate(statements)}
    rows = np.fromiter((row_of[v] for v in raw.voters), np.int64, len(raw.voters))
    cols = np.fromiter((col_of[c] for c in raw.comments), np.int64, len(raw.comments))
    values = np.asarray(raw.votes, dtype=np.float64) * sign
    times = np.asarray(raw.times, dtype=np.int64)
    return VoteMatrix.from_votes(
        rows, cols, values, participants, statements, times=times
    )
