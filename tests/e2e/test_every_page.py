"""Every page of the authorisation matrix that a steward may read, in the browser (issue 14: "a
390 px pass over every page … axe on every page in both languages"): none scrolls sideways on a
390 px phone, and axe-core finds nothing serious or critical in English or in French. The pages
are those of tests/authorisation.py's table that answer 200 with HTML to a steward of the
matrix's organisation — so a new page is covered as soon as it has its row."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.authorisation import PERSONAS, TABLE
from tests.e2e.test_everyday_pages import PHONE, signed_in
from tests.test_authorisation_matrix import world  # noqa: F401 - the matrix's fixture

pytestmark = pytest.mark.django_db(transaction=True)

STEWARD = PERSONAS.index("steward")


def html_pages(world: Any) -> list[str]:  # noqa: F811 - the fixture's value
    """The URLs a steward reads as a whole HTML page (not a download, a feed, JSON or an htmx
    fragment such as the menu's to-do count)."""
    client = Client()
    client.force_login(world.users["steward"])
    pages = []
    for name, row in sorted(TABLE.items()):
        if row.get[STEWARD] != 200:
            continue
        url = reverse(name, kwargs=row.kwargs(world))
        response = client.get(url, row.query)
        if response.status_code != 200 or getattr(response, "streaming", False):
            continue
        if response["Content-Type"].startswith("text/html") and b"<html" in response.content:
            query = "&".join(f"{key}={value}" for key, value in row.query.items())
            pages.append(f"{url}?{query}" if query else url)
    return pages


def test_no_page_scrolls_sideways_on_a_phone(live_server, new_page, world):  # noqa: F811
    pages = html_pages(world)
    assert len(pages) > 40, pages  # the table's pages, not a handful
    page = signed_in(new_page, live_server, world.users["steward"].username, viewport=PHONE)
    wide = []
    for path in pages:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append((path, width))
    assert wide == [], wide


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
def test_axe_finds_nothing_serious_on_any_page(live_server, new_page, world, locale):  # noqa: F811
    from tests.e2e.conftest import axe_violations

    page = signed_in(new_page, live_server, world.users["steward"].username, locale=locale)
    found = {}
    for path in html_pages(world):
        page.goto(live_server.url + path)
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}
