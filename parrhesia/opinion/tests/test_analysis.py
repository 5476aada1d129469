"""The opinion map as a background task: single-flight, versioned, warm; routing order."""

from __future__ import annotations

import numpy as np
import pytest
from django.test import override_settings

from parrhesia.opinion import analysis, selectors, services
from parrhesia.opinion.models import Analysis, Conversation, Statement
from parrhesia.opinion.tasks import conversation_analyse_task
from parrhesia.opinion.tests.conftest import SEEDS
from parrhesia.orgs import services as org_services

pytestmark = pytest.mark.django_db

# alice and carol agree with the strike, bob disagrees: two camps.
VOTES = {"alice": [1, 1, -1, -1], "carol": [1, 1, -1, 0], "bob": [-1, -1, 1, 1]}
# A backend that keeps what is queued without running it (the tests' own runs tasks at once).
DEFERRING = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def vote_all(people, statements, capture=None):
    for username, values in VOTES.items():
        for statement, value in zip(statements, values, strict=True):
            services.statement_vote(user=people[username], statement=statement, value=value)


@pytest.fixture
def people(alice, bob, carol):
    return {"alice": alice, "bob": bob, "carol": carol}


def analyses_queued(backend) -> list:
    """The analysis tasks a deferring backend holds (queued, never run)."""
    return [r for r in backend.results if r.task.func == conversation_analyse_task.func]


@override_settings(TASKS=DEFERRING)
def test_a_batch_of_votes_queues_one_analysis(
    conversation, statements, people, django_capture_on_commit_callbacks
):
    backend = conversation_analyse_task.get_backend()
    backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        vote_all(people, statements)
    # Each vote is its own transaction here, but only the first found the flag clear.
    conversation.refresh_from_db()
    assert conversation.analysis_queued and conversation.votes_cast == 12
    analyses = analyses_queued(backend)
    assert len(analyses) == 1
    assert analyses[0].args == [conversation.pk]
    analysis.analysis_loop(conversation.pk)
    conversation.refresh_from_db()
    stored = Analysis.objects.get(conversation=conversation)
    assert not conversation.analysis_queued
    assert (stored.version, stored.votes_cast) == (1, 12)
    assert stored.result["enough"]
    assert analysis.state_of(conversation.pk).participant_ids == ["0", "1", "2"]


