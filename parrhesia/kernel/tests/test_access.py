"""member_for: the one permission check a service makes before it writes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from parrhesia.kernel import access
from parrhesia.orgs.models import Membership, MembershipStatus

pytestmark = pytest.mark.django_db


def test_the_active_status_the_kernel_asks_for_is_the_orgs_one():
    assert access.ACTIVE == MembershipStatus.ACTIVE


def test_it_returns_the_acting_membership_when_the_permission_holds(riverside, carol):
    membership = access.member_for(carol, riverside, "orgs.leave")
    assert membership == Membership.objects.get(organisation=riverside, user=carol)


@pytest.mark.parametrize("persona", ["dave", "erin"])
def test_it_refuses_anyone_without_the_permission(request, riverside, harbour, persona):
    with pytest.raises(PermissionDenied):
        access.member_for(request.getfixturevalue(persona), riverside, "orgs.leave")


def test_it_refuses_a_member_without_the_role(riverside, carol):
    with pytest.raises(PermissionDenied):
        access.member_for(carol, riverside, "orgs.change_roles")


def test_it_refuses_a_permission_held_without_a_membership(riverside, erin):
    # Anyone signed in may found an organisation, but there is no member of it to act as.
    with pytest.raises(PermissionDenied):
        access.member_for(erin, riverside, "orgs.create_organisation")


def test_it_finds_the_organisation_of_content(riverside, carol):
    membership = Membership.objects.get(organisation=riverside, user=carol)
    assert access.organisation_of(membership) == riverside
    assert access.organisation_of(riverside) == riverside


def test_a_left_member_is_no_longer_found(riverside, carol):
    from parrhesia.orgs import services

    services.membership_leave(user=carol, organisation=riverside)
    access.forget_memberships(carol)
    assert access.active_membership(carol, riverside) is None
