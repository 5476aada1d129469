"""The accused's choice of advocate does not point at a hidden reporter (issue 13, finding 1):
the list leaves out only the accused, the advocate already named and a reporter the record
names; naming the hidden reporter is answered like naming anyone, and they step down as any
advocate may, with a note on the page that only they see."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from parrhesia.notifications.models import Notification
from parrhesia.orgs.models import Membership
from parrhesia.record.models import RecordEntry
from parrhesia.tribunal import services
from parrhesia.tribunal.services import TribunalError
from parrhesia.tribunal.tests.conftest import dry_run
from tests.fixtures.tribunal import case_reload

pytestmark = pytest.mark.django_db


def member(court, username: str) -> Membership:
    return Membership.objects.select_related("user").get(
        organisation=court, user__username=username
    )


@pytest.fixture
def reporter(court):
    """juror4, who reports carol and asks that the accused not know."""
    return member(court, "juror4")


@pytest.fixture
def case(court, carol, reporter, member_of):
    return services.report_file(
        user=reporter.user,
        organisation=court,
        kind="member",
        object_id=member_of(carol).pk,
        rules=[1],
        description="Insulted a neighbour.",
        anonymous=True,
    )


def defence_url(case) -> str:
    return reverse("tribunal:defence", args=[case.organisation.slug, case.number])


def choices(client, user, case) -> set[int]:
    client.force_login(user)
    url = reverse("tribunal:case", args=[case.organisation.slug, case.number])
    form = client.get(url).context["forms"]["defence"]
    return {int(str(value)) for value, _label in form.fields["advocate"].choices if value}


def test_the_choice_leaves_out_the_accused_and_nobody_else(
    client, court, carol, reporter, case, member_of
):
    everyone = set(Membership.objects.filter(organisation=court).values_list("pk", flat=True))
    offered = choices(client, carol, case)
    assert reporter.pk in offered  # its absence named the reporter
    assert offered == everyone - {member_of(carol).pk}


def test_a_reporter_the_record_names_stays_out_of_the_choice(
    client, court, alice, carol, member_of
):
    named = services.report_file(
        user=alice, organisation=court, kind="member", object_id=member_of(carol).pk,
        rules=[1], description="Insulted a neighbour.",
    )  # fmt: skip
    assert member_of(alice).pk not in choices(client, carol, named)
    with pytest.raises(TribunalError, match="another member"):
        services.defence_file(user=carol, case=named, statement="No.", advocate=member_of(alice))


def test_naming_the_hidden_reporter_is_answered_as_naming_anyone(
    client, court, carol, reporter, case
):
    """The same response, record entry and notice, whether the named member reported or not."""

    def name(advocate: Membership) -> tuple:
        client.force_login(carol)
        response = client.post(
            defence_url(case),
            {"defence-statement": "No.", "defence-advocate": advocate.pk},
            follow=True,
        )
        entry = RecordEntry.objects.filter(organisation=court).order_by("-seq").first()
        notice = Notification.objects.filter(recipient=advocate.user).order_by("-pk").first()
        return (
            response.redirect_chain,
            [str(m) for m in response.context["messages"]],
            entry.action,
            {**entry.payload, "advocate": "named"},
            entry.actor,
            notice.kind if notice else None,
            notice.params if notice else None,
        )

    someone = member(court, "juror5")
    as_anyone = dry_run(lambda: name(someone))
    as_reporter = name(reporter)
    assert as_reporter == as_anyone
    assert as_reporter[2] == "defence.filed"
    assert case_reload(case).defence.advocate_id == reporter.pk
    assert as_reporter[5] == "advocate_named"


def test_a_hidden_reporter_named_advocate_has_no_powers_and_steps_down(
    client, court, carol, reporter, case, member_of
):
    services.defence_file(user=carol, case=case, statement="No.", advocate=reporter)
    with pytest.raises(PermissionDenied):
        services.defence_file(user=reporter.user, case=case_reload(case), statement="Yes.")
    client.force_login(reporter.user)
    page = client.get(reverse("tribunal:case", args=[court.slug, case.number]))
    assert page.context["forms"]["step_down"] is True
    assert b"without knowing that you reported them" in page.content
    client.force_login(member(court, "juror5").user)  # anyone else reads no such note
    other = client.get(reverse("tribunal:case", args=[court.slug, case.number]))
    assert b"without knowing that you reported them" not in other.content
    services.advocate_step_down(user=reporter.user, case=case_reload(case))
    assert case_reload(case).defence.advocate_id is None
    entry = RecordEntry.objects.filter(organisation=court).order_by("-seq").first()
    assert (entry.action, entry.actor, entry.payload) == (
        "defence.advocate_stepped_down",
        reporter.pk,
        {"member": reporter.pk},
    )
    told = Notification.objects.filter(recipient=carol, kind="advocate_stepped_down")
    assert told.count() == 1
    assert reporter.pk in choices(client, carol, case_reload(case))  # may be named again


def test_any_advocate_steps_down_the_same_way(client, court, carol, case):
    advocate = member(court, "juror5")
    services.defence_file(user=carol, case=case, statement="No.", advocate=advocate)
    client.force_login(advocate.user)
    response = client.post(reverse("tribunal:step_down", args=[court.slug, case.number]))
    assert response.status_code == 302
    entry = RecordEntry.objects.filter(organisation=court).order_by("-seq").first()
    assert (entry.action, entry.payload) == (
        "defence.advocate_stepped_down",
        {"member": advocate.pk},
    )
