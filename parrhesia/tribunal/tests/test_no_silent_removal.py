"""No silent removal: no page lets an admin or a steward hide content or remove a member, and no
code outside the tribunal's services writes what hides content or expels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from parrhesia.kernel.content import reportables
from parrhesia.orgs.models import Membership, MembershipStatus
from parrhesia.tribunal.models import ContentMeasure
from tests.authorisation import TABLE
from tests.test_authorisation_matrix import world  # noqa: F401  (the matrix's fixture)

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parents[2]


def content_snapshot(organisation):
    """Every object of every registered kind in the organisation, by kind."""
    snapshot = {}
    for kind, reportable in reportables().items():
        objects = reportable.model._default_manager.all()
        snapshot[kind] = {
            obj.pk for obj in objects if reportable.organisation_of(obj).pk == organisation.pk
        }
    return snapshot


@pytest.mark.parametrize("persona", ["steward", "admin"])
def test_no_view_hides_content_or_removes_a_member_outside_a_case(client, world, persona):  # noqa: F811
    client.force_login(world.users[persona])
    client.raise_request_exception = False  # other apps' errors are theirs; we check effects
    before = content_snapshot(world.organisation)
    others = Membership.objects.filter(organisation=world.organisation).exclude(
        user=world.users[persona]
    )
    posted: list[str] = []
    skipped: list[str] = []
    for name, row in TABLE.items():
        if row.post is None or name.startswith("tribunal:"):
            continue
        try:  # a row whose objects cannot be made once the world has changed is skipped
            url, data = reverse(name, kwargs=row.kwargs(world)), row.post_data(world)
        except Exception:  # noqa: BLE001
            skipped.append(name)
            continue
        client.post(url, data)
        posted.append(name)
    assert len(posted) > len(skipped)
    assert not ContentMeasure.objects.exists()
    assert set(others.values_list("status", flat=True)) <= {MembershipStatus.ACTIVE}
    after = content_snapshot(world.organisation)
    for kind, ids in before.items():
        assert ids <= after[kind], f"{kind} objects disappeared: {ids - after[kind]}"


def test_only_the_tribunals_services_write_measures_or_expel():
    # Interim measures in services/measures.py; a verdict's sanctions in services/verdicts.py.
    services = PACKAGE / "tribunal" / "services"
    allowed = {services / "measures.py", services / "verdicts.py"}
    assert all(path.is_file() for path in allowed)
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path in allowed:
            continue
        text = path.read_text()
        assert "ContentMeasure.objects.create" not in text, path
        assert "Suspension.objects.create" not in text, path
        # Others may read the expelled state (orgs refuses their rejoining) but never set it.
        setting = r"(\.status\s*=|update\([^)]*status\s*=)\s*(MembershipStatus\.)?EXPELLED"
        assert not re.search(setting, text), path
        assert '"expelled"' not in text or path.name == "models.py", path


def test_every_registered_kind_can_be_reported_and_hidden_only_through_a_case(court):
    kinds = reportables()
    assert {"member", "join_request"} <= set(kinds)
    assert kinds["member"].hideable is False
