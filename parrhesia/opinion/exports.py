"""Conversations in Polis's export format, and the opinion part of a member's download.

Polis's files (the de-facto standard, github.com/compdemocracy/openData):

* ``comments.csv`` — timestamp (ms), datetime, comment-id, author-id, agrees, disagrees,
  moderated (-1 = left out of the analysis: our off-topic and meta marks), comment-body; we add
  ``parrhesia-mark`` (``off_topic``/``meta``/empty) before the body so an import keeps the mark;
* ``votes.csv`` — every cast in time order (a changed vote appears again; the latest wins);
* ``participants-votes.csv`` — one row per participant: participant, group-id (the newest
  analysis; blank = not clustered), n-comments, n-votes, n-agree, n-disagree, then one column per
  comment id (1 agree, -1 disagree, 0 pass, blank unseen);
* ``summary.csv`` — key, value rows (topic, url, voters, commenters, comments, groups, …).

Agree is +1 as in Polis's public exports. Participant ids are the conversation's participant
numbers, meaningless outside it (like Polis's); they do not name members.

Free text cannot become a spreadsheet formula (OWASP's advice, ``kernel.cells.formula_guard``):
the free-text cells — ``comments.csv``'s ``comment-body`` and ``summary.csv``'s values (topic,
url, description) — get a leading ``'`` when they start with ``= + - @``, a tab or a carriage
return. Numbers (votes ``-1``, ids, counts) are data and are never touched. ``parrhesia opinion
import`` takes the ``'`` off again, so an export imports as the conversation it came from.

Content the tribunal hides (docs/tribunal.md §1) keeps its place without its words: a hidden
statement keeps its ``comments.csv`` row (id, author, counts; its votes stay, so the matrix and
any analysis still add up) with an empty ``comment-body`` (an import reads it as a statement
with no text); a hidden conversation's topic and description are left out of ``summary.csv``. In
a member's download (``conversations.json``) hidden statements and conversations carry
``"hidden": true`` and the ``"case"`` number instead of their text.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from parrhesia.kernel.access import active_membership
from parrhesia.kernel.cells import formula_guard, guarded_row
from parrhesia.opinion.models import Analysis, Conversation, Participant, Statement, VoteCast
from parrhesia.tribunal.selectors import hidden_measure, hidden_measures

if TYPE_CHECKING:
    from parrhesia.orgs.models import Organisation

POLIS_FILES = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _polis_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a %b %d %H:%M:%S UTC %Y")


def _csv_text(header: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _hidden(kind: str, ids: list[int]) -> dict[str, Any]:
    """The tribunal's measures hiding any of the ids now, a few hundred ids per query."""
    found: dict[str, Any] = {}
    for start in range(0, len(ids), 500):
        found.update(hidden_measures(kind, ids[start : start + 500]))
    return found


def polis_files(conversation: Conversation, site_url: str = "") -> dict[str, str]:
    """The four Polis CSV files of a conversation, by name (seven queries)."""
    statements = list(Statement.objects.filter(conversation=conversation).order_by("number"))
    hidden = _hidden("statement", [s.pk for s in statements])
    topic_hidden = hidden_measure("conversation", conversation.pk) is not None
    numbers = {p.pk: p.number for p in Participant.objects.filter(conversation=conversation)}
    casts = list(
        VoteCast.objects.filter(conversation=conversation)
        .order_by("cast_at", "id")
        .values_list("participant_id", "statement_id", "value", "cast_at")
    )
    analysis = Analysis.objects.filter(conversation=conversation).first()
    result = analysis.result if analysis else {}
    placed = result.get("participants", {}) or {}
    number_of_statement = {s.pk: s.number for s in statements}
    latest: dict[tuple[int, int], int] = {}
    for participant, statement, value, _ in casts:
        latest[(numbers[participant], number_of_statement[statement])] = value
    per_participant: dict[int, dict[int, int]] = defaultdict(dict)
    for (participant, statement), value in latest.items():
        per_participant[participant][statement] = value
    authored: dict[int, int] = defaultdict(int)
    for s in statements:
        if s.author_id is not None:
            authored[numbers[s.author_id]] += 1
    votes = [
        [_ms(at), _polis_date(at), number_of_statement[statement], numbers[participant], value]
        for participant, statement, value, at in casts
    ]
    columns = [s.number for s in statements]
    summary = [
        ["topic", "" if topic_hidden else conversation.topic],
        ["url", site_url],
        ["views", ""],
        ["voters", len(per_participant)],
        ["voters-in-conv", sum(1 for p in placed.values() if p.get("group") is not None)],
        ["commenters", len(authored)],
        ["comments", len(statements)],
        ["groups", len(result.get("groups", []))],
        ["conversation-description", "" if topic_hidden else conversation.description],
    ]
    summary_buffer = io.StringIO()
    csv.writer(summary_buffer, lineterminator="\n").writerows(guarded_row(r) for r in summary)
    return {
        "comments.csv": _csv_text(COMMENTS_HEADER, _comment_rows(statements, numbers, hidden)),
        "votes.csv": _csv_text(["timestamp", "datetime", "comment-id", "voter-id", "vote"], votes),
        "participants-votes.csv": _csv_text(
            MATRIX_HEADER + [str(c) for c in columns],
            _matrix_rows(sorted(set(numbers.values())), columns, per_participant, authored, placed),
        ),
        "summary.csv": summary_buffer.getvalue(),
    }


