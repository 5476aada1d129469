"""A member's deadlines as a calendar feed: a secret link they ask for, iCalendar that parses, one
event per deadline with a stable UID, and a new link that makes the old one 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.config.logs import secret_urls_redact
from parrhesia.decisions import services as decisions
from parrhesia.methods.calendar import unescape_text, unfold
from parrhesia.web.models import CalendarFeed
from parrhesia.web.selectors import calendar_token
from tests.fixtures.decisions import soon

pytestmark = pytest.mark.django_db


def events(text: str) -> list[dict[str, str]]:
    """The VEVENTs of an iCalendar text, each as {property: value} (RFC 5545 §3.1, §3.6.1)."""
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in unfold(text):
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            current[name] = value
    return found


def link_of(client) -> str:
    return reverse("todo_calendar", args=[calendar_token(CalendarFeed.objects.get())])


def test_no_link_until_the_member_asks_and_then_it_serves_their_deadlines(
    client, riverside, bob, carol
):
    ballot = decisions.ballot_open(
        user=bob, organisation=riverside, title="Rent; strike, in March?", method="plurality",
        options=["Yes", "No"], closes_at=soon(2),
    )  # fmt: skip
    client.force_login(carol)
    assert "You have no calendar link yet." in client.get(reverse("todo")).content.decode()
    assert not CalendarFeed.objects.exists()  # the page wrote nothing
    assert client.post(reverse("todo_calendar_link"), {"action": "new"}).status_code == 302
    url = link_of(client)
    assert url in client.get(reverse("todo")).content.decode()
    client.logout()  # a calendar application does not sign in
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "VERSION:2.0\r\n" in text
    [event] = events(text)
    assert unescape_text(event["SUMMARY"]) == "Vote: Rent; strike, in March?"
    assert event["DTSTART"] == ballot.closes_at.strftime("%Y%m%dT%H%M%SZ")
    assert event["UID"] == events(client.get(url).content.decode())[0]["UID"]  # stable
    assert event["URL"].endswith(reverse("decisions:detail", args=["riverside", ballot.pk]))
    assert "Carol" not in text


def test_a_new_link_makes_the_old_one_404_and_asks_for_confirmation(client, riverside, carol):
    client.force_login(carol)
    client.post(reverse("todo_calendar_link"), {"action": "new"})
    old = link_of(client)
    unconfirmed = client.post(reverse("todo_calendar_link"), {"action": "new"})
    assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.content.decode()
    assert client.get(old).status_code == 200
    client.post(reverse("todo_calendar_link"), {"action": "new", "confirm": "on"})
    new = link_of(client)
    assert new != old
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200
    client.post(reverse("todo_calendar_link"), {"action": "stop", "confirm": "on"})
    assert client.get(new).status_code == 404


def test_a_forged_or_tampered_link_is_404(client, carol):
    client.force_login(carol)
    client.post(reverse("todo_calendar_link"), {"action": "new"})
    feed = CalendarFeed.objects.get()
    assert (
        client.get(reverse("todo_calendar", args=[f"{feed.user_id}-{feed.key}:forged"])).status_code
        == 404
    )
    assert client.get(reverse("todo_calendar", args=["nonsense"])).status_code == 404


def test_the_logs_never_hold_the_calendar_links_secret(client, carol):
    client.force_login(carol)
    client.post(reverse("todo_calendar_link"), {"action": "new"})
    url = link_of(client)
    line = f'"GET {url} HTTP/1.1" 200 - "https://example.org{url}"'
    redacted = secret_urls_redact(line)
    assert calendar_token(CalendarFeed.objects.get()) not in redacted
    assert redacted.count("/todo/calendar/[redacted]") == 2
