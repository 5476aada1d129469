"""Conversation pages: the map and its table, forms that explain what went wrong, htmx votes."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.urls import reverse

from parrhesia.opinion import analysis, services
from parrhesia.opinion.models import Statement, Vote
from parrhesia.opinion.tests.test_analysis import VOTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysed(conversation, statements, alice, bob, carol):
    people = {"alice": alice, "bob": bob, "carol": carol}
    for username, values in VOTES.items():
        for statement, value in zip(statements, values, strict=True):
            services.statement_vote(user=people[username], statement=statement, value=value)
    analysis.analysis_loop(conversation.pk)
    return conversation


def detail(conversation) -> str:
    return reverse("opinion:detail", args=["riverside", conversation.pk])


def test_the_page_shows_the_map_its_table_groups_and_where_i_stand(client, analysed, carol):
    client.force_login(carol)
    page = client.get(detail(analysed)).content.decode()
    assert re.search(
        r'<svg viewBox="0 0 640 420" role="img" aria-labelledby="map-title map-desc"', page
    )
    assert '<title id="map-title">Opinion map of “The rent strike”</title>' in page
    assert "you are here" in page and "The map as a table" in page
    assert "What each group stands for" in page and "Group A · 2 participants" in page
    assert "Where do I stand" in page and "You are in group A." in page
    assert "Statements that bridge the groups" in page
    assert "<script" not in page.split("</head>")[1]  # no inline script (CSP)


def test_the_page_reads_in_a_constant_number_of_queries(
    client, analysed, carol, django_assert_max_num_queries
):
    client.force_login(carol)
    client.get(detail(analysed))
    for text in ("One more.", "And another.", "A third one."):
        services.statement_add(user=carol, conversation=analysed, text=text)
    with django_assert_max_num_queries(14):
        assert client.get(detail(analysed)).status_code == 200


def test_before_enough_votes_the_page_says_so(client, conversation, carol):
    client.force_login(carol)
    page = client.get(detail(conversation)).content.decode()
    assert "Not enough votes yet" in page and "Next statement for you" in page


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "This field is required."),
        ("x" * 281, "Ensure this value has at most 280 characters (it has 281)."),
    ],
)
def test_a_bad_statement_is_explained_and_not_published(client, conversation, carol, text, message):
    client.force_login(carol)
    url = reverse("opinion:statement_add", args=["riverside", conversation.pk])
    response = client.post(url, {"text": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Statement.objects.filter(conversation=conversation).count() == 4


def test_a_statement_is_published_and_shown_at_its_place(client, conversation, carol):
    client.force_login(carol)
    url = reverse("opinion:statement_add", args=["riverside", conversation.pk])
    response = client.post(url, {"text": "Ask the council to mediate."}, follow=True)
    assert "Your statement is published." in response.content.decode()
    statement = Statement.objects.get(text="Ask the council to mediate.")
    assert response.redirect_chain[-1][0].endswith(f"#statement-{statement.pk}")


def vote_url(statement) -> str:
    return reverse("opinion:vote", args=["riverside", statement.pk])


def test_voting_with_htmx_swaps_only_the_statement(client, statements, carol):
    client.force_login(carol)
    response = client.post(vote_url(statements[0]), {"value": "-1"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert page.lstrip().startswith(f'<li class="statement-row" id="statement-{statements[0].pk}"')
    assert "You disagree." in page and "0 agree · 1 disagree · 0 pass" in page
    again = client.post(vote_url(statements[0]), {"value": "1"}, HTTP_HX_REQUEST="true")
    assert "1 changed their mind" in again.content.decode()


def test_voting_from_the_next_card_offers_the_following_statement(client, statements, carol):
    client.force_login(carol)
    response = client.post(
        vote_url(statements[0]), {"value": "1", "from": "next"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<section class="panel next-card" id="next"')
    assert "Your vote is counted." in page


def test_voting_without_javascript_redirects_back(client, statements, carol):
    client.force_login(carol)
    response = client.post(vote_url(statements[1]), {"value": "0"}, follow=True)
    assert "Your vote is counted." in response.content.decode()
    assert Vote.objects.get(statement=statements[1]).value == 0


@pytest.mark.parametrize("value", ["", "2", "agree"])
def test_a_vote_that_is_not_agree_disagree_or_pass_is_refused(client, statements, carol, value):
    client.force_login(carol)
    response = client.post(vote_url(statements[0]), {"value": value})
    assert response.status_code == 400
    assert "Choose agree, disagree or pass." in response.content.decode()
    assert not Vote.objects.exists()


def test_a_vote_on_an_unknown_statement_is_not_found(client, riverside, carol):
    client.force_login(carol)
    response = client.post(reverse("opinion:vote", args=["riverside", 999]), {"value": "1"})
    assert response.status_code == 404


def test_a_vote_on_a_statement_of_another_organisation_is_not_found(
    client, statements, harbour, dave
):
    client.force_login(dave)
    response = client.post(
        reverse("opinion:vote", args=["harbour", statements[0].pk]), {"value": "1"}
    )
    assert response.status_code == 404


def test_a_vote_in_a_closed_conversation_is_refused_clearly(
    client, conversation, statements, bob, carol
):
    services.conversation_close(user=bob, conversation=conversation, reason="Decided.")
    client.force_login(carol)
    response = client.post(vote_url(statements[0]), {"value": "1"})
    assert response.status_code == 409
    assert "This conversation is closed." in response.content.decode()
    htmx = client.post(vote_url(statements[0]), {"value": "1"}, HTTP_HX_REQUEST="true")
    assert "This conversation is closed." in htmx.content.decode()


def test_marking_without_a_reason_is_refused_and_with_one_is_shown(client, statements, bob):
    client.force_login(bob)
    url = reverse("opinion:mark", args=["riverside", statements[3].pk])
    response = client.post(url, {"mark": "off_topic", "reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = client.post(url, {"mark": "off_topic", "reason": "About parking."}, follow=True)
    page = response.content.decode()
    assert "Marked off-topic" in page and "About parking." in page
    assert statements[3].text in page  # still listed


def test_the_record_links_a_statement_to_its_place(client, statements, carol):
    client.force_login(carol)
    response = client.get(reverse("opinion:statement", args=["riverside", statements[2].pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#statement-{statements[2].pk}")


def test_the_page_exports_the_conversation_in_polis_format(client, analysed, carol):
    client.force_login(carol)
    response = client.get(reverse("opinion:export", args=["riverside", analysed.pk]))
    archive = zipfile.ZipFile(
        io.BytesIO(
            b"".join(response.streaming_content if response.streaming else [response.content])
        )
    )
    assert sorted(archive.namelist()) == [
        "comments.csv",
        "participants-votes.csv",
        "summary.csv",
        "votes.csv",
    ]
    matrix = archive.read("participants-votes.csv").decode().splitlines()
    assert matrix[0] == "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2,3"
    assert len(matrix) == 4


def test_the_member_download_holds_conversations_and_own_votes(client, analysed, carol):
    client.force_login(carol)
    response = client.get(reverse("record:download", args=["riverside"]))
    archive = zipfile.ZipFile(
        io.BytesIO(
            b"".join(response.streaming_content if response.streaming else [response.content])
        )
    )
    assert "conversations.json" in archive.namelist()
    mine = archive.read("opinion_my_votes.csv").decode().splitlines()
    assert len(mine) == 1 + 4 and mine[0] == "conversation,statement,vote,cast_at"


def test_a_form_refused_comes_back_with_its_errors_and_a_400(client, conversation, bob, carol):
    client.force_login(carol)
    opened = client.post(reverse("opinion:new", args=["riverside"]), {"topic": ""})
    assert opened.status_code == 400 and "This field is required." in opened.content.decode()
    services.conversation_close(user=bob, conversation=conversation, reason="Done.")
    client.force_login(bob)
    close = reverse("opinion:close", args=["riverside", conversation.pk])
    again = client.post(close, {"reason": ""})
    assert again.status_code == 400


def test_a_statement_already_there_is_refused_with_the_reason(client, conversation, carol):
    client.force_login(carol)
    url = reverse("opinion:statement_add", args=["riverside", conversation.pk])
    response = client.post(url, {"text": "we should ask the council to mediate first."})
    assert response.status_code == 400
    assert "This statement is already in the conversation." in response.content.decode()
    assert Statement.objects.filter(conversation=conversation).count() == 4
