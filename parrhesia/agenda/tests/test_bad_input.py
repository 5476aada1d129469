"""Bad input gives clear errors: empty texts, 1 MB texts, broken Markdown, HTML."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.agenda import services
from parrhesia.agenda.texts import markdown_html

pytestmark = pytest.mark.django_db
MEGABYTE = "a" * 1_000_000


def test_empty_and_huge_texts_are_refused_by_the_services(riverside, alice, motion):
    with pytest.raises(services.TextInvalid, match="empty"):
        services.agenda_item_open(
            user=alice, organisation=riverside, title=" ", motion_title="x", text="y"
        )
    with pytest.raises(services.TextInvalid, match="too long"):
        services.argument_add(user=alice, motion=motion, stance="pro", text=MEGABYTE)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "agenda:item_open",
            {"title": "", "motion_title": "", "text": ""},
            b"This field is required",
        ),
        (
            "agenda:item_open",
            {"title": "x", "motion_title": "y", "text": MEGABYTE},
            b"at most 50000",
        ),
        ("agenda:question_new", {"title": MEGABYTE}, b"at most 300"),
    ],
)
def test_forms_answer_400_with_the_reason(client, riverside, carol, name, data, message):
    client.force_login(carol)
    response = client.post(reverse(name, args=["riverside"]), data)
    assert response.status_code == 400
    assert message in response.content


def test_an_empty_argument_or_reply_is_a_form_error(client, motion, carol, alice):
    client.force_login(carol)
    url = reverse("agenda:arguments", args=["riverside", motion.pk])
    response = client.post(url, {"stance": "pro", "text": "   "})
    assert response.status_code == 400 and b"This field is required" in response.content
    argument = services.argument_add(user=alice, motion=motion, stance="pro", text="Fine.")
    reply = client.post(
        reverse("agenda:argument_reply", args=["riverside", argument.pk]),
        {"stance": "rebuttal", "text": MEGABYTE},
    )
    assert reply.status_code == 400 and b"at most 5000" in reply.content
    challenge = client.post(
        reverse("agenda:argument_challenge", args=["riverside", argument.pk]), {"kind": "other"}
    )
    assert challenge.status_code == 400 and b"Say what your challenge is" in challenge.content


def test_broken_markdown_renders_and_html_is_never_live():
    assert markdown_html("**unclosed *emphasis [link](").startswith("<p>**unclosed")
    html = markdown_html("<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=y>")
    assert "<script" not in html and 'href="javascript' not in html and "<img" not in html
    assert "&lt;script&gt;" in html  # shown as text, so a reader sees what was written


def test_a_phase_action_out_of_order_is_a_clear_message(client, item, motion, alice, carol):
    services.phases_advance_due(item.phase_ends_at)  # lapses: nobody else supported it
    client.force_login(carol)
    response = client.post(
        reverse("agenda:motion_support", args=["riverside", motion.pk]), follow=True
    )
    assert (
        b"no longer before the organisation" in response.content
        or b"only during" in response.content
    )
