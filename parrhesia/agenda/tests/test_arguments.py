"""The argument map: nesting, challenges that stay attached, endorsements, the reason for each
place, tombstones, and a constant number of queries."""

from __future__ import annotations

import pytest
from django.core import mail  # noqa: F401
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from parrhesia.agenda import selectors, services
from parrhesia.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_challenge_stays_attached_and_the_author_is_told(motion, alice, bob, carol):
    argument = services.argument_add(user=alice, motion=motion, stance="pro", text="It worked.")
    challenge = services.argument_challenge(user=bob, argument=argument, kind="source")
    assert Notification.objects.filter(recipient=alice, kind="challenge").exists()
    with pytest.raises(PermissionDenied):
        services.challenge_answer(user=carol, challenge=challenge, answer="I know it did")
    services.challenge_answer(user=alice, challenge=challenge, answer="Minutes of 2019, p. 3")
    challenge.refresh_from_db()
    assert challenge.is_answered
    assert Notification.objects.filter(recipient=bob, kind="challenge_answered").exists()
    with pytest.raises(services.AgendaError):
        services.challenge_answer(user=alice, challenge=challenge, answer="Again")


def test_a_free_text_challenge_needs_its_text(motion, alice, bob):
    argument = services.argument_add(user=alice, motion=motion, stance="pro", text="It worked.")
    with pytest.raises(services.TextInvalid):
        services.argument_challenge(user=bob, argument=argument, kind="other", text=" ")


def test_replies_nest_and_the_reply_notifies_the_author(motion, alice, bob):
    parent = services.argument_add(user=alice, motion=motion, stance="pro", text="It worked.")
    services.argument_add(
        user=bob, motion=motion, stance="rebuttal", text="Not here.", parent=parent
    )
    with pytest.raises(services.AgendaError):
        services.argument_add(user=bob, motion=motion, stance="pro", text="x", parent=parent)
    result = selectors.argument_map(motion, None)
    [top] = result.pro
    assert [reply.argument.author_name for reply in top.replies] == ["Bob Steward"]
    assert [node.depth for node in result.pro_flat] == [0, 1]
    assert Notification.objects.filter(recipient=alice, kind="reply").exists()


def test_endorsements_order_the_map_and_the_page_says_why(motion, alice, bob, carol):
    older = services.argument_add(user=alice, motion=motion, stance="con", text="Risky.")
    newer = services.argument_add(user=alice, motion=motion, stance="con", text="Costly.")
    endorsed = services.argument_add(user=alice, motion=motion, stance="con", text="Illegal?")
    services.argument_endorse(user=bob, argument=endorsed)
    with pytest.raises(services.AgendaError):
        services.argument_endorse(user=alice, argument=endorsed)  # not one's own
    result = selectors.argument_map(motion, None)
    assert result.method == "endorsements"
    assert [n.argument.pk for n in result.con] == [endorsed.pk, newer.pk, older.pk]
    assert "1 endorsement;" in result.con[0].reason  # one, not "1 endorsements" (issue 14)
    assert "0 endorsements;" in result.con[1].reason
    services.argument_endorse(user=bob, argument=endorsed, strong=False)
    assert selectors.argument_map(motion, None).con[0].endorsements == 0


def test_a_withdrawn_argument_leaves_a_tombstone_and_nobody_else_may_touch_it(motion, alice, bob):
    argument = services.argument_add(user=alice, motion=motion, stance="pro", text="It worked.")
    with pytest.raises(PermissionDenied):
        services.argument_revise(user=bob, argument=argument, text="It failed.")
    with pytest.raises(PermissionDenied):
        services.argument_withdraw(user=bob, argument=argument)
    services.argument_revise(user=alice, argument=argument, text="It worked in block C.")
    assert list(argument.revisions.values_list("text", flat=True)) == [
        "It worked.",
        "It worked in block C.",
    ]
    services.argument_withdraw(user=alice, argument=argument)
    [node] = selectors.argument_map(motion, None).pro
    assert node.argument.is_withdrawn and "Withdrawn" in node.reason


def test_bridging_orders_when_enough_members_endorse(motion, riverside, alice):
    from tests.fixtures.agenda import newcomer

    people = [newcomer(riverside, alice, f"tenant{i}") for i in range(8)]
    left, right = people[:4], people[4:]
    a_left = [
        services.argument_add(user=alice, motion=motion, stance="pro", text=f"L{i}")
        for i in range(3)
    ]
    a_right = [
        services.argument_add(user=alice, motion=motion, stance="con", text=f"R{i}")
        for i in range(3)
    ]
    bridge = services.argument_add(user=alice, motion=motion, stance="pro", text="Both sides agree")
    crowd = services.argument_add(user=alice, motion=motion, stance="pro", text="Left loves it")
    for person in left:
        for argument in (*a_left, crowd, bridge):
            services.argument_endorse(user=person, argument=argument)
    for person in right:
        for argument in a_right:
            services.argument_endorse(user=person, argument=argument)
    for person in right[:2]:
        services.argument_endorse(user=person, argument=bridge)
    result = selectors.argument_map(motion, None)
    assert result.method == "bridging"
    assert result.pro[0].argument.pk == bridge.pk
    assert "Bridging score" in result.pro[0].reason
    assert all(n.reason for n in result.pro + result.con)


def test_the_map_page_issues_a_constant_number_of_queries(
    client, motion, alice, bob, carol, django_assert_num_queries
):
    def add(count: int) -> None:
        for i in range(count):
            parent = services.argument_add(user=alice, motion=motion, stance="pro", text=f"P{i}")
            reply = services.argument_add(
                user=bob, motion=motion, stance="rebuttal", text=f"R{i}", parent=parent
            )
            services.argument_challenge(user=carol, argument=reply, kind="source")
            services.argument_endorse(user=carol, argument=parent)

    client.force_login(carol)
    url = reverse("agenda:arguments", args=["riverside", motion.pk])
    add(2)
    client.get(url)  # warm the caches that are per process, not per page
    with django_assert_num_queries(NUM_QUERIES):
        assert client.get(url).status_code == 200
    add(20)
    with django_assert_num_queries(NUM_QUERIES) as captured:
        response = client.get(url)
    assert response.content.count(b'class="argument ') == 44
    del captured


# 9 for the map itself, + 3 for the tribunal's measures (docs/tribunal.md §1): the motion's, the
# arguments' and the challenges' (the map reads the challenges' ids with them), + 1 for the
# reader's unread notifications (the organisation's menu), + 1 for whether the reader may add an
# argument or report (agenda.argue_now and tribunal.report ask the tribunal whether they are
# suspended, which is read once: tribunal.rules.PostingFacts), − 1 since the page's permission
# checks and its services share one membership lookup (kernel.access).
NUM_QUERIES = 13
