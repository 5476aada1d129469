"""The project's own documentation, served read-only so that pages can link to it: "how votes
are counted" (docs/voting.md) is one click from a ballot's result, not a path to look up.

Only the documents named in :data:`PAGES` are served, from the ``docs/`` folder beside the
package (a checkout, as the README installs it); a deployment without that folder answers 404
with where to read them instead.
"""

from __future__ import annotations

from pathlib import Path

import nh3
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from markdown_it import MarkdownIt

PAGES = (
    "voting",
    "record",
    "privacy",
    "tribunal",
    "deliberation",
    "decisions",
    "opinion",
    "api",
    "webhooks",
)

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def docs_dir() -> Path:
    return Path(getattr(settings, "PARRHESIA_DOCS_DIR", settings.PACKAGE_DIR.parent / "docs"))


def docs_html(text: str) -> str:
    """The document as safe HTML (the project's own text, sanitised all the same)."""
    return nh3.clean(
        _MARKDOWN.render(text),
        tags=_TAGS,
        attributes={"a": {"href", "title"}, "th": {"style"}, "td": {"style"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@require_http_methods(["GET"])
def docs_page(request: HttpRequest, page: str) -> HttpResponse:
    if page not in PAGES:
        raise Http404(_("No such document."))
    path = docs_dir() / f"{page}.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise Http404(
            _("This server does not hold the documentation: read docs/%(page)s.md in the source.")
            % {"page": page}
        ) from None
    return render(request, "web/docs.html", {"page": page, "body": docs_html(text)})
