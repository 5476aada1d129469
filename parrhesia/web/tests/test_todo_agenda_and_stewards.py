"""The agenda and the stewards' work in a member's to-do: an item they follow while it takes
text (by the phase's end), their open questions, and for stewards the join requests waiting."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.agenda import services as agenda
from parrhesia.kernel.todo import todo_for
from parrhesia.orgs.models import JoinRequest

pytestmark = pytest.mark.django_db


def test_an_item_followed_shows_until_its_phase_ends_and_leaves_when_unfollowed(item, carol):
    agenda.item_follow_set(user=carol, item=item, follow=True)
    [row] = todo_for(carol)
    assert (row.uid, str(row.action)) == (f"item-{item.pk}", "Followed: seeks supporters")
    assert row.deadline == item.phase_ends_at
    assert row.url == reverse("agenda:item", args=["riverside", item.pk])
    agenda.item_follow_set(user=carol, item=item, follow=False)
    assert todo_for(carol) == []


def test_an_open_question_stays_until_answered_or_withdrawn(riverside, carol):
    question = agenda.question_file(
        user=carol, organisation=riverside, title="Who pays for the lift repairs?"
    )
    assert [row.uid for row in todo_for(carol)] == [f"question-{question.pk}"]
    agenda.question_withdraw(user=carol, question=question)
    assert todo_for(carol) == []


def test_stewards_see_join_requests_waiting_and_members_do_not(
    client, riverside, alice, bob, carol, erin
):
    JoinRequest.objects.create(organisation=riverside, user=erin, message="Flat 4B")
    [row] = todo_for(bob)
    assert (row.kind, row.title) == ("join_requests", "1 request to join")
    assert row.url == reverse("orgs:join_requests", args=["riverside"])
    assert [row.kind for row in todo_for(alice)] == ["join_requests"]
    assert todo_for(carol) == []
    client.force_login(bob)
    page = client.get(reverse("orgs:detail", args=["riverside"])).content.decode()
    assert (
        "1 request to join" in page
        and "Erin" not in page.split("What needs you")[1].split("</section>")[0]
    )
