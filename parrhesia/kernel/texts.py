"""Members' Markdown, rendered once at write time and sanitised: shared by every app that
publishes a member's text (the agenda's motions, arguments and questions; discussion posts)."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip


def markdown_html(text: str) -> str:
    """Safe HTML for a member's Markdown: raw HTML is shown as text, then nh3 keeps only the
    tags above (no images: they would load third-party content) and safe link schemes."""
    rendered = _MARKDOWN.render(text)
    return nh3.clean(
        rendered,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
