"""Permission predicates: the membership lookup they share with the services."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

pytestmark = pytest.mark.django_db


def test_the_request_users_lazy_wrapper_shares_the_membership_cache(
    riverside, carol, django_assert_num_queries
):
    from django.utils.functional import SimpleLazyObject

    from parrhesia.orgs.rules import active_membership

    lazy = SimpleLazyObject(lambda: carol)  # what request.user is
    with django_assert_num_queries(1):
        assert active_membership(lazy, riverside) == active_membership(carol, riverside)


def test_a_way_in_is_for_the_signed_in_who_are_not_members_yet(
    riverside, alice, bob, carol, dave, erin
):
    for member in (alice, bob, carol):
        assert not member.has_perm("orgs.join", riverside)
    for newcomer in (dave, erin):
        assert newcomer.has_perm("orgs.join", riverside)
    assert not AnonymousUser().has_perm("orgs.join", riverside)
