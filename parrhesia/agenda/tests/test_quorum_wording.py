"""What the page says of the quorum agrees with the phase the item is in, and one supporter reads
in the singular (issue 14)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.agenda.models import AgendaItem, Phase

pytestmark = pytest.mark.django_db

ITEM = {
    "title": "Paint the hall",
    "motion_title": "Paint it green",
    "text": "We paint the hall green before the summer.",
}


def test_an_item_its_author_alone_admits_is_not_said_to_need_supporters(client, harbour, dave):
    client.force_login(dave)  # the only member: his own support meets the quorum
    response = client.post(reverse("agenda:item_open", args=["harbour"]), ITEM, follow=True)
    item = AgendaItem.objects.get(organisation=harbour)
    assert item.phase == Phase.DISCUSSION
    page = response.content.decode()
    assert "It needs supporters to be admitted" not in page
    assert "The item is open and admitted to discussion." in page
    assert "1 supporter (" in page and "1 supporters" not in page


def test_an_item_waiting_for_supporters_says_so(client, riverside, carol, half_quorum):
    client.force_login(carol)
    response = client.post(reverse("agenda:item_open", args=["riverside"]), ITEM, follow=True)
    assert AgendaItem.objects.get(organisation=riverside).phase == Phase.ADMISSION
    assert "It needs supporters to be admitted" in response.content.decode()
