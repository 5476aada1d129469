"""The notices moved out of the agenda app with their tables: a site that already had
notices and digest settings keeps every one of them, each notice under its item's title."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from parrhesia.notifications.models import Notification, NotificationSetting
from parrhesia.notifications.services import digest_body

BEFORE = [("agenda", "0003_withdrawals"), ("notifications", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def old_site(old):
    """An organisation with an item, a notice about it, another about nothing, a setting."""
    user = old.get_model("accounts", "User").objects.create(username="carol", email="c@x.org")
    organisation = old.get_model("orgs", "Organisation").objects.create(name="R", slug="r")
    member = old.get_model("orgs", "Membership").objects.create(
        organisation=organisation, user=user
    )
    item = old.get_model("agenda", "AgendaItem").objects.create(
        organisation=organisation, title="The 9 % rent rise", opened_by=member,
        admission_days=14, discussion_days=7, frozen_days=2, admission_quorum_percent=10,
        alternative_quorum_percent=5,
    )  # fmt: skip
    notification = old.get_model("agenda", "Notification")
    about = notification.objects.create(
        recipient=user, organisation=organisation, item=item, kind="phase",
        params={"phase": "discussion"}, url="/o/r/agenda/items/1/",
    )  # fmt: skip
    loose = notification.objects.create(
        recipient=user, organisation=organisation, item=None, kind="case_dismissed",
        params={"number": 3}, url="/o/r/tribunal/3/",
    )  # fmt: skip
    setting = old.get_model("agenda", "NotificationSetting").objects.create(
        member=member, digest="weekly"
    )
    return about.pk, loose.pk, setting.pk


@pytest.mark.django_db(transaction=True)
def test_notices_and_settings_survive_the_move_with_their_topic():
    about, loose, setting = old_site(migrate(BEFORE))
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    moved = Notification.objects.get(pk=about)
    assert moved.topic == "The 9 % rent rise" and moved.kind == "phase"
    assert Notification.objects.get(pk=loose).topic == ""
    assert NotificationSetting.objects.get(pk=setting).digest == "weekly"
    with translation.override("en"):
        body = digest_body(list(Notification.objects.order_by("pk")))
    assert body.startswith("The 9 % rent rise\n")
    assert "Other" in body  # the notice about no item, under its own heading
