"""Search over agenda items, motions, arguments and open questions: one interface, two engines.

SQLite: a raw FTS5 virtual table, ``agenda_search``, kept up to date by the services (created by
migration 0002 on SQLite only). PostgreSQL: full-text search (``SearchVector``/``SearchRank``)
over the tables themselves, so nothing needs maintaining there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.utils.html import escape
from django.utils.translation import pgettext_lazy

from parrhesia.agenda.models import AgendaItem, Argument, Motion, Question

if TYPE_CHECKING:
    from parrhesia.orgs.models import Organisation

KINDS = ("item", "motion", "argument", "question")
KIND_LABELS = {
    "item": pgettext_lazy("search result kind", "Agenda item"),
    "motion": pgettext_lazy("search result kind", "Motion"),
    "argument": pgettext_lazy("search result kind", "Argument"),
    "question": pgettext_lazy("search result kind", "Open question"),
}
LIMIT = 50
_WORD = re.compile(r"\w+", re.UNICODE)
_OPEN, _CLOSE = "\x02", "\x03"
# A snippet is read as plain text: the Markdown a text was written in is not shown raw.
_MARKDOWN = [
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)?"), r"\1"),  # a link or an image: its words
    (re.compile(r"(?m)^[ \t]*(#{1,6}|>+|[-*+]|\d+[.)])[ \t]+"), ""),  # headings, quotes, lists
    (re.compile(r"\*\*|__|~~|`+|(?<!\w)[*_]|[*_](?!\w)"), ""),  # emphasis, code
    (re.compile(r"\s+"), " "),
]


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    title: str
    snippet_html: str

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


def _fts() -> bool:
    return connection.vendor == "sqlite"


def index_put(organisation: Organisation, kind: str, object_id: int, title: str, body: str) -> None:
    """Index (or re-index) one object, in the caller's transaction."""
    if not _fts():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM agenda_search WHERE kind = %s AND object_id = %s", [kind, object_id]
        )
        cursor.execute(
            "INSERT INTO agenda_search (organisation_id, kind, object_id, title, body) "
            "VALUES (%s, %s, %s, %s, %s)",
            [organisation.pk, kind, object_id, title, body],
        )


def index_drop(kind: str, object_id: int) -> None:
    if _fts():
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM agenda_search WHERE kind = %s AND object_id = %s", [kind, object_id]
            )


def search(organisation: Organisation, query: str) -> list[Hit]:
    words = _WORD.findall(query)[:12]
    if not words:
        return []
    return _search_fts(organisation, words) if _fts() else _search_postgres(organisation, words)


def _search_fts(organisation: Organisation, words: list[str]) -> list[Hit]:
    # Each word quoted (so nothing in it is FTS syntax) and matched as a prefix.
    match = " ".join('"' + word.replace('"', "") + '"*' for word in words)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, object_id, title, "
            f"snippet(agenda_search, 4, '{_OPEN}', '{_CLOSE}', '…', 16) "
            "FROM agenda_search WHERE agenda_search MATCH %s AND organisation_id = %s "
            "ORDER BY rank LIMIT %s",
            [match, organisation.pk, LIMIT],
        )
        rows = cursor.fetchall()
    return [Hit(kind, int(pk), title, _marked(snippet)) for kind, pk, title, snippet in rows]


def _marked(snippet: str) -> str:
    for pattern, replacement in _MARKDOWN:
        snippet = pattern.sub(replacement, snippet)
    return escape(snippet.strip()).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")


def _search_postgres(organisation: Organisation, words: list[str]) -> list[Hit]:
    query = SearchQuery(" & ".join(f"{w}:*" for w in words), search_type="raw", config="simple")
    sources = [
        ("item", AgendaItem.objects.filter(organisation=organisation), "title", None),
        (
            "motion",
            Motion.objects.filter(item__organisation=organisation),
            "title",
            "versions__text",
        ),
        (
            "argument",
            Argument.objects.filter(motion__item__organisation=organisation, withdrawn_at=None),
            None,
            "text",
        ),
        ("question", Question.objects.filter(organisation=organisation), "title", "text"),
    ]
    hits: list[tuple[float, Hit]] = []
    for kind, rows, title, body in sources:
        fields = [f for f in (title, body) if f]
        vector = SearchVector(*fields, config="simple")
        found = (
            rows.annotate(rank=SearchRank(vector, query),
                          snippet=SearchHeadline(fields[-1], query, config="simple",
                                                 start_sel=_OPEN, stop_sel=_CLOSE, max_words=24))
            .filter(rank__gt=0)
            .order_by("-rank")[:LIMIT]
        )  # fmt: skip
        seen: set[int] = set()
        for row in found:
            if row.pk in seen:  # a motion matches once per version
                continue
            seen.add(row.pk)
            label = getattr(row, "title", "") if title else ""
            hits.append((row.rank, Hit(kind, row.pk, label, _marked(row.snippet))))
    hits.sort(key=lambda pair: -pair[0])
    return [hit for _, hit in hits[:LIMIT]]
