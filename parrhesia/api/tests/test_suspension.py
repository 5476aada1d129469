"""A suspended member's token: the services' rules apply through the API as on the pages (they
may still read, vote and support; they may not post)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parrhesia.agenda import services as agenda
from parrhesia.api.services import token_create
from parrhesia.api.tests.conftest import call
from parrhesia.orgs.models import Membership
from parrhesia.tribunal.models import Suspension
from tests.fixtures.tribunal import content_report

pytestmark = pytest.mark.django_db


def test_a_suspended_members_token_votes_but_does_not_post(
    client, court, admitted, motion, alice, carol
):
    argument = agenda.argument_add(user=alice, motion=motion, stance="pro", text="It worked.")
    Suspension.objects.create(  # what a verdict's sanction writes
        member=Membership.objects.get(user=carol, organisation=court),
        case=content_report(court, carol, "argument", argument),
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(days=7),
    )
    _row, token = token_create(user=carol, organisation=court, scopes=["vote", "post"])
    base = f"/api/v1/orgs/{court.slug}/agenda"
    posted = call(
        client, "post", f"{base}/motions/{motion.pk}/arguments", token,
        data={"stance": "con", "text": "Not again."},
    )  # fmt: skip
    assert posted.status_code in (400, 403)
    assert posted["Content-Type"] == "application/problem+json"
    asked = call(client, "post", f"{base}/questions", token, data={"title": "Why?"})
    assert asked.status_code in (400, 403)
    supported = call(client, "post", f"{base}/motions/{motion.pk}/support", token)
    assert supported.status_code == 200 and supported.json()["supporters"] >= 2
    assert call(client, "get", f"{base}/items/{admitted.pk}", token).status_code == 200
