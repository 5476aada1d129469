"""Search behind one interface; endorsing in place with htmx."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.agenda import services

pytestmark = pytest.mark.django_db


def test_search_finds_items_motions_arguments_and_questions(client, motion, riverside, carol):
    services.argument_add(user=carol, motion=motion, stance="con", text="Evictions would follow.")
    services.question_file(user=carol, organisation=riverside, title="Are evictions lawful?")
    client.force_login(carol)
    page = client.get(reverse("agenda:search", args=["riverside"]), {"q": "evict"})
    assert page.status_code == 200
    assert b"Are evictions lawful?" in page.content and b"Argument #" in page.content
    page = client.get(reverse("agenda:search", args=["riverside"]), {"q": "landlord"})
    assert b"Rent strike" in page.content  # the motion's text
    assert (
        client.get(reverse("agenda:search", args=["riverside"]), {"q": '"*) OR'}).status_code == 200
    )


def test_search_keeps_to_its_organisation(client, motion, harbour, dave):
    client.force_login(dave)
    page = client.get(reverse("agenda:search", args=["harbour"]), {"q": "landlord"})
    assert b"Rent strike" not in page.content


def test_endorsing_with_htmx_swaps_the_button_in_place(client, motion, alice, carol):
    argument = services.argument_add(user=alice, motion=motion, stance="pro", text="It worked.")
    client.force_login(carol)
    url = reverse("agenda:argument_endorse", args=["riverside", argument.pk])
    response = client.post(url, {"strong": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'aria-pressed="true"' in response.content and b"<html" not in response.content
    assert client.post(url, {"strong": "0"}).status_code == 302
    assert argument.endorsements.count() == 0
