"""A reusable invitation link cannot test names (issue 13, finding 9): whoever holds one could
set their own display name to any name and follow the link; a refusal ("someone already goes
by…") said that a member has that name, with nothing written. Now following the link answers
the same whatever name one goes by: a newcomer who goes by a member's name is let in under
their name with their member number, and learns it only once a member (who may read the list).
"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from parrhesia.accounts.models import User
from parrhesia.orgs import services
from parrhesia.orgs.models import Membership

pytestmark = pytest.mark.django_db


def _follow(client, person, invitation, name: str):
    person.display_name = name
    person.save(update_fields=["display_name"])
    client.force_login(person)
    page = client.get(f"/invite/{invitation.token}/")
    joined = client.post(f"/invite/{invitation.token}/")
    return page, joined


def test_the_link_answers_the_same_whether_or_not_a_member_has_the_name(
    client, riverside, alice, erin
):
    stranger = User.objects.create_user(username="sam", password="x", display_name="Sam")
    invitation = services.invitation_create(user=alice, organisation=riverside)
    answers = []
    for person, name in ((erin, "Carol Member"), (stranger, "Nobody Here By This Name")):
        page, joined = _follow(client, person, invitation, name)
        answers.append((page.status_code, joined.status_code, joined.url))
        assert Membership.objects.get(organisation=riverside, user=person).is_active
    assert answers[0] == answers[1] == (200, 302, "/o/riverside/")


def test_the_newcomer_learns_their_numbered_name_once_a_member(client, riverside, alice, erin):
    invitation = services.invitation_create(user=alice, organisation=riverside)
    _, joined = _follow(client, erin, invitation, "CAROL member")
    membership = Membership.objects.get(organisation=riverside, user=erin)
    erin.refresh_from_db()
    assert erin.display_name == f"CAROL member ({membership.pk})"
    told = [str(m) for m in get_messages(joined.wsgi_request)]
    assert any(f"“CAROL member ({membership.pk})”" in m for m in told)
