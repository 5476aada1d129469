"""An item's, a motion's and an argument's page read in a constant number of queries, however
many motions, suggestions, replies and challenges they show (the map's own test is with the
argument map, test_arguments.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parrhesia.agenda import services

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_item_page_issues_a_constant_number_of_queries(
    client, admitted, motion, alice, bob, carol
):
    client.force_login(carol)
    url = reverse("agenda:item", args=["riverside", admitted.pk])
    client.get(url)  # warm the caches that are per process, not per page
    assert queries(client, url) == ITEM_QUERIES
    for i in range(5):
        services.motion_file_alternative(
            user=bob, item=admitted, title=f"Alternative {i}", text=f"We do {i}."
        )
    assert queries(client, url) == ITEM_QUERIES


def test_the_motion_and_argument_pages_issue_a_constant_number_of_queries(
    client, admitted, motion, alice, bob, carol
):
    argument = services.argument_add(user=alice, motion=motion, stance="pro", text="It worked.")

    def add(count: int) -> None:
        for i in range(count):
            services.suggestion_file(user=bob, motion=motion, text=f"We withhold {i} %.")
            reply = services.argument_add(
                user=bob, motion=motion, stance="rebuttal", text=f"Not {i}.", parent=argument
            )
            services.argument_challenge(user=bob, argument=argument, kind="source")
            services.argument_endorse(user=alice, argument=reply)

    client.force_login(carol)
    pages = [
        reverse("agenda:motion", args=["riverside", motion.pk]),
        reverse("agenda:argument", args=["riverside", argument.pk]),
    ]
    add(1)
    for url in pages:
        client.get(url)
    few = [queries(client, url) for url in pages]
    add(5)
    assert [queries(client, url) for url in pages] == few


# The page's own 9 (session, user, organisation, membership, item, motions with their support
# counts, their current versions, following, the open questions), + 1 for the tribunal's
# measures on the motions, + 1 for the reader's unread notifications (the organisation's
# menu), + 1 for what the page may offer that asks the tribunal whether the reader is suspended
# (agenda.file_alternative_now, agenda.file_question: read once, tribunal.rules.PostingFacts),
# + 2 for the quick proposals and polls held in the item and the decision policy that says
# whether the reader may start one (decisions' tag ``quick_ballots_of``), + 1 for the item's
# discussion thread (discussions' tag ``discussion_thread``: its posts; none here).
ITEM_QUERIES = 15
