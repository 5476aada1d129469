"""One gate for posting: every POST of the authorisation table, made by a member a verdict
suspended from posting, writes nothing — except what is not speaking, and their own defence,
appeal and leaving.

The world is the matrix's (tests/test_authorisation_matrix.py) with carol, its member, suspended
by a jury's verdict first: twelve long-standing members join to sit on the jury, then leave, so
that every row's objects stand as they do in the matrix.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from parrhesia.orgs import services as orgs
from parrhesia.orgs.models import JoinRequest, Membership
from parrhesia.record.selectors import record_size
from parrhesia.tribunal import services as tribunal
from parrhesia.tribunal.models import Sanction, Suspension
from tests.authorisation import TABLE  # before an app's rows, which it imports
from tests.fixtures.tribunal import all_vote, case_reload, court_convene
from tests.test_authorisation_matrix import World

pytestmark = pytest.mark.django_db

# What a suspended member may still POST, and why it is not speaking in the organisation.
ALLOWED = {
    "set_language": "their own language",
    "organisation_create": "a new organisation, where no verdict suspends them",
    "invite": "joining (a member is sent to the organisation)",
    "orgs:join": "joining (a member is sent to the organisation)",
    "orgs:membership": "leaving the organisation",
    "agenda:item_follow": "following an item",
    "agenda:motion_support": "supporting a motion",
    "agenda:suggestion_rate": "rating a suggestion (supporters only)",
    "agenda:argument_endorse": "endorsing an argument",
    "decisions:vote": "voting",
    "decisions:proxy": "giving their vote on one ballot to a proxy (voting)",
    "decisions:delegations": "delegating their vote on a topic (voting)",
    "decisions:delegation_renew": "renewing a delegation of their vote (voting)",
    "decisions:delegation_revoke": "taking their vote back from a delegate (voting)",
    "api_tokens:list": "their own API token (a credential; what it posts meets the same gate)",
    "decisions:cosign": "co-signing a minority report someone else wrote",
    "opinion:vote": "voting on a statement",
    "notifications:list": "their own notification settings",
    "notifications:read": "marking their notices read",
    "notifications:settings": "their own notification settings",
    "notifications_unsubscribe": "stopping e-mails of one kind (a signed link, no log-in)",
    "tribunal:defence": "their own defence",
    "tribunal:appeal": "their own appeal",
    "tribunal:jury_request": "a reporter asking a jury of their dismissed report (no new words)",
    "tribunal:availability": "their own availability for juries (private, off the record)",
    "todo_calendar_link": "their own calendar link (private, off the record)",
}

# The paths that let a suspended member speak before the gate; as a member not suspended, each
# of them writes (so that the test above cannot pass by refusing for another reason).
FORMER_LEAKS = (
    "decisions:minority",
    "tribunal:report",
    "tribunal:conflict",
    "agenda:question_status",
)

POSTS = sorted(name for name, row in TABLE.items() if row.post is not None)


def carol_suspend(organisation: Any, alice: Any, carol: Any, jurors_leave: bool = True) -> Any:
    """Carol's suspension as the tribunal gives it: a report, a defence, a jury's verdict."""
    court_convene(organisation, alice)
    accused = Membership.objects.get(organisation=organisation, user=carol)
    case = tribunal.report_file(
        user=alice,
        organisation=organisation,
        kind="member",
        object_id=accused.pk,
        rules=[1],
        description="Insulted a neighbour at the meeting.",
    )
    tribunal.defence_file(user=carol, case=case, statement="I was provoked.", answered=True)
    all_vote(case_reload(case), [Sanction.SUSPENSION] * 3)
    assert Suspension.objects.filter(member=accused).exists()
    for number in range(1, 13 if jurors_leave else 1):
        juror = Membership.objects.get(organisation=organisation, user__username=f"juror{number}")
        orgs.membership_leave(user=juror.user, organisation=organisation)
    return case_reload(case)


def world_case(world: World) -> Any:
    # the tribunal's rows read the world's case from tests.authorisation's own import of them
    from parrhesia.tribunal.tests.access import world_case as case_of

    return case_of(world)


def world_make(personas: dict[str, Any], riverside: Any, suspended: bool) -> World:
    alice, carol, erin = personas["admin"], personas["member"], personas["outsider"]
    world = World(
        organisation=riverside,
        invitation=orgs.invitation_create(user=alice, organisation=riverside),
        join_request=JoinRequest.objects.create(organisation=riverside, user=erin, message="C"),
        member_membership=Membership.objects.get(organisation=riverside, user=carol),
        users={
            "outsider": erin,
            "other": personas["other_member"],
            "member": carol,
            "steward": personas["steward"],
            "admin": alice,
        },
    )
    world_case(world)  # carol's report of alice, filed before any suspension
    if suspended:
        carol_suspend(riverside, alice, carol)
    return world


def table_counts() -> dict[str, int]:
    """How many rows each of the project's tables holds."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model.__module__.startswith("parrhesia.")
    }


