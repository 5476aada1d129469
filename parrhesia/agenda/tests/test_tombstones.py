"""Deliberation content hidden by the tribunal: a tombstone linking its case wherever it is shown,
its words only on click after a verdict, never under an interim measure; "Report" for members;
the map's constant number of queries; the download marks it."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parrhesia.agenda import services
from parrhesia.kernel.content import reportable_of
from tests.fixtures.tribunal import (
    content_hide_by_verdict as hide_by_verdict,
)
from tests.fixtures.tribunal import (
    content_hide_interim as hide_interim,
)
from tests.fixtures.tribunal import court_convene

pytestmark = pytest.mark.django_db

SECRET = "Call Dan on 06 12 34 56 78"


@pytest.fixture
def court(riverside, alice, bob, carol):
    return court_convene(riverside, alice)


def page(client, name, *args):
    response = client.get(reverse(name, args=["riverside", *args]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_kinds_are_registered_with_their_authors_and_addresses(court, motion, alice, carol):
    argument = services.argument_add(user=carol, motion=motion, stance="pro", text="Yes.")
    challenge = services.argument_challenge(user=alice, argument=argument, kind="source")
    for kind, obj, author in (
        ("motion", motion, alice),
        ("argument", argument, carol),
        ("challenge", challenge, alice),
    ):
        reportable = reportable_of(kind)
        assert reportable.hideable
        assert reportable.organisation_of(obj) == court
        assert reportable.author_of(obj).user == author
        assert "\n" not in reportable.summary_of(obj)
    assert (
        reportable_of("challenge")
        .url_of(challenge)
        .endswith(f"/{argument.pk}/#challenge-{challenge.pk}")
    )


def test_an_interim_measure_leaves_a_tombstone_with_the_case_and_no_text(
    client, court, motion, alice, bob, carol
):
    hidden = services.argument_add(user=carol, motion=motion, stance="pro", text=SECRET)
    shown = services.argument_add(user=carol, motion=motion, stance="con", text="Too risky.")
    case = hide_interim(court, alice, "argument", hidden, bob)
    case_url = reverse("tribunal:case", args=["riverside", case.number])
    client.force_login(alice)
    for html in (
        page(client, "agenda:arguments", motion.pk),
        page(client, "agenda:argument", hidden.pk),
    ):
        assert "06 12 34 56 78" not in html
        assert f"interim measure while case {case.number}" in html and case_url in html
        assert "<details>" not in html
    on_map = page(client, "agenda:arguments", motion.pk)
    assert f'id="argument-{hidden.pk}"' in on_map  # kept in its place
    assert "Too risky." in on_map
    report_url = reverse("tribunal:report", args=["riverside"])
    assert f"{report_url}?kind=argument&amp;id={shown.pk}" in on_map
    assert f"{report_url}?kind=argument&amp;id={hidden.pk}" not in on_map  # before the tribunal


def test_a_verdict_shows_the_text_only_on_click(client, court, motion, alice, carol):
    hidden = services.argument_add(user=carol, motion=motion, stance="pro", text=SECRET)
    case = hide_by_verdict(court, alice, "argument", hidden, carol)
    client.force_login(alice)
    for html in (
        page(client, "agenda:arguments", motion.pk),
        page(client, "agenda:argument", hidden.pk),
    ):
        assert f"Hidden by the verdict of case {case.number}" in html
        details = html.split("<details>", 1)[1].split("</details>", 1)[0]
        assert "06 12 34 56 78" in details
        assert html.count("06 12 34 56 78") == 1  # nowhere outside the <details>


def test_hidden_challenges_motions_suggestions_and_questions(
    client, court, motion, alice, bob, carol
):
    argument = services.argument_add(user=alice, motion=motion, stance="pro", text="It works.")
    challenge = services.argument_challenge(
        user=carol, argument=argument, kind="other", text=SECRET
    )
    suggestion = services.suggestion_file(
        user=carol, motion=motion, text="We withhold the rise. " + SECRET, explanation=SECRET
    )
    question = services.question_file(
        user=carol, organisation=court, title=SECRET, text="Who?", links=[]
    )
    for kind, obj in (("challenge", challenge), ("suggestion", suggestion), ("question", question)):
        hide_interim(court, alice, kind, obj, bob)
    motion_case = hide_interim(court, carol, "motion", motion, bob)
    client.force_login(bob)
    for name, arg in (
        ("agenda:arguments", motion.pk),
        ("agenda:argument", argument.pk),
        ("agenda:motion", motion.pk),
        ("agenda:questions", None),
        ("agenda:question", question.pk),
    ):
        html = page(client, name, *([] if arg is None else [arg]))
        assert "06 12 34 56 78" not in html, name
        assert "interim measure while case" in html, name
    motion_page = page(client, "agenda:motion", motion.pk)
    assert "Rent strike" not in motion_page and f"Motion #{motion.pk}" in motion_page
    assert f"case {motion_case.number}" in motion_page
    item_page = page(client, "agenda:item", motion.item_id)
    assert "We withhold the rise" not in item_page
    assert f"case {motion_case.number}" in item_page


def test_report_links_are_for_members_only(client, court, motion, alice, carol):
    argument = services.argument_add(user=carol, motion=motion, stance="pro", text="Yes.")
    url = reverse("tribunal:report", args=["riverside"])
    client.force_login(alice)
    assert f"{url}?kind=argument&amp;id={argument.pk}" in page(
        client, "agenda:argument", argument.pk
    )
    assert f"{url}?kind=argument&amp;id={argument.pk}" in page(
        client, "agenda:arguments", motion.pk
    )
    client.force_login(carol)  # not on one's own
    assert f"{url}?kind=argument&amp;id={argument.pk}" not in page(
        client, "agenda:argument", argument.pk
    )
    assert f"{url}?kind=motion&amp;id={motion.pk}" in page(client, "agenda:motion", motion.pk)
    client.logout()  # riverside is members-only: outsiders see nothing at all
    response = client.get(reverse("agenda:arguments", args=["riverside", motion.pk]))
    assert url.encode() not in response.content


def test_the_map_with_hidden_content_reads_in_a_constant_number_of_queries(
    client, court, motion, alice, bob, carol
):
    def add(count):
        for i in range(count):
            parent = services.argument_add(user=carol, motion=motion, stance="pro", text=f"P{i}")
            services.argument_challenge(user=alice, argument=parent, kind="source", text=f"C{i}")
            services.argument_add(
                user=carol, motion=motion, stance="rebuttal", text=f"R{i}", parent=parent
            )

    add(2)
    first = motion.arguments.order_by("id").first()
    hide_interim(court, alice, "argument", first, bob)
    hide_interim(court, carol, "challenge", first.challenges.get(), bob)
    client.force_login(alice)
    url = reverse("agenda:arguments", args=["riverside", motion.pk])
    client.get(url)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    add(15)
    assert queries() == few


def test_the_download_marks_hidden_content_without_its_words(client, court, motion, alice, carol):
    hidden = services.argument_add(user=carol, motion=motion, stance="pro", text=SECRET)
    services.argument_add(user=carol, motion=motion, stance="con", text="Too risky.")
    case = hide_by_verdict(court, alice, "argument", hidden, carol)
    client.force_login(alice)
    response = client.get(reverse("record:download", args=["riverside"]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    agenda = json.loads(zipfile.ZipFile(io.BytesIO(content)).read("agenda.json"))
    arguments = {a["id"]: a for item in agenda for m in item["motions"] for a in m["arguments"]}
    assert arguments[hidden.pk]["hidden"] is True
    assert arguments[hidden.pk]["case"] == case.number
    assert "06 12 34 56 78" not in json.dumps(agenda)
    assert "Too risky." in json.dumps(agenda)


def test_search_finds_hidden_content_only_as_its_tombstone(
    client, court, motion, alice, bob, carol
):
    hidden = services.argument_add(user=carol, motion=motion, stance="pro", text=SECRET)
    case = hide_interim(court, alice, "argument", hidden, bob)
    client.force_login(alice)
    response = client.get(reverse("agenda:search", args=["riverside"]), {"q": "Dan"})
    html = response.content.decode()
    assert f"Hidden by the tribunal (case {case.number})" in html
    assert "06 12 34 56 78" not in html and "<mark>Dan" not in html
