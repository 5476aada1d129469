"""The demo's pages as people meet them (issue 14): in French every chart and the opinion map keep
their numbers; on a 390 px phone no page scrolls sideways; axe-core finds nothing serious or
critical in English or in French; a member votes through a conversation with the keyboard alone."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}

# Every attribute of an SVG drawing that holds a number, or numbers (viewBox, points, transform).
SVG_NUMBERS_JS = """() => {
  const number = /^-?(\\d+(\\.\\d+)?|\\.\\d+)(e-?\\d+)?$/;
  const all = (text, separator) => text.trim().split(separator).every(p => number.test(p));
  const single = ["x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "dx", "dy", "width",
                  "height"];
  const bad = [];
  let seen = 0;
  for (const svg of document.querySelectorAll("svg")) {
    for (const el of [svg, ...svg.querySelectorAll("*")]) {
      for (const name of [...single, "viewBox", "points", "transform"]) {
        const value = el.getAttribute(name);
        if (value === null) continue;
        seen++;
        let ok;
        if (name === "viewBox") ok = all(value, /\\s+/);
        else if (name === "points") {
          // "x,y x,y": a decimal comma would make a pair of three
          const pairs = value.trim().split(/\\s+/).map(p => p.split(","));
          ok = pairs.every(p => p.length === 2 && p.every(n => number.test(n)));
        } else if (name === "transform") {
          ok = [...value.matchAll(/\\(([^)]*)\\)/g)].every(m => all(m[1], /\\s+/));
        } else ok = number.test(value.trim());
        if (!ok) bad.push(`${el.tagName} ${name}="${value}"`);
      }
    }
  }
  return {seen, bad};
}"""


@pytest.fixture
def demo(db):
    from parrhesia.demo import demo_seed

    return demo_seed()


def signed_in(new_page, live_server, username: str, *, locale: str = "en-GB", viewport=None):
    """A page whose context holds ``username``'s session (signing in is tested elsewhere)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    page = new_page(locale)
    if viewport:
        page.set_viewport_size(viewport)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    if locale.startswith("fr"):
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "fr", "url": live_server.url}]
        )
    return page


def svg_pages(organisation) -> list[str]:
    from parrhesia.decisions.models import Ballot
    from parrhesia.opinion.models import Conversation

    slug = organisation.slug
    return [
        reverse("record:page", args=[slug]),
        reverse("tribunal:transparency", args=[slug]),
        *(
            reverse("opinion:detail", args=[slug, c.pk])
            for c in Conversation.objects.filter(organisation=organisation)
        ),
        *(
            reverse("decisions:detail", args=[slug, b.pk])
            for b in Ballot.objects.filter(organisation=organisation)
        ),
    ]


def main_pages(organisation) -> list[str]:
    from parrhesia.agenda.models import AgendaItem, Motion
    from parrhesia.tribunal.models import Case

    slug = organisation.slug
    item = AgendaItem.objects.filter(organisation=organisation).order_by("pk").first()
    motion = Motion.objects.filter(item__organisation=organisation).order_by("pk").first()
    case = Case.objects.filter(organisation=organisation).order_by("number").first()
    pages = [
        reverse("home"),
        reverse("orgs:detail", args=[slug]),
        reverse("orgs:members", args=[slug]),
        reverse("orgs:conduct", args=[slug]),
        reverse("agenda:index", args=[slug]),
        reverse("agenda:questions", args=[slug]),
        reverse("opinion:index", args=[slug]),
        reverse("decisions:index", args=[slug]),
        reverse("tribunal:docket", args=[slug]),
    ]
    if item is not None:
        pages.append(reverse("agenda:item", args=[slug, item.pk]))
    if motion is not None:
        pages.append(reverse("agenda:motion", args=[slug, motion.pk]))
        pages.append(reverse("agenda:arguments", args=[slug, motion.pk]))
    if case is not None:
        pages.append(reverse("tribunal:case", args=[slug, case.number]))
    return pages + everyday_pages(organisation) + svg_pages(organisation)


