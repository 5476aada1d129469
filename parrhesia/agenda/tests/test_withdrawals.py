"""An author may withdraw their own suggestion or question; a tombstone keeps its place, nobody
else can withdraw it, and the withdrawal is on the record."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from parrhesia.agenda import services
from parrhesia.agenda.models import SuggestionStatus
from parrhesia.agenda.services import AgendaError
from parrhesia.record.models import RecordEntry

pytestmark = pytest.mark.django_db


def last_action(organisation) -> str:
    return RecordEntry.objects.filter(organisation=organisation).order_by("-seq").first().action


def test_an_author_withdraws_a_suggestion_leaving_a_tombstone(client, admitted, motion, carol, bob):
    suggestion = services.suggestion_file(
        user=carol, motion=motion, text="We withhold the rise, politely.", explanation="Tone."
    )
    with pytest.raises(PermissionDenied):
        services.suggestion_withdraw(user=bob, suggestion=suggestion)
    client.force_login(carol)
    response = client.post(
        reverse("agenda:suggestion_withdraw", args=["riverside", suggestion.pk]), follow=True
    )
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.WITHDRAWN
    assert last_action(admitted.organisation) == "suggestion.withdrawn"
    page = response.content.decode()
    assert "Withdrawn by the author." in page and "politely" not in page
    with pytest.raises(AgendaError, match="Only an open suggestion"):
        services.suggestion_withdraw(user=carol, suggestion=suggestion)


def test_an_author_withdraws_a_question_leaving_a_tombstone(client, riverside, carol, bob):
    question = services.question_file(
        user=carol,
        organisation=riverside,
        title="Who owns block C?",
        text="Nobody knows.",
        links=[],
    )
    with pytest.raises(PermissionDenied):
        services.question_withdraw(user=bob, question=question)
    client.force_login(carol)
    response = client.post(
        reverse("agenda:question_withdraw", args=["riverside", question.pk]), follow=True
    )
    assert "Withdrawn by the author." in response.content.decode()
    assert last_action(riverside) == "question.withdrawn"
    register = client.get(reverse("agenda:questions", args=["riverside"])).content.decode()
    assert "withdrawn by the author" in register and "Who owns block C?" not in register
    with pytest.raises(AgendaError, match="already withdrawn"):
        services.question_withdraw(user=carol, question=question)
