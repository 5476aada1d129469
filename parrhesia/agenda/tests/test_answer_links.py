"""A question's answer link is a web address or nothing: no ``javascript:``, ``data:``, ``//host``.

The form and the service refuse anything but ``http://`` and ``https://`` with a clear message,
and a link stored before this rule is shown as text, never as a link.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.agenda import services
from parrhesia.agenda.models import Question, QuestionStatus

pytestmark = pytest.mark.django_db

REFUSED = [
    "javascript://%0aalert(document.cookie)",
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "//evil.example/answer",
    "data:text/html,<script>alert(1)</script>",
    "/o/riverside/decisions/1/",
    "https://",
    "https://exa mple.org/",
    "ftp://example.org/answer",
]
MESSAGE = "The link to the answer must be a web address starting with https:// or http://."


@pytest.fixture
def question(riverside, carol):
    return services.question_file(user=carol, organisation=riverside, title="Who owns D?")


@pytest.mark.parametrize("link", REFUSED)
def test_the_service_refuses_a_link_that_is_not_a_web_address(question, bob, link):
    with pytest.raises(services.AgendaError, match="must be a web address"):
        services.question_status_set(
            user=bob, question=question, status="answered", answer_link=link
        )
    question.refresh_from_db()
    assert (question.status, question.answer_link) == (QuestionStatus.OPEN, "")


@pytest.mark.parametrize("link", REFUSED[:5])
def test_the_form_refuses_it_with_a_clear_message(client, question, bob, link):
    client.force_login(bob)
    response = client.post(
        reverse("agenda:question_status", args=["riverside", question.pk]),
        {"status": "answered", "answer_link": link},
    )
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    question.refresh_from_db()
    assert question.answer_link == ""


@pytest.mark.parametrize("link", ["https://example.org/answer?x=1", "http://example.org/a"])
def test_a_web_address_is_kept_and_shown_as_a_link(client, question, bob, link):
    services.question_status_set(user=bob, question=question, status="answered", answer_link=link)
    client.force_login(bob)
    page = client.get(reverse("agenda:question", args=["riverside", question.pk])).content.decode()
    assert f'<a href="{link.replace("&", "&amp;")}" rel="nofollow noopener">' in page


@pytest.mark.parametrize("link", REFUSED[:5])
def test_a_bad_link_stored_earlier_is_shown_as_text(client, question, bob, link):
    Question.objects.filter(pk=question.pk).update(status="answered", answer_link=link)
    client.force_login(bob)
    page = client.get(reverse("agenda:question", args=["riverside", question.pk])).content.decode()
    assert "<dt>Answer</dt>" in page
    assert 'href="javascript' not in page.replace("JavaScript", "javascript")
    assert 'href="//evil' not in page and 'href="data:' not in page and 'href=" java' not in page
