"""Reading a Polis export folder for ``parrhesia opinion import`` (the engine validates it).

The engine's reader (``methods/opinion/polis_io.py``) checks the files, chooses the vote sign
and builds the matrix; this adds what a conversation keeps besides: comment texts, authors and
times, the full vote history, the summary's topic and description, and each file's SHA-256.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.utils import timezone

from parrhesia.kernel.cells import formula_unguard
from parrhesia.methods.opinion import PolisFormatError, load_polis_export
from parrhesia.methods.opinion.polis_io import COMMENTS, PARTICIPANTS_VOTES, VOTES, read_votes
from parrhesia.opinion.models import Mark

SUMMARY = "summary.csv"
MISSING_TEXT = "(the export has no text for this statement)"


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    body: str
    created_at: datetime
    mark: str


@dataclass(frozen=True)
class Cast:
    voter: str
    comment: str
    value: int
    cast_at: datetime


def _moment(milliseconds: str | int, fallback: datetime) -> datetime:
    try:
        value = int(milliseconds)
    except (TypeError, ValueError):
        return fallback
    return datetime.fromtimestamp(value / 1000, tz=UTC) if value > 0 else fallback


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class PolisImport:
    topic: str
    description: str
    participant_ids: list[str]
    comments: list[Comment]
    casts: list[Cast]  # in time order
    digests: dict[str, str]

    @classmethod
    def read(cls, folder: str | Path) -> PolisImport:
        """Raises PolisFormatError (one line naming the file and line) on broken input."""
        folder = Path(folder)
        export = load_polis_export(folder)
        now = timezone.now()
        comments = _comments(folder / COMMENTS, now)
        known = {c.id for c in comments}
        comments += [
            Comment(sid, "", MISSING_TEXT, now, "")
            for sid in export.matrix.statement_ids
            if sid not in known
        ]
        casts = _casts(folder, export, now)
        voters = {c.voter for c in casts} | set(export.matrix.participant_ids)
        authors = {c.author for c in comments if c.author}
        summary = _summary(folder / SUMMARY)
        return cls(
            topic=summary.get("topic", ""),
            description=summary.get("conversation-description", ""),
            participant_ids=sorted(voters | authors, key=int),
            comments=sorted(comments, key=lambda c: int(c.id)),
            casts=casts,
            digests={
                name: _digest(folder / name)
                for name in (COMMENTS, VOTES, PARTICIPANTS_VOTES, SUMMARY)
                if (folder / name).is_file()
            },
        )

    def latest(self) -> dict[tuple[str, str], tuple[int, int, datetime]]:
        """(voter, comment) → (latest value, number of changes, time of the latest cast)."""
        out: dict[tuple[str, str], tuple[int, int, datetime]] = {}
        for cast in self.casts:
            key = (cast.voter, cast.comment)
            previous = out.get(key)
            changes = 0 if previous is None else previous[1] + (previous[0] != cast.value)
            out[key] = (cast.value, changes, cast.cast_at)
        return out


def _comments(path: Path, now: datetime) -> list[Comment]:
    out = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            sid = (row.get("comment-id") or "").strip()
            if not sid.isdigit():
                raise PolisFormatError(f"{path}:{line}: comment-id must be an integer")
            author = (row.get("author-id") or "").strip()
            if author and not author.lstrip("-").isdigit():
                raise PolisFormatError(f"{path}:{line}: author-id must be an integer")
            mark = (row.get("parrhesia-mark") or "").strip()
            if mark not in Mark.values:
                raise PolisFormatError(f"{path}:{line}: unknown parrhesia-mark {mark!r}")
            if not mark and (row.get("moderated") or "").strip() == "-1":
                mark = Mark.OFF_TOPIC
            text = formula_unguard(row.get("comment-body") or "")  # kernel.cells
            body = " ".join(text.split()) or MISSING_TEXT
            out.append(
                Comment(
                    sid,
                    author if author and int(author) >= 0 else "",
                    body,
                    _moment(row.get("timestamp") or "", now),
                    mark,
                )
            )
    return out


def _casts(folder: Path, export: object, now: datetime) -> list[Cast]:
    sign = export.agree_sign  # type: ignore[attr-defined]
    if (folder / VOTES).is_file():
        raw = read_votes(folder)
        order = sorted(range(len(raw.times)), key=lambda i: raw.times[i])  # stable
        return [
            Cast(
                raw.voters[i], raw.comments[i], int(raw.votes[i]) * sign, _moment(raw.times[i], now)
            )
            for i in order
        ]
    matrix = export.matrix  # type: ignore[attr-defined]
    rows = matrix.row_of_vote().tolist()
    return [
        Cast(matrix.participant_ids[r], matrix.statement_ids[c], int(v), now)
        for r, c, v in zip(rows, matrix.indices.tolist(), matrix.values.tolist(), strict=True)
    ]


def _summary(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return {row[0]: formula_unguard(row[1]) for row in csv.reader(handle) if len(row) >= 2}
