"""A vote's request stays small: pinned queries, nothing of the analysis but what routing needs,
and no second analysis queued while one is queued or running."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parrhesia.opinion import analysis, selectors, services
from parrhesia.opinion.models import Analysis, AnalysisState, Conversation, Statement, Vote
from parrhesia.opinion.tasks import conversation_analyse_task
from parrhesia.opinion.tests.test_analysis import DEFERRING, VOTES, analyses_queued

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysed(conversation, statements, alice, bob, carol):
    people = {"alice": alice, "bob": bob, "carol": carol}
    for username, values in VOTES.items():
        for statement, value in zip(statements[:4], values, strict=True):
            services.statement_vote(user=people[username], statement=statement, value=value)
    analysis.analysis_loop(conversation.pk)
    for text in ("Lifts first.", "Ask the council.", "Strike in October."):
        services.statement_add(user=alice, conversation=conversation, text=text)
    statements[:] = list(conversation.statements.order_by("number"))
    return conversation


def vote_url(statement) -> str:
    return reverse("opinion:vote", args=["riverside", statement.pk])


def signed_in(client, carol, conversation):
    client.force_login(carol)
    client.get(reverse("opinion:detail", args=["riverside", conversation.pk]))  # CSRF, session
    return client


# Middleware (session, user), organisation and membership, the statement, then the vote's one
# transaction (begin, membership, conversation lock, participant, vote, vote write, history row,
# counter, record append: head, the Merkle nodes it needs when not in hand, entry, nodes, head
# update, commit), then the fragment's own reads: for a statement's row its counts and the
# tribunal's measure (the statement is in hand, the member's vote is the one just cast); for the
# next card the statements with their counts, the participant, their votes, the measures and the
# analysis's extremity. The fragments offer "Report" to members whom no verdict suspends from
# posting (tribunal.report, issue 13): one read of their suspensions.
@pytest.mark.parametrize(
    ("data", "headers", "queries"),
    [
        ({"value": "1"}, {"HTTP_HX_REQUEST": "true"}, 22),
        ({"value": "1", "from": "next"}, {"HTTP_HX_REQUEST": "true"}, 25),
        ({"value": "1"}, {}, 19),  # without JavaScript: a redirect
    ],
    ids=["htmx-row", "htmx-card", "plain"],
)
def test_a_vote_takes_a_fixed_number_of_queries(
    client, analysed, statements, carol, django_assert_max_num_queries, data, headers, queries
):
    signed_in(client, carol, analysed)
    for statement in statements[4:]:  # a new vote, then a changed one, cost the same
        with django_assert_max_num_queries(queries):
            response = client.post(vote_url(statement), data, **headers)
        assert response.status_code in (200, 302)
    with django_assert_max_num_queries(queries):
        client.post(vote_url(statements[4]), {**data, "value": "-1"}, **headers)


def test_a_vote_on_a_marked_statement_costs_the_same(
    client, analysed, statements, bob, carol, django_assert_max_num_queries
):
    services.statement_mark(user=bob, statement=statements[5], mark="meta", reason="Process.")
    signed_in(client, carol, analysed)
    with django_assert_max_num_queries(21):  # as the htmx row above
        response = client.post(vote_url(statements[5]), {"value": "1"}, HTTP_HX_REQUEST="true")
    assert "Process." in response.content.decode()


def test_the_vote_fragments_never_read_the_map_or_the_engine_state(
    client, analysed, statements, carol
):
    signed_in(client, carol, analysed)
    for data in ({"value": "1"}, {"value": "-1", "from": "next"}):
        with CaptureQueriesContext(connection) as captured:
            client.post(vote_url(statements[5]), data, HTTP_HX_REQUEST="true")
        reads = [q["sql"] for q in captured.captured_queries if "opinion_analysis" in q["sql"]]
        assert len(reads) == (1 if "from" in data else 0)
        for sql in reads:  # only the extremity, extracted by the database
            assert "opinion_analysisstate" not in sql and "extremity" in sql


def test_pages_never_read_the_engine_state_which_is_stored_compressed(client, analysed, carol):
    client.force_login(carol)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("opinion:detail", args=["riverside", analysed.pk]))
    assert not [q for q in captured.captured_queries if "opinion_analysisstate" in q["sql"]]
    packed = bytes(AnalysisState.objects.get(conversation=analysed).packed)
    assert packed[:1] == b"\x78"  # zlib
    state = analysis.state_of(analysed.pk)
    assert state is not None and state.participant_ids == ["0", "1", "2"]


def test_the_next_card_after_a_vote_is_the_one_the_page_shows(client, analysed, statements, carol):
    signed_in(client, carol, analysed)
    response = client.post(
        vote_url(statements[4]), {"value": "1", "from": "next"}, HTTP_HX_REQUEST="true"
    )
    membership = carol.memberships.get(organisation=analysed.organisation)
    shown = selectors.conversation_view(analysed, membership).next_statement
    assert shown is not None
    assert shown.pk == selectors.next_statement_for(analysed, membership).pk
    assert f"/statements/{shown.pk}/vote/" in response.content.decode()


def test_routing_reads_only_the_extremity_of_the_newest_analysis(analysed):
    stored = Analysis.objects.get(conversation=analysed)
    assert selectors.extremity_of(analysed) == stored.result["extremity"]
    assert selectors.extremity_of(Conversation(pk=0)) == {}


@override_settings(TASKS=DEFERRING, OPINION_ANALYSIS_INTERVAL=60)
def test_votes_during_a_run_queue_one_deferred_run_and_no_more(
    conversation, statements, alice, bob, carol, monkeypatch, django_capture_on_commit_callbacks
):
    for statement in statements:
        services.statement_vote(user=alice, statement=statement, value=1)
    real_run = analysis.analysis_run

    def run_and_meanwhile_vote(conversation_id, seen):
        services.statement_vote(user=bob, statement=statements[0], value=-1)
        return real_run(conversation_id, seen)

    monkeypatch.setattr(analysis, "analysis_run", run_and_meanwhile_vote)
    backend = conversation_analyse_task.get_backend()
    backend.clear()
    analysis.analysis_loop(conversation.pk)
    # One run, then the next queued for the end of the interval; the flag stays set.
    assert Analysis.objects.get(conversation=conversation).version == 1
    [queued] = backend.results
    assert queued.args == [conversation.pk]
    assert queued.task.run_after > timezone.now() + datetime.timedelta(seconds=50)
    assert Conversation.objects.get(pk=conversation.pk).analysis_queued
    # Votes meanwhile find the flag set: they enqueue nothing.
    with django_capture_on_commit_callbacks(execute=True):
        services.statement_vote(user=carol, statement=statements[1], value=1)
    assert analyses_queued(backend) == [queued]
    assert len(backend.results) == 1


@override_settings(TASKS=DEFERRING, OPINION_ANALYSIS_INTERVAL=0)
def test_without_an_interval_the_task_loops_until_no_vote_arrived(
    conversation, statements, alice, bob, monkeypatch
):
    for statement in statements:
        services.statement_vote(user=alice, statement=statement, value=1)
    real_run = analysis.analysis_run
    runs = []

    def run_and_meanwhile_vote(conversation_id, seen):
        runs.append(seen)
        if len(runs) == 1:
            services.statement_vote(user=bob, statement=statements[0], value=-1)
        return real_run(conversation_id, seen)

    monkeypatch.setattr(analysis, "analysis_run", run_and_meanwhile_vote)
    conversation_analyse_task.get_backend().clear()
    analysis.analysis_loop(conversation.pk)
    assert len(runs) == 2 and not conversation_analyse_task.get_backend().results
    assert not Conversation.objects.get(pk=conversation.pk).analysis_queued


def test_a_vote_racing_the_close_is_refused_and_writes_nothing(statements, bob, carol, riverside):
    from parrhesia.record.models import RecordEntry

    services.statement_vote(user=carol, statement=statements[0], value=1)
    stale = Statement.objects.select_related("conversation").get(pk=statements[1].pk)
    services.conversation_close(user=bob, conversation=statements[1].conversation, reason="Done.")
    entries = RecordEntry.objects.filter(organisation=riverside).count()
    assert stale.conversation.is_open  # loaded before the close, as a request may have
    with pytest.raises(services.ConversationClosed):
        services.statement_vote(user=carol, statement=stale, value=-1)
    assert not Vote.objects.filter(statement=stale).exists()
    assert RecordEntry.objects.filter(organisation=riverside).count() == entries
