"""Members' texts: Markdown rendered once at write time and sanitised, and word diffs between two
versions rendered accessibly (screen readers hear "deleted"/"inserted", not only colours)."""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.translation import gettext as _

from parrhesia.kernel.texts import markdown_html as markdown_html  # the one renderer

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def diff_html(old: str, new: str) -> str:
    """A word-level diff of two texts as escaped HTML with <del>/<ins> and spoken labels."""
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    deleted, inserted = escape(_("deleted:")), escape(_("inserted:"))
    parts: list[str] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(before[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(
                f'<del><span class="visually-hidden">[{deleted} </span>'
                f'{escape("".join(before[a1:a2]))}<span class="visually-hidden"> ]</span></del>'
            )
        if op in ("insert", "replace"):
            parts.append(
                f'<ins><span class="visually-hidden">[{inserted} </span>'
                f'{escape("".join(after[b1:b2]))}<span class="visually-hidden"> ]</span></ins>'
            )
    return "".join(parts)


def diff_counts(old: str, new: str) -> tuple[int, int]:
    """Words deleted and inserted, for a one-line summary of a diff."""
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    removed = added = 0
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op != "equal":
            removed += sum(1 for t in before[a1:a2] if not t.isspace())
            added += sum(1 for t in after[b1:b2] if not t.isspace())
    return removed, added