COMMENTS_HEADER = [
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "parrhesia-mark",
    "comment-body",
]
MATRIX_HEADER = ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]


def _comment_rows(
    statements: list[Statement], numbers: dict[int, int], hidden: dict[str, Any]
) -> list[list[Any]]:
    """comments.csv: a hidden statement keeps its row without its words."""
    return [
        [
            _ms(s.created_at),
            _polis_date(s.created_at),
            s.number,
            numbers.get(s.author_id, "") if s.author_id else "",
            s.n_agree,
            s.n_disagree,
            -1 if s.mark else 1,
            s.mark,
            "" if str(s.pk) in hidden else formula_guard(s.text),
        ]
        for s in statements
    ]


def _matrix_rows(
    participants: list[int],
    columns: list[int],
    per_participant: dict[int, dict[int, int]],
    authored: dict[int, int],
    placed: dict[str, Any],
) -> list[list[Any]]:
    """participants-votes.csv: each participant's group, counts and latest vote per comment."""
    rows = []
    for participant in participants:
        cast = per_participant.get(participant, {})
        group = (placed.get(str(participant)) or {}).get("group")
        rows.append(
            [
                participant,
                "" if group is None else group,
                authored[participant],
                len(cast),
                sum(v == 1 for v in cast.values()),
                sum(v == -1 for v in cast.values()),
            ]
            + [cast.get(c, "") for c in columns]
        )
    return rows


def polis_zip_write(conversation: Conversation, fp: IO[bytes], site_url: str = "") -> None:
    with zipfile.ZipFile(fp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in polis_files(conversation, site_url).items():
            archive.writestr(name, text)


def polis_folder_write(conversation: Conversation, folder: Path, site_url: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in polis_files(conversation, site_url).items():
        (folder / name).write_text(text, encoding="utf-8")


def opinion_download_part(user: Any, organisation: Organisation, archive: zipfile.ZipFile) -> None:
    """conversations.json (statements with their public counts and marks) and, for a member,
    opinion_my_votes.csv (their own casts). Everyone's individual votes are on the record."""
    conversations = list(Conversation.objects.filter(organisation=organisation).order_by("pk"))
    hidden_conversations = _hidden("conversation", [c.pk for c in conversations])
    # The public counts are the statements' own columns (kept by the vote service).
    counted = list(Statement.objects.filter(conversation__in=conversations).order_by("number"))
    hidden = _hidden("statement", [s.pk for s in counted])
    by_conversation: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for s in counted:
        measure = hidden.get(str(s.pk))
        by_conversation[s.conversation_id].append(
            {
                "number": s.number,
                **({"hidden": True, "case": measure.case.number} if measure else {"text": s.text}),
                "mark": s.mark or None,
                "mark_reason": s.mark_reason,
                "agree": s.n_agree,
                "disagree": s.n_disagree,
                "pass": s.n_pass,
                "changed_mind": s.n_changed,
                "added_at": s.created_at.isoformat(),
            }
        )
    document = [
        {
            "id": c.pk,
            **(
                {"hidden": True, "case": hidden_conversations[str(c.pk)].case.number}
                if str(c.pk) in hidden_conversations
                else {"topic": c.topic, "description": c.description}
            ),
            "attached": {"kind": c.attached_kind, "id": c.attached_id} if c.attached_kind else None,
            "opened_at": c.opened_at.isoformat(),
            "closed_at": c.closed_at.isoformat() if c.closed_at else None,
            "imported_from": c.imported_from or None,
            "statements": by_conversation[c.pk],
        }
        for c in conversations
    ]
    archive.writestr(
        "conversations.json", json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    )
    membership = active_membership(user, organisation)
    if membership is None:
        return
    mine = (
        VoteCast.objects.filter(
            conversation__organisation=organisation, participant__membership=membership
        )
        .order_by("id")
        .values_list("conversation_id", "statement__number", "value", "cast_at")
    )
    archive.writestr(
        "opinion_my_votes.csv",
        _csv_text(
            ["conversation", "statement", "vote", "cast_at"],
            [
                [c, n, {1: "agree", -1: "disagree", 0: "pass"}[v], at.isoformat()]
                for c, n, v, at in mine
            ],
        ),
    )
