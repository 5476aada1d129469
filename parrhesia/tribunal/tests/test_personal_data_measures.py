"""Content hidden for personal data stays hidden until the case is decided: the clock never shows
it again (issue 13, finding 7)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parrhesia.notifications.models import Notification
from parrhesia.orgs.models import JoinRequest
from parrhesia.record.models import RecordEntry
from parrhesia.tribunal import selectors, services
from parrhesia.tribunal.models import Sanction
from tests.fixtures.tribunal import all_vote, case_reload, jurors_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone_number(court, carol):
    return JoinRequest.objects.create(
        organisation=court, user=carol, message="Call Dan on 06 12 34 56 78"
    )


@pytest.fixture
def case(court, alice, phone_number):
    return services.report_file(
        user=alice,
        organisation=court,
        kind="join_request",
        object_id=phone_number.pk,
        rules=[2],
        description="Publishes Dan's phone number.",
    )


def taken_entry(court):
    return RecordEntry.objects.get(organisation=court, action="interim_measure.taken")


def test_a_personal_data_measure_never_lapses(court, bob, case, phone_number):
    measure = services.interim_measure_take(user=bob, case=case, category="personal_data")
    a_year_on = timezone.now() + timedelta(days=365)
    assert services.interim_measures_lapse_due(now=a_year_on) == 0
    assert services.interim_measures_lapse_due(now=a_year_on, measure_id=measure.pk) == 0
    assert selectors.hidden_measure("join_request", phone_number.pk) == measure
    assert not RecordEntry.objects.filter(organisation=court, action="interim_measure.lapsed")
    payload = taken_entry(court).payload
    assert payload["category"] == "personal_data" and payload["lapses_at"] is None


def test_the_jury_may_still_confirm_it_after_the_usual_time(court, bob, case, phone_number):
    services.interim_measure_take(user=bob, case=case, category="personal_data")
    later = timezone.now() + timedelta(days=30)
    for user in jurors_of(case_reload(case))[:2]:
        services.interim_measure_confirm(user=user, case=case, confirm=True, now=later)
    assert selectors.hidden_measure("join_request", phone_number.pk).confirmed_at == later


def test_only_the_verdict_shows_it_again(court, bob, carol, case, phone_number):
    measure = services.interim_measure_take(user=bob, case=case, category="personal_data")
    services.interim_measures_lapse_due(now=timezone.now() + timedelta(days=365))
    services.defence_file(user=carol, case=case, statement="It is my own number.", answered=True)
    all_vote(case_reload(case), [Sanction.NONE] * 3)
    measure.refresh_from_db()
    assert measure.end == "lifted"
    assert selectors.hidden_measure("join_request", phone_number.pk) is None


def test_other_urgent_categories_still_lapse(court, bob, case, phone_number):
    measure = services.interim_measure_take(user=bob, case=case, category="threats_of_violence")
    assert taken_entry(court).payload["lapses_at"] == measure.lapses_at.isoformat()
    assert services.interim_measures_lapse_due(now=measure.lapses_at) == 1
    assert selectors.hidden_measure("join_request", phone_number.pk) is None


def test_the_case_page_and_the_accused_are_told_it_holds(client, court, bob, carol, case):
    services.interim_measure_take(user=bob, case=case, category="personal_data")
    notice = Notification.objects.get(recipient=carol, kind__startswith="interim_measure")
    assert notice.kind == "interim_measure_held"
    client.force_login(carol)
    page = client.get(f"/o/{court.slug}/tribunal/{case.number}/").content.decode()
    assert "It holds until the case is decided, as it concerns personal data." in page
    assert "It lapses on" not in page
