"""Every chart and the opinion map draw in French: SVG numbers never take a decimal comma.

Django writes floats the reader's way ("494,0" in French); an SVG attribute with a comma is not a
number, so the map lost every dot and the charts their bars. The `svgnum` filter writes them plain.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from parrhesia.kernel.templatetags.svg import svgnum

pytestmark = pytest.mark.django_db

NUMERIC = {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "dx", "dy", "width", "height"}
LISTS = {"viewbox", "points"}


class SvgNumbers(HTMLParser):
    """Collects (tag, attribute, value) of every numeric attribute inside an <svg>."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.depth += 1
        if not self.depth:
            return
        for name, value in attrs:
            if name in NUMERIC or name in LISTS or name == "transform":
                self.found.append((tag, name, value or ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self.depth -= 1

    def handle_endtag(self, tag):
        if tag == "svg":
            self.depth -= 1


def unparsable(html: str) -> list[tuple[str, str, str]]:
    parser = SvgNumbers()
    parser.feed(html)
    assert parser.found, "the page draws no SVG"
    bad = []
    for tag, name, value in parser.found:
        if name == "transform":
            numbers = re.findall(r"\(([^)]*)\)", value)
            parts = " ".join(numbers).split()
        elif name == "points":  # "x,y x,y …": a decimal comma would make a pair of three
            pairs = [pair.split(",") for pair in value.split()]
            whole = all(len(pair) == 2 for pair in pairs)
            parts = [n for pair in pairs for n in pair] if whole else [value]
        elif name in LISTS:
            parts = value.split()
        else:
            parts = [value]
        for part in parts:
            try:
                float(part)
            except ValueError:
                bad.append((tag, name, value))
    return bad


def test_svgnum_writes_a_point_whatever_the_language():
    with translation.override("fr"):
        assert svgnum(494.0) == "494"
        assert svgnum(12.25) == "12.25"
        assert svgnum(1 / 3) == "0.33"
        assert svgnum(-0.001) == "0"
        assert svgnum(1234567.5) == "1234567.5"
        assert svgnum(None) == "0"


@pytest.fixture
def demo(db):
    from parrhesia.demo import demo_seed

    return demo_seed()


def svg_pages(organisation) -> list[str]:
    from parrhesia.decisions.models import Ballot
    from parrhesia.opinion.models import Conversation

    slug = organisation.slug
    pages = [
        reverse("record:page", args=[slug]),
        reverse("tribunal:transparency", args=[slug]),
    ]
    pages += [
        reverse("opinion:detail", args=[slug, c.pk])
        for c in Conversation.objects.filter(organisation=organisation)
    ]
    pages += [
        reverse("decisions:detail", args=[slug, b.pk])
        for b in Ballot.objects.filter(organisation=organisation)
    ]
    return pages


def test_every_page_that_draws_svg_writes_numbers_an_svg_reader_parses_in_french(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="carol"))
    drawn = 0
    for url in svg_pages(demo):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, url
        html = response.content.decode()
        if "<svg" not in html:
            continue
        drawn += 1
        assert unparsable(html) == [], url
    # The map, the record's activity, the verdicts' outcomes and the ballots' charts.
    assert drawn >= 4


FRENCH_MONTHS = {
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
}  # fmt: skip


def test_the_record_charts_weeks_are_named_in_french(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="carol"))
    url = reverse("record:page", args=[demo.slug])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    labels = re.findall(r'class="chart-label">([^<]*)<', html)
    assert labels
    assert {label.split(" ", 1)[1] for label in labels} <= FRENCH_MONTHS, labels