def everyday_pages(organisation) -> list[str]:
    """The pages issue 14 added or changed: the to-do, notices and their settings, a thread's
    post, a quick proposal's form, a record entry, the report form, jury availability, the docs."""
    from parrhesia.discussions.models import Post

    slug = organisation.slug
    pages = [
        reverse("todo"),
        reverse("notifications:list", args=[slug]),
        reverse("notifications:settings", args=[slug]),
        reverse("decisions:quick", args=[slug]),
        reverse("record:entry", args=[slug, 1]),
        reverse("tribunal:availability", args=[slug]),
        reverse("docs", args=["voting"]),
    ]
    post = Post.objects.filter(organisation=organisation).order_by("pk").first()
    if post is not None:
        pages.append(reverse("discussions:post", args=[slug, post.pk]))
    return pages


def test_in_french_every_chart_and_the_map_keep_their_numbers(live_server, new_page, demo):
    page = signed_in(new_page, live_server, "carol", locale="fr-FR")
    drawn = 0
    for path in svg_pages(demo):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == "fr", path
        if page.locator("svg").count() == 0:
            continue
        drawn += 1
        found = page.evaluate(SVG_NUMBERS_JS)
        assert found["seen"] > 0, path
        assert found["bad"] == [], path
    assert drawn >= 4  # the map, the record's activity, the verdicts, the ballots' charts
    # and the map does draw its dots: each has a position the browser read as a number
    conversation = next(p for p in svg_pages(demo) if "/opinion/" in p)
    page.goto(live_server.url + conversation)
    dots = page.locator("svg circle.dot")
    assert dots.count() > 0
    placed = "() => [...document.querySelectorAll('svg circle.dot')].every(c => c.cx.baseVal.value)"
    assert page.evaluate(placed)


@pytest.mark.parametrize("username", ["carol", "bob"])
def test_on_a_phone_no_page_scrolls_sideways(live_server, new_page, demo, username):
    page = signed_in(new_page, live_server, username, viewport=PHONE)
    wide = []
    for path in main_pages(demo):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append((path, width))
    assert wide == [], wide


def test_the_organisation_menu_takes_one_row_on_a_phone(live_server, new_page, demo):
    page = signed_in(new_page, live_server, "bob", viewport=PHONE)
    page.goto(live_server.url + reverse("orgs:detail", args=[demo.slug]))
    links = page.locator(".org-nav a")
    boxes = [links.nth(i).bounding_box() for i in range(links.count())]
    assert len({round(box["y"]) for box in boxes if box}) == 1


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
def test_axe_finds_nothing_serious_on_the_main_pages(live_server, new_page, demo, locale):
    from tests.e2e.conftest import axe_violations

    page = signed_in(new_page, live_server, "carol", locale=locale)
    found = {}
    for path in main_pages(demo):
        page.goto(live_server.url + path)
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}


def test_a_member_votes_through_a_conversation_with_the_keyboard_alone(live_server, new_page, demo):
    from django.contrib.auth import get_user_model

    from parrhesia.opinion import services

    seeds = ["Repair the lifts first.", "Ask the council to mediate.", "Strike in September."]
    conversation = services.conversation_open(
        user=get_user_model().objects.get(username="bob"),
        organisation=demo,
        topic="What next for block C",
        seed_statements=seeds,
    )
    page = signed_in(new_page, live_server, "carol")
    page.goto(live_server.url + reverse("opinion:detail", args=[demo.slug, conversation.pk]))
    card = page.locator("#next")
    # Tab from the top of the page to the card's first button (the page's own order, no clicks).
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('#next')"):
            break
    else:
        pytest.fail("Tab never reached the next statement")
    voted = []
    for number in range(len(seeds)):
        text = card.locator("blockquote").inner_text()
        voted.append(text)
        assert page.evaluate("() => document.activeElement.textContent.trim()") == "Agree"
        page.keyboard.press("Enter")
        if number < len(seeds) - 1:
            expect(card.locator("blockquote")).not_to_have_text(text)
            # focus is on the new card's first button, not back on <body>
            expect(page.locator("#next button:focus")).to_have_count(1)
    card.get_by_text("You have voted on every statement.").wait_for()
    expect(page.locator("#next:focus, #next :focus")).to_have_count(1)
    assert sorted(voted) == sorted(seeds)
