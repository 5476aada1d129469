"""Search results quote what was written as plain text, not as raw Markdown (issue 14)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.agenda import services

pytestmark = pytest.mark.django_db

TEXT = (
    "## Why we strike\n\n"
    "We **withhold** the rise until the landlord talks; see [the letter](https://example.org/l).\n"
    "- first, the `lifts`\n"
    "> quoted from the _assembly_"
)


def test_a_search_snippet_shows_the_words_without_their_markdown(client, riverside, alice, carol):
    services.agenda_item_open(
        user=alice,
        organisation=riverside,
        title="The 9 % rent rise",
        motion_title="Rent strike",
        text=TEXT,
    )
    client.force_login(carol)
    page = client.get(reverse("agenda:search", args=["riverside"]), {"q": "withhold"})
    html = page.content.decode()
    snippet = html[html.index('<span class="snippet">') :]
    snippet = snippet[: snippet.index("</span>")]
    assert "<mark>withhold</mark>" in snippet
    for raw in ("**", "##", "](", "`", "> quoted", "_assembly_"):
        assert raw not in snippet, raw
    assert "the letter" in snippet
