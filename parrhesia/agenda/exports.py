"""The deliberation part of a member's download: everything of the agenda they may see.

Content the tribunal hides (docs/tribunal.md §1) keeps its place and its structure (ids, parent,
stance, status, dates) but not its words: it carries ``"hidden": true`` and the number of the
``"case"`` that hides it instead.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from parrhesia.agenda.models import AgendaItem, Argument, Challenge, Motion, Question
from parrhesia.tribunal.selectors import hidden_measures

if TYPE_CHECKING:
    from parrhesia.orgs.models import Organisation


def _hidden(kind: str, ids: list[int]) -> dict[str, Any]:
    """The measures hiding any of the ids now, a few hundred ids per query."""
    found: dict[str, Any] = {}
    for start in range(0, len(ids), 500):
        found.update(hidden_measures(kind, ids[start : start + 500]))
    return found


def _unless_hidden(
    entry: dict[str, Any], hidden: dict[str, Any], text_fields: tuple[str, ...]
) -> dict[str, Any]:
    """The entry as is, or without its words and marked with the case that hides it."""
    measure = hidden.get(str(entry["id"]))
    if measure is None:
        return entry
    for name in text_fields:
        entry.pop(name, None)
    entry["hidden"] = True
    entry["case"] = measure.case.number
    return entry


def agenda_download_part(user: Any, organisation: Organisation, archive: zipfile.ZipFile) -> None:
    """agenda.json: items, motions with every version, suggestions, arguments with revisions
    and challenges; questions.json: the register of open questions."""
    if not user.has_perm("agenda.view", organisation):
        return
    arguments = _arguments_by_motion(organisation)
    items = list(
        AgendaItem.objects.filter(organisation=organisation).prefetch_related(
            "motions__versions", "motions__suggestions", "follow_ups"
        )
    )
    motions = [m for item in items for m in item.motions.all()]
    hidden = _Hidden(
        motions=_hidden("motion", [m.pk for m in motions]),
        suggestions=_hidden("suggestion", [s.pk for m in motions for s in m.suggestions.all()]),
    )
    data = [_item_entry(item, arguments, hidden) for item in items]
    for name, value in (("agenda.json", data), ("questions.json", _questions(organisation))):
        archive.writestr(name, json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


@dataclass(frozen=True)
class _Hidden:
    motions: dict[str, Any]
    suggestions: dict[str, Any]


def _arguments_by_motion(organisation: Organisation) -> dict[int, list[dict[str, Any]]]:
    """Each motion's arguments, with their revisions and challenges."""
    challenges: dict[int, list[dict[str, Any]]] = {}
    challenge_rows = list(
        Challenge.objects.filter(argument__motion__item__organisation=organisation)
    )
    hidden_challenges = _hidden("challenge", [c.pk for c in challenge_rows])
    for c in challenge_rows:
        challenges.setdefault(c.argument_id, []).append(_unless_hidden(
            {"id": c.pk, "author": c.author_id, "kind": c.kind, "text": c.text,
             "answer": c.answer, "created_at": c.created_at, "answered_at": c.answered_at},
            hidden_challenges, ("text",),
        ))  # fmt: skip
    arguments: dict[int, list[dict[str, Any]]] = {}
    argument_rows = list(
        Argument.objects.filter(motion__item__organisation=organisation).prefetch_related(
            "revisions"
        )
    )
    hidden_arguments = _hidden("argument", [a.pk for a in argument_rows])
    for a in argument_rows:
        hidden = str(a.pk) in hidden_arguments
        arguments.setdefault(a.motion_id, []).append(_unless_hidden(
            {"id": a.pk, "parent": a.parent_id, "stance": a.stance, "author": a.author_id,
             "withdrawn_at": a.withdrawn_at, "created_at": a.created_at,
             "revisions": [{"number": r.number, "at": r.created_at}
                           | ({} if hidden else {"text": r.text})
                           for r in a.revisions.all()],
             "challenges": challenges.get(a.pk, [])},
            hidden_arguments, (),
        ))  # fmt: skip
    return arguments


def _item_entry(
    item: AgendaItem, arguments: dict[int, list[dict[str, Any]]], hidden: _Hidden
) -> dict[str, Any]:
    return {
        "id": item.pk, "title": item.title, "type": item.item_type, "phase": item.phase,
        "opened_at": item.opened_at, "opened_by": item.opened_by_id,
        "admission_quorum": item.admission_quorum,
        "alternative_quorum": item.alternative_quorum,
        "closing_reason": item.closing_reason, "outcome": item.outcome,
        "follow_ups": [{"status": f.status, "text": f.text, "at": f.created_at}
                       for f in item.follow_ups.all()],
        "motions": [_motion_entry(m, arguments, hidden) for m in item.motions.all()],
    }  # fmt: skip


def _motion_entry(
    m: Motion, arguments: dict[int, list[dict[str, Any]]], hidden: _Hidden
) -> dict[str, Any]:
    return _unless_hidden(
        {"id": m.pk, "title": m.title, "author": m.author_id, "status": m.status,
         "alternative": m.is_alternative,
         "versions": [{"number": v.number, "at": v.created_at}
                      | ({} if str(m.pk) in hidden.motions else {"text": v.text, "note": v.note})
                      for v in m.versions.all()],
         "suggestions": [
             _unless_hidden(
                 {"id": s.pk, "author": s.author_id, "base_version": s.base_version,
                  "text": s.text, "explanation": s.explanation, "status": s.status,
                  "reason": s.decided_reason},
                 hidden.suggestions, ("text", "explanation"),
             )
             for s in m.suggestions.all()
         ],
         "arguments": arguments.get(m.pk, [])},
        hidden.motions, ("title",),
    )  # fmt: skip


def _questions(organisation: Organisation) -> list[dict[str, Any]]:
    question_rows = list(
        Question.objects.filter(organisation=organisation).prefetch_related("links")
    )
    hidden_questions = _hidden("question", [q.pk for q in question_rows])
    return [
        _unless_hidden(
            {"id": q.pk, "title": q.title, "text": q.text, "author": q.author_id,
             "status": q.status, "studied_by": q.studied_by_id, "answer": q.answer_link,
             "reason": q.status_reason, "created_at": q.created_at,
             "links": [[link.kind, link.target_id] for link in q.links.all()]},
            hidden_questions, ("title", "text"),
        )
        for q in question_rows
    ]  # fmt: skip
