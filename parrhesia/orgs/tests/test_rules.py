"""Permission predicates: the membership lookup they share with the services."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_request_users_lazy_wrapper_shares_the_membership_cache(
    riverside, carol, django_assert_num_queries
):
    from django.utils.functional import SimpleLazyObject

    from parrhesia.orgs.rules import active_membership

    lazy = SimpleLazyObject(lambda: carol)  # what request.user is
    with django_assert_num_queries(1):
        assert active_membership(lazy, riverside) == active_membership(carol, riverside)
