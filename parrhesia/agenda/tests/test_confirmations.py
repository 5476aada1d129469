"""What cannot be undone asks for a second step that works without JavaScript: withdrawing a
motion needs a ticked box; a suggestion's rating starts unchosen, never on "Must" (issue 14)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from parrhesia.agenda import services
from parrhesia.agenda.models import MotionStatus

pytestmark = pytest.mark.django_db


def test_withdrawing_a_motion_without_ticking_the_box_withdraws_nothing(
    client, admitted, motion, alice
):
    client.force_login(alice)
    url = reverse("agenda:motion_withdraw", args=["riverside", motion.pk])
    page = client.post(url, {"reason": "Second thoughts."}, follow=True).content.decode()
    motion.refresh_from_db()
    assert motion.status == MotionStatus.ACTIVE
    assert "Tick the box to confirm" in page


def test_withdrawing_a_motion_with_the_box_ticked_withdraws_it(client, admitted, motion, alice):
    client.force_login(alice)
    page = client.get(reverse("agenda:motion", args=["riverside", motion.pk])).content.decode()
    assert 'name="confirm"' in page
    url = reverse("agenda:motion_withdraw", args=["riverside", motion.pk])
    client.post(url, {"reason": "Second thoughts.", "confirm": "on"})
    motion.refresh_from_db()
    assert motion.status == MotionStatus.WITHDRAWN


def test_someone_else_may_not_withdraw_the_motion_ticked_or_not(client, admitted, motion, carol):
    client.force_login(carol)
    url = reverse("agenda:motion_withdraw", args=["riverside", motion.pk])
    assert client.post(url, {"confirm": "on"}).status_code == 403
    assert client.post(url).status_code == 403


def test_a_suggestions_rating_starts_unchosen(client, admitted, motion, carol, bob):
    suggestion = services.suggestion_file(
        user=carol, motion=motion, text="We withhold the rise, politely.", explanation="Tone."
    )
    client.force_login(bob)  # a supporter: he rates
    page = client.get(reverse("agenda:motion", args=["riverside", motion.pk])).content.decode()
    select = re.search(rf'<select name="rating" id="rating-{suggestion.pk}".*?</select>', page)
    assert select is not None
    selected = re.findall(r'<option value="([^"]*)" selected>', select.group(0))
    assert selected == [""]
    client.post(
        reverse("agenda:suggestion_rate", args=["riverside", suggestion.pk]), {"rating": ""}
    )
    assert not suggestion.ratings.exists()