def test_the_task_runs_after_commit_and_the_next_vote_queues_the_next(
    conversation, statements, people, carol, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        vote_all(people, statements)
    stored = Analysis.objects.get(conversation=conversation)
    assert stored.votes_cast == 12
    with django_capture_on_commit_callbacks(execute=True):
        services.statement_vote(user=carol, statement=statements[3], value=-1)
    stored.refresh_from_db()
    assert stored.votes_cast == 13 and stored.version > 1
    assert not Conversation.objects.get(pk=conversation.pk).analysis_queued


def test_votes_arriving_during_a_run_are_analysed_before_the_flag_clears(
    conversation, statements, people, carol, monkeypatch
):
    vote_all(people, statements)
    real_run = analysis.analysis_run
    runs = []

    def run_and_meanwhile_vote(conversation_id, seen):
        runs.append(seen)
        if len(runs) == 1:  # a vote commits while the first run computes
            services.statement_vote(user=carol, statement=statements[3], value=1)
        return real_run(conversation_id, seen)

    monkeypatch.setattr(analysis, "analysis_run", run_and_meanwhile_vote)
    analysis.analysis_loop(conversation.pk)
    assert runs == [12, 13]
    assert Analysis.objects.get(conversation=conversation).votes_cast == 13
    assert not Conversation.objects.get(pk=conversation.pk).analysis_queued


def test_a_failed_run_clears_the_flag_so_the_next_vote_retries(
    conversation, statements, people, monkeypatch
):
    vote_all(people, statements)

    def broken(conversation_id, seen):
        raise RuntimeError("boom")

    monkeypatch.setattr(analysis, "analysis_run", broken)
    with pytest.raises(RuntimeError):
        analysis.analysis_loop(conversation.pk)
    assert not Conversation.objects.get(pk=conversation.pk).analysis_queued


def test_the_map_separates_the_camps_and_places_each_member(
    conversation, statements, people, alice, bob, carol, riverside
):
    vote_all(people, statements)
    analysis.analysis_loop(conversation.pk)
    memberships = {m.user_id: m for m in riverside.memberships.all()}
    group = {
        u.username: selectors.opinion_group_of(conversation, memberships[u.pk])
        for u in (alice, bob, carol)
    }
    assert group["alice"].label == group["carol"].label != group["bob"].label
    assert group["alice"].size == 2 and group["alice"].version == 1


def test_a_conversation_where_everyone_agrees_so_far_is_mapped_as_one_group(
    conversation, statements, people, riverside, alice, erin
):
    # Nothing divides anyone yet: there is no axis to draw, but the run must not fail (it once
    # did, in ARPACK), or the map would stay empty until somebody disagreed.
    invitation = org_services.invitation_create(user=alice, organisation=riverside, days_valid=2)
    org_services.invitation_accept(user=erin, token=invitation.token)
    statements.append(services.statement_add(user=erin, conversation=conversation, text="Yes."))
    for user in [*people.values(), erin]:
        for statement in statements:
            services.statement_vote(user=user, statement=statement, value=1)
    analysis.analysis_loop(conversation.pk)
    stored = Analysis.objects.get(conversation=conversation).result
    assert stored["enough"] and [g["size"] for g in stored["groups"]] == [4]


def test_a_member_who_has_not_voted_has_no_group(conversation, riverside, carol):
    membership = riverside.memberships.get(user=carol)
    assert selectors.opinion_group_of(conversation, membership) is None


def test_marked_statements_are_left_out_of_the_analysis(conversation, statements, bob):
    services.statement_mark(user=bob, statement=statements[2], mark="meta", reason="Process")
    _, left_out = analysis.vote_matrix(conversation.pk)
    assert left_out == ["2"]


def counted(conversation):
    return list(Statement.objects.filter(conversation=conversation).order_by("number"))


def test_routing_offers_under_voted_statements_first(conversation, statements, people, carol):
    vote_all(people, statements)
    fresh = services.statement_add(user=carol, conversation=conversation, text="A fresh idea.")
    ranked = selectors.statement_priorities(counted(conversation), None)
    # Polis priority-metric: ((1 − p)(E + 1)a · (1 + 8·2^(−S/5)))², p = (P+1)/(S+2),
    # a = (A+1)/(S+2). Unseen: (½ · ½ · 9)²; the last seed (1 agree, 1 pass of 3) ranks lower.
    assert ranked[fresh.pk] == pytest.approx((0.5 * 0.5 * 9) ** 2)
    novelty = 1 + 8 * 2 ** (-3 / 5)
    assert ranked[statements[3].pk] == pytest.approx((0.6 * 0.4 * novelty) ** 2)
    assert ranked[fresh.pk] > ranked[statements[3].pk]


def test_routing_gives_meta_statements_polis_fixed_priority_and_never_offers_off_topic(
    conversation, statements, bob
):
    services.statement_mark(user=bob, statement=statements[0], mark="meta", reason="Process")
    services.statement_mark(user=bob, statement=statements[1], mark="off_topic", reason="Parking")
    ranked = selectors.statement_priorities(counted(conversation), None)
    assert ranked[statements[0].pk] == pytest.approx(49.0)
    assert statements[1].pk not in ranked


def test_the_next_statement_is_never_one_already_voted_and_none_when_done(conversation, statements):
    rows = counted(conversation)
    voted = {rows[0].pk, rows[1].pk, rows[2].pk}
    for seed in range(20):
        assert selectors.statement_next(rows, voted, None, seed).pk == rows[3].pk
    assert selectors.statement_next(rows, {r.pk for r in rows}, None, 0) is None


def test_the_draw_follows_the_priorities(conversation, statements, people, carol):
    vote_all(people, statements)
    fresh = services.statement_add(user=carol, conversation=conversation, text="A fresh idea.")
    rows = counted(conversation)
    ranked = selectors.statement_priorities(rows, None)
    voted = {s.pk for s in statements[:3]}
    picks = [selectors.statement_next(rows, voted, None, seed).pk for seed in range(400)]
    expected = ranked[fresh.pk] / (ranked[fresh.pk] + ranked[statements[3].pk])
    assert np.mean([pick == fresh.pk for pick in picks]) == pytest.approx(expected, abs=0.07)


def test_seeds_are_what_the_conversation_starts_with():
    assert len(SEEDS) == 4