def post_as_member(client: Any, world: World, name: str) -> tuple[int, bool]:
    """POST the row's URL as carol, then undo it; its status and whether it wrote anything."""
    row = TABLE[name]
    with transaction.atomic():
        url = reverse(name, kwargs=row.kwargs(world))
        data = row.post_data(world)
        before = (record_size(world.organisation), table_counts())
        status = client.post(url, data).status_code
        wrote = (record_size(world.organisation), table_counts()) != before
        transaction.set_rollback(True)
    return status, wrote


def test_a_suspended_member_can_say_nothing_through_any_post(client, personas, riverside):
    world = world_make(personas, riverside, suspended=True)
    client.force_login(world.users["member"])
    spoke = {}
    for name in POSTS:
        if name in ALLOWED:
            continue
        status, wrote = post_as_member(client, world, name)
        assert status < 500, name
        if wrote:
            spoke[name] = status
    assert spoke == {}


def test_the_former_leaks_write_for_a_member_not_suspended(client, personas, riverside):
    world = world_make(personas, riverside, suspended=False)
    client.force_login(world.users["member"])
    assert {name: post_as_member(client, world, name)[1] for name in FORMER_LEAKS} == dict.fromkeys(
        FORMER_LEAKS, True
    )


def test_the_allowed_posts_are_urls_of_the_table():
    assert set(ALLOWED) <= set(POSTS)


def test_a_suspended_member_still_defends_herself_appeals_and_leaves(personas, riverside):
    alice, carol = personas["admin"], personas["member"]
    case = carol_suspend(riverside, alice, carol, jurors_leave=False)
    again = tribunal.report_file(
        user=alice,
        organisation=riverside,
        kind="member",
        object_id=case.accused_id,
        rules=[1],
        description="Shouted again.",
    )
    assert tribunal.defence_file(user=carol, case=again, statement="I did not.").pk
    assert tribunal.appeal_file(user=carol, case=case, material="The jury misread it.").pk
    assert orgs.membership_leave(user=carol, organisation=riverside).pk


def test_a_suspended_member_keeps_her_display_name_until_the_suspension_ends(
    client, personas, riverside
):
    alice, carol = personas["admin"], personas["member"]
    carol_suspend(riverside, alice, carol)
    client.force_login(carol)
    assert 'name="display_name"' not in client.get(reverse("profile")).content.decode()
    response = client.post(reverse("profile"), {"display_name": "Someone Else"})
    carol.refresh_from_db()
    assert carol.display_name == "Carol Member"
    assert "while you are suspended" in response.content.decode()
    Suspension.objects.update(ends_at=timezone.now())
    assert 'name="display_name"' in client.get(reverse("profile")).content.decode()
    assert client.post(reverse("profile"), {"display_name": "Someone Else"}).status_code == 302
    carol.refresh_from_db()
    assert carol.display_name == "Someone Else"
