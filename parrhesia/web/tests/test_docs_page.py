"""The project's documentation served read-only, so that a ballot's result links to how votes are
counted (issue 14: "docs/voting.md" was shown as text)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_ballots_result_links_to_how_votes_are_counted(client, settings, tmp_path):
    page = client.get(reverse("docs", args=["voting"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>" in html and "Schulze" in html  # docs/voting.md, rendered
    assert "<script" not in html.split("<article", 1)[1].split("</article>", 1)[0]


def test_only_the_named_documents_are_served(client, settings, tmp_path):
    assert client.get(reverse("docs", args=["secrets"])).status_code == 404
    assert client.get("/docs/..%2Fpyproject/").status_code == 404
    settings.PARRHESIA_DOCS_DIR = tmp_path  # a deployment without the docs folder
    missing = client.get(reverse("docs", args=["voting"]))
    assert missing.status_code == 404
