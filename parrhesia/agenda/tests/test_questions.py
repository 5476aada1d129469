"""The register of open questions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from parrhesia.agenda import selectors, services
from parrhesia.agenda.models import Question, QuestionStatus

pytestmark = pytest.mark.django_db


def test_a_question_links_to_the_item_it_leaves_open(admitted, motion, riverside, carol):
    argument = services.argument_add(user=carol, motion=motion, stance="con", text="Evictions?")
    question = services.question_file(
        user=carol, organisation=riverside, title="Can they evict strikers?",
        links=[("argument", argument.pk)],
    )  # fmt: skip
    assert list(selectors.questions_left_open(admitted)) == [question]
    with pytest.raises(services.AgendaError):
        services.question_link(user=carol, question=question, kind="motion", target_id=999999)


def test_statuses_name_who_studies_and_need_a_reason_or_answer(riverside, carol, bob):
    question = services.question_file(user=carol, organisation=riverside, title="Who owns D?")
    services.question_status_set(user=carol, question=question, status="studying")
    question.refresh_from_db()
    assert question.studied_by.user == carol
    with pytest.raises(services.TextInvalid):
        services.question_status_set(user=carol, question=question, status="answered")
    with pytest.raises(PermissionDenied):
        services.question_status_set(user=carol, question=question, status="set_aside", reason="x")
    with pytest.raises(services.TextInvalid):
        services.question_status_set(user=bob, question=question, status="set_aside")
    services.question_status_set(user=bob, question=question, status="set_aside", reason="Moot")
    question.refresh_from_db()
    assert (question.status, question.studied_by) == (QuestionStatus.SET_ASIDE, None)


def test_untouched_for_90_days_a_question_is_stale(client, riverside, carol):
    question = services.question_file(user=carol, organisation=riverside, title="Who owns D?")
    assert not question.is_stale()
    Question.objects.filter(pk=question.pk).update(touched_at=timezone.now() - timedelta(days=90))
    question.refresh_from_db()
    assert question.is_stale()
    client.force_login(carol)
    page = client.get(reverse("agenda:questions", args=["riverside"]))
    assert b"Stale" in page.content


def test_the_register_is_in_the_organisation_navigation(client, riverside, carol):
    client.force_login(carol)
    page = client.get(reverse("orgs:detail", args=["riverside"])).content.decode()
    assert reverse("agenda:questions", args=["riverside"]) in page
    assert reverse("agenda:index", args=["riverside"]) in page
