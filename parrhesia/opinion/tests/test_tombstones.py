"""Statements and conversations hidden by the tribunal: a tombstone linking its case in every list,
card and section, the text only on click after a verdict; never offered to vote on; "Report" for
members; marked in the download and left out of the Polis export's text."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parrhesia.kernel.content import reportable_of
from parrhesia.opinion import analysis, services
from parrhesia.opinion.exports import polis_files
from parrhesia.opinion.models import Participant, Statement
from parrhesia.opinion.tests.test_analysis import VOTES
from tests.fixtures.tribunal import (
    content_hide_by_verdict as hide_by_verdict,
)
from tests.fixtures.tribunal import (
    content_hide_interim as hide_interim,
)
from tests.fixtures.tribunal import court_convene

pytestmark = pytest.mark.django_db

SECRET = "Dan lives at 12 Quay Street"


@pytest.fixture
def court(riverside, alice, bob, carol):
    return court_convene(riverside, alice)


def detail(client, conversation) -> str:
    response = client.get(reverse("opinion:detail", args=["riverside", conversation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_statements_and_conversations_are_registered(court, conversation, alice, carol):
    statement = services.statement_add(user=carol, conversation=conversation, text=SECRET)
    assert reportable_of("statement").author_of(statement).user == carol
    assert reportable_of("statement").organisation_of(statement) == court
    assert reportable_of("conversation").author_of(conversation).user == alice
    external = Participant.objects.create(conversation=conversation, number=99, external_id="p99")
    imported = Statement.objects.create(
        conversation=conversation, number=99, text="From Polis.", author=external
    )
    assert reportable_of("statement").author_of(imported) is None  # no member to accuse
    assert reportable_of("statement").hideable and reportable_of("conversation").hideable


def test_an_interim_measure_hides_the_statement_and_it_is_not_offered_to_vote_on(
    client, court, conversation, statements, alice, bob, carol
):
    hidden = services.statement_add(user=carol, conversation=conversation, text=SECRET)
    case = hide_interim(court, alice, "statement", hidden, bob)
    for statement in statements:  # alice has voted on everything but the hidden one
        services.statement_vote(user=alice, statement=statement, value=1)
    client.force_login(alice)
    html = detail(client, conversation)
    assert "12 Quay Street" not in html and "<details>" not in html
    assert f"interim measure while case {case.number}" in html
    assert reverse("tribunal:case", args=["riverside", case.number]) in html
    assert "Hidden by the tribunal" in html
    assert "You have voted on every statement. Add one of your own" in html  # next card
    vote_url = reverse("opinion:vote", args=["riverside", hidden.pk])
    assert vote_url not in html  # no vote form anywhere for it
    assert f'id="statement-{hidden.pk}"' in html  # kept in its place, as a tombstone


def test_hidden_statements_never_come_up_next(court, conversation, statements, alice, bob, carol):
    from parrhesia.opinion import selectors
    from parrhesia.orgs.models import Membership

    hidden = services.statement_add(user=carol, conversation=conversation, text=SECRET)
    hide_interim(court, alice, "statement", hidden, bob)
    membership = Membership.objects.get(organisation=court, user=alice)
    for _statement in statements:
        view = selectors.conversation_view(conversation, membership)
        assert view.next_statement is not None and view.next_statement.pk != hidden.pk
        assert hidden not in view.to_vote and hidden in view.hidden_statements
        services.statement_vote(user=alice, statement=view.next_statement, value=-1)
    assert selectors.conversation_view(conversation, membership).next_statement is None


def test_a_verdict_shows_the_text_only_on_click_in_every_section(
    client, court, conversation, statements, alice, bob, carol
):
    people = {"alice": alice, "bob": bob, "carol": carol}
    for username, values in VOTES.items():
        for statement, value in zip(statements, values, strict=True):
            services.statement_vote(user=people[username], statement=statement, value=value)
    analysis.analysis_loop(conversation.pk)
    target = statements[0]  # a seed by alice, shown in the map's sections too
    case = hide_by_verdict(court, carol, "statement", target, alice)
    client.force_login(bob)
    html = detail(client, conversation)
    assert f"Hidden by the verdict of case {case.number}" in html
    outside = "".join(
        part.split("</details>", 1)[-1] for part in html.split("<details>")
    )  # the page without what is behind a click
    assert target.text not in outside
    assert target.text in html


def test_report_links_for_members_not_on_their_own(client, court, conversation, alice, carol):
    mine = services.statement_add(user=carol, conversation=conversation, text="Mine.")
    seed = conversation.statements.order_by("number").first()
    url = reverse("tribunal:report", args=["riverside"])
    client.force_login(carol)
    html = detail(client, conversation)
    assert f"{url}?kind=statement&amp;id={seed.pk}" in html
    assert f"{url}?kind=statement&amp;id={mine.pk}" not in html
    assert f"{url}?kind=conversation&amp;id={conversation.pk}" in html


def test_a_hidden_conversation_is_named_by_its_number(client, court, conversation, bob, carol):
    case = hide_interim(court, carol, "conversation", conversation, bob)
    client.force_login(bob)
    for html in (
        detail(client, conversation),
        client.get(reverse("opinion:index", args=["riverside"])).content.decode(),
    ):
        assert "The rent strike" not in html
        assert f"Conversation #{conversation.pk}" in html
        assert f"interim measure while case {case.number}" in html


def test_the_page_reads_in_a_constant_number_of_queries_with_hidden_statements(
    client, court, conversation, alice, bob, carol
):
    hidden = services.statement_add(user=carol, conversation=conversation, text=SECRET)
    hide_interim(court, alice, "statement", hidden, bob)
    client.force_login(alice)
    detail(client, conversation)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            detail(client, conversation)
        return len(captured)

    few = queries()
    for number in range(6):
        statement = services.statement_add(
            user=carol, conversation=conversation, text=f"More {number}."
        )
        if number % 2:
            hide_interim(court, alice, "statement", statement, bob)
    assert queries() == few


def test_the_download_marks_it_and_the_polis_export_keeps_the_row_without_text(
    client, court, conversation, alice, bob, carol
):
    hidden = services.statement_add(user=carol, conversation=conversation, text=SECRET)
    services.statement_vote(user=alice, statement=hidden, value=1)
    case = hide_by_verdict(court, alice, "statement", hidden, carol)
    client.force_login(alice)
    response = client.get(reverse("record:download", args=["riverside"]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    document = json.loads(zipfile.ZipFile(io.BytesIO(content)).read("conversations.json"))
    rows = {s["number"]: s for s in document[0]["statements"]}
    assert rows[hidden.number]["hidden"] is True
    assert rows[hidden.number]["case"] == case.number
    assert "text" not in rows[hidden.number] and "Quay Street" not in json.dumps(document)
    assert rows[0]["text"]  # the others keep their words
    files = polis_files(conversation)
    comments = {
        row["comment-id"]: row for row in csv.DictReader(io.StringIO(files["comments.csv"]))
    }
    assert comments[str(hidden.number)]["comment-body"] == ""
    assert comments[str(hidden.number)]["agrees"] == "1"  # the row and its votes stay
    assert "Quay Street" not in "".join(files.values())
    export = client.get(reverse("opinion:export", args=["riverside", conversation.pk]))
    assert export.status_code == 200
    assert b"Quay Street" not in zipfile.ZipFile(io.BytesIO(export.content)).read("comments.csv")
