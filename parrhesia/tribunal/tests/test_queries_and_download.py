"""The docket costs the same number of queries for 1 case or 10; the download carries the docket."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parrhesia.tribunal import services

pytestmark = pytest.mark.django_db


def report(court, alice, target):
    return services.report_file(
        user=alice,
        organisation=court,
        kind="member",
        object_id=target.pk,
        rules=[1],
        description="Rude.",
    )


def docket_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("tribunal:docket", args=["riverside"])).status_code == 200
    return len(queries)


def test_the_docket_takes_a_constant_number_of_queries(client, court, alice, carol, member_of):
    client.force_login(carol)
    report(court, alice, member_of(carol))
    one = docket_queries(client)
    for _ in range(9):
        report(court, alice, member_of(carol))
    assert docket_queries(client) == one


def test_the_members_download_carries_the_docket_and_the_report(
    client, court, alice, bob, carol, member_of
):
    services.report_file(
        user=bob,
        organisation=court,
        kind="member",
        object_id=member_of(carol).pk,
        rules=[1],
        description="Threats.",
        anonymous=True,
    )
    client.force_login(carol)
    response = client.get(reverse("record:download", args=["riverside"]))
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    docket = json.loads(archive.read("docket.json"))
    assert docket[0]["number"] == 1 and docket[0]["reporter"] is None
    assert json.loads(archive.read("transparency.json"))["reports"] == 1
