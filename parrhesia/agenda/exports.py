"""The deliberation part of a member's download: everything of the agenda they may see."""

from __future__ import annotations

import json
import zipfile
from typing import TYPE_CHECKING, Any

from parrhesia.agenda.models import AgendaItem, Argument, Challenge, Question

if TYPE_CHECKING:
    from parrhesia.orgs.models import Organisation


def agenda_download_part(user: Any, organisation: Organisation, archive: zipfile.ZipFile) -> None:
    """agenda.json: items, motions with every version, suggestions, arguments with revisions
    and challenges; questions.json: the register of open questions."""
    if not user.has_perm("agenda.view", organisation):
        return
    items = AgendaItem.objects.filter(organisation=organisation).prefetch_related(
        "motions__versions", "motions__suggestions", "follow_ups"
    )
    arguments: dict[int, list[dict[str, Any]]] = {}
    challenges: dict[int, list[dict[str, Any]]] = {}
    for c in Challenge.objects.filter(argument__motion__item__organisation=organisation):
        challenges.setdefault(c.argument_id, []).append(
            {"id": c.pk, "author": c.author_id, "kind": c.kind, "text": c.text,
             "answer": c.answer, "created_at": c.created_at, "answered_at": c.answered_at}
        )  # fmt: skip
    for a in Argument.objects.filter(motion__item__organisation=organisation).prefetch_related(
        "revisions"
    ):
        arguments.setdefault(a.motion_id, []).append(
            {"id": a.pk, "parent": a.parent_id, "stance": a.stance, "author": a.author_id,
             "withdrawn_at": a.withdrawn_at, "created_at": a.created_at,
             "revisions": [{"number": r.number, "text": r.text, "at": r.created_at}
                           for r in a.revisions.all()],
             "challenges": challenges.get(a.pk, [])}
        )  # fmt: skip
    data = [
        {
            "id": item.pk, "title": item.title, "type": item.item_type, "phase": item.phase,
            "opened_at": item.opened_at, "opened_by": item.opened_by_id,
            "admission_quorum": item.admission_quorum,
            "alternative_quorum": item.alternative_quorum,
            "closing_reason": item.closing_reason, "outcome": item.outcome,
            "follow_ups": [{"status": f.status, "text": f.text, "at": f.created_at}
                           for f in item.follow_ups.all()],
            "motions": [
                {"id": m.pk, "title": m.title, "author": m.author_id, "status": m.status,
                 "alternative": m.is_alternative,
                 "versions": [{"number": v.number, "text": v.text, "note": v.note,
                               "at": v.created_at} for v in m.versions.all()],
                 "suggestions": [{"id": s.pk, "author": s.author_id, "base_version": s.base_version,
                                  "text": s.text, "status": s.status, "reason": s.decided_reason}
                                 for s in m.suggestions.all()],
                 "arguments": arguments.get(m.pk, [])}
                for m in item.motions.all()
            ],
        }
        for item in items
    ]  # fmt: skip
    questions = [
        {"id": q.pk, "title": q.title, "text": q.text, "author": q.author_id, "status": q.status,
         "studied_by": q.studied_by_id, "answer": q.answer_link, "reason": q.status_reason,
         "created_at": q.created_at,
         "links": [[link.kind, link.target_id] for link in q.links.all()]}
        for q in Question.objects.filter(organisation=organisation).prefetch_related("links")
    ]  # fmt: skip
    for name, value in (("agenda.json", data), ("questions.json", questions)):
        archive.writestr(name, json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")
