"""Erasing what a thread keeps of a post beyond its own row: its revisions (the registry's erase
hook, ``discussions/content.py``, calls this in the transaction of a verdict on personal data or
a lawful erasure request; the caller's ``record.redacted`` entry is on the record)."""

from __future__ import annotations

from parrhesia.discussions.models import Post, PostRevision


def post_revisions_erase(post: Post, replacement: str) -> list[str]:
    revisions = PostRevision.objects.filter(post=post)
    removed = [text for text in revisions.values_list("text", flat=True) if text]
    revisions.update(text=replacement)
    return removed
