"""The demo shows the docket at work: a decided case, an appealed one, an interim measure that
holds until its case is decided."""

from __future__ import annotations

import pytest

from parrhesia.orgs.models import Organisation
from parrhesia.tribunal.models import Case, ContentMeasure

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_the_tribunal_once(db):
    from parrhesia.accounts.models import User
    from parrhesia.demo import demo_seed
    from parrhesia.tribunal.demo import seed

    organisation = demo_seed()
    seed(organisation, {u.username: u for u in User.objects.all()})
    phases = dict(Case.objects.filter(organisation=organisation).values_list("number", "phase"))
    assert phases == {1: "decided", 2: "final", 3: "defence"}
    measure = ContentMeasure.objects.get()
    assert measure.held_until_decided and measure.ended_at is None
    assert Organisation.objects.count() == 1
