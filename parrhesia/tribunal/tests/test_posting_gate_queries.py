"""The posting gate (``can_post``: an active member whom no verdict suspends) reads the
suspension once per request, however many motions, arguments and forms a page asks it about
(issue 13: the gate was read again for every permission that asks it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parrhesia.orgs.models import Membership
from parrhesia.tribunal import services
from parrhesia.tribunal.models import Suspension

pytestmark = pytest.mark.django_db

ASKING_THE_GATE = ["tribunal.post", "tribunal.report", "opinion.open_conversation"]


def suspension_reads(captured) -> int:
    return sum('"tribunal_suspension"' in query["sql"] for query in captured)


def test_one_person_asked_many_times_is_read_once(riverside, carol):
    with CaptureQueriesContext(connection) as captured:
        answers = [carol.has_perm(p, riverside) for p in ASKING_THE_GATE * 3]
    assert all(answers)
    assert suspension_reads(captured) == 1


def test_the_item_page_reads_it_once(client, admitted, motion, carol):
    client.force_login(carol)
    url = reverse("agenda:item", args=["riverside", admitted.pk])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert suspension_reads(captured) == 1


def test_the_answer_read_once_is_still_the_suspension(riverside, alice, carol):
    membership = Membership.objects.get(organisation=riverside, user=carol)
    case = services.report_file(
        user=alice,
        organisation=riverside,
        kind="member",
        object_id=membership.pk,
        rules=[1],
        description="Insulted a neighbour at the meeting.",
    )
    Suspension.objects.create(
        member=membership,
        case=case,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(days=7),
    )
    with CaptureQueriesContext(connection) as captured:
        answers = [carol.has_perm(p, riverside) for p in ASKING_THE_GATE * 3]
    assert not any(answers) and suspension_reads(captured) == 1
