"""The demo's deliberation seeds once, through the services, and again does nothing."""

from __future__ import annotations

import pytest

from parrhesia.agenda import demo
from parrhesia.agenda.models import Argument, Challenge, Motion, Question

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_realistic_item_idempotently():
    from parrhesia.accounts.models import User
    from parrhesia.demo import seed_organisation

    organisation = seed_organisation()
    people = {user.username: user for user in User.objects.all()}
    demo.seed(organisation, people)
    demo.seed(organisation, people)
    assert Motion.objects.filter(item__organisation=organisation).count() == 3
    assert Argument.objects.count() == 30
    assert Challenge.objects.count() == 6
    assert Question.objects.count() == 4
