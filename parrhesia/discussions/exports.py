"""The threads' part of the organisation's download: discussions.json, every post with every text
it has had; a post the tribunal hides is there without its words, marked with its case."""

from __future__ import annotations

import json
import zipfile
from typing import Any

from parrhesia.discussions.models import Post
from parrhesia.orgs.models import Organisation
from parrhesia.tribunal.selectors import hidden_measures


def _entry(post: Post, measures: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": post.pk,
        "on": {"kind": post.anchor_kind, "id": post.anchor_id},
        "parent": post.parent_id,
        "author": post.author_id,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
    }
    measure = measures.get(str(post.pk))
    if measure is not None:
        return {**entry, "hidden": True, "case": measure.case.number}
    revisions = [r.text for r in post.revisions.all()]
    return {**entry, "text": post.text, "revisions": revisions}


def discussions_download_part(
    user: Any, organisation: Organisation, archive: zipfile.ZipFile
) -> None:
    if not user.has_perm("discussions.view", organisation):
        return
    posts = list(
        Post.objects.filter(organisation=organisation).prefetch_related("revisions").order_by("id")
    )
    measures: dict[str, Any] = {}
    ids = [post.pk for post in posts]
    for start in range(0, len(ids), 500):
        measures.update(hidden_measures("post", ids[start : start + 500]))
    data = [_entry(post, measures) for post in posts]
    archive.writestr(
        "discussions.json", json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    )
