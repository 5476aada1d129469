"""The language switch is in the header, where a newcomer looks first, not hidden in the footer
(issue 14)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_language_switch_is_in_the_header(client):
    page = client.get(reverse("home")).content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    footer = page[page.index("<footer") : page.index("</footer>")]
    assert 'id="language-select"' in header
    assert "language-select" not in footer
