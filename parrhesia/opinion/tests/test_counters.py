"""A statement's vote counters always equal a count of its votes, however votes come."""

from __future__ import annotations

import random

import pytest
from django.db.models import Count, Q

from parrhesia.opinion import services
from parrhesia.opinion.models import Statement, Vote

pytestmark = pytest.mark.django_db


def counted(conversation) -> dict[int, tuple[int, int, int, int]]:
    rows = (
        Vote.objects.filter(statement__conversation=conversation)
        .values("statement_id")
        .annotate(
            a=Count("pk", filter=Q(value=1)),
            d=Count("pk", filter=Q(value=-1)),
            p=Count("pk", filter=Q(value=0)),
            c=Count("pk", filter=Q(changes__gt=0)),
        )
    )
    found = {r["statement_id"]: (r["a"], r["d"], r["p"], r["c"]) for r in rows}
    return {s.pk: found.get(s.pk, (0, 0, 0, 0)) for s in conversation.statements.all()}


def kept(conversation) -> dict[int, tuple[int, int, int, int]]:
    return {
        pk: (a, d, p, c)
        for pk, a, d, p, c in Statement.objects.filter(conversation=conversation).values_list(
            "pk", "n_agree", "n_disagree", "n_pass", "n_changed"
        )
    }


def test_votes_and_changes_of_mind_keep_the_counters(conversation, statements, alice, bob, carol):
    rng = random.Random(7)
    for _ in range(60):
        services.statement_vote(
            user=rng.choice([alice, bob, carol]),
            statement=rng.choice(statements),
            value=rng.choice([1, -1, 0]),
        )
    assert kept(conversation) == counted(conversation)
    assert sum(c for *_, c in kept(conversation).values()) > 0  # some changed their mind


def test_an_import_sets_the_counters(riverside, tmp_path):
    from parrhesia.opinion.tests.test_polis import write_polis

    conversation = services.conversation_import(
        organisation=riverside, folder=str(write_polis(tmp_path / "polis"))
    )
    assert kept(conversation) == counted(conversation)
    assert sum(a + d + p for a, d, p, _ in kept(conversation).values()) == Vote.objects.filter(
        statement__conversation=conversation
    ).count()
