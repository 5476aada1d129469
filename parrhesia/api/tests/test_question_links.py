"""A question's answer link is offered as a link only when it is a web address, as on its page:
a stored ``javascript:`` (from before the service checked) is text, never ``answer_url``."""

from __future__ import annotations

import pytest

from parrhesia.agenda import services as agenda
from parrhesia.agenda.models import Question
from parrhesia.api.services import token_create
from parrhesia.api.tests.conftest import call

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("stored", "url"),
    [("https://example.org/minutes", "https://example.org/minutes"), ("javascript:alert(1)", "")],
)
def test_only_a_web_address_is_an_answer_url(client, riverside, alice, stored, url):
    question = agenda.question_file(user=alice, organisation=riverside, title="Who owns it?")
    Question.objects.filter(pk=question.pk).update(answer_link=stored, status="answered")
    _row, token = token_create(user=alice, organisation=riverside, scopes=["read"])
    path = f"/api/v1/orgs/{riverside.slug}/agenda/questions/{question.pk}"
    answer = call(client, "get", path, token).json()
    assert (answer["answer_link"], answer["answer_url"]) == (stored, url)
