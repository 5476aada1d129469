"""Suggestions against a motion's text: rated by supporters, adopted or declined with a reason;
every version kept, any two compared."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from parrhesia.agenda import services
from parrhesia.agenda.models import SuggestionStatus
from parrhesia.agenda.texts import diff_html
from parrhesia.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_only_supporters_rate_a_suggestion(admitted, motion, bob, carol):
    suggestion = services.suggestion_file(user=carol, motion=motion, text="We withhold half.")
    with pytest.raises(services.NotSupporter):
        services.suggestion_rate(user=carol, suggestion=suggestion, rating="must")
    services.suggestion_rate(user=bob, suggestion=suggestion, rating="should")
    services.suggestion_rate(user=bob, suggestion=suggestion, rating="must")  # changes its rating
    assert list(suggestion.ratings.values_list("rating", flat=True)) == ["must"]


def test_adopting_makes_a_new_version_and_keeps_the_old(motion, alice, carol):
    suggestion = services.suggestion_file(
        user=carol, motion=motion, text="We withhold the rise until the landlord negotiates."
    )
    with pytest.raises(PermissionDenied):
        services.suggestion_adopt(user=carol, suggestion=suggestion)
    version = services.suggestion_adopt(user=alice, suggestion=suggestion, reason="Clearer")
    motion.refresh_from_db()
    assert (motion.version, version.number) == (2, 2)
    assert list(motion.versions.values_list("number", flat=True)) == [1, 2]
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ADOPTED


def test_a_suggestion_on_an_old_version_cannot_be_adopted_blindly(motion, alice, carol):
    suggestion = services.suggestion_file(user=carol, motion=motion, text="Version from carol.")
    services.motion_revise(user=alice, motion=motion, text="Alice's own second version.")
    with pytest.raises(services.SuggestionOutdated):
        services.suggestion_adopt(user=alice, suggestion=suggestion)


def test_declining_needs_a_reason_and_tells_those_who_said_must(
    admitted, motion, alice, bob, carol
):
    suggestion = services.suggestion_file(user=carol, motion=motion, text="We withhold half.")
    services.suggestion_rate(user=bob, suggestion=suggestion, rating="must")
    with pytest.raises(services.TextInvalid):
        services.suggestion_decline(user=alice, suggestion=suggestion, reason="")
    services.suggestion_decline(user=alice, suggestion=suggestion, reason="Half is not a strike")
    note = Notification.objects.get(recipient=bob, kind="suggestion_declined")
    assert note.params["reason"] == "Half is not a strike"
    assert not Notification.objects.filter(recipient=carol, kind="suggestion_declined").exists()


def test_the_diff_marks_deletions_and_insertions_for_everyone():
    html = diff_html("We strike in May.", "We strike in June <b>now</b>.")
    assert '<del><span class="visually-hidden">[deleted: </span>May' in html
    assert "June &lt;b&gt;now&lt;/b&gt;" in html and "<b>" not in html


def test_any_two_versions_are_one_click_apart(client, motion, alice, carol):
    services.motion_revise(user=alice, motion=motion, text="Second text.", note="shorter")
    services.motion_revise(user=alice, motion=motion, text="Third text.")
    client.force_login(carol)
    page = client.get(reverse("agenda:motion", args=["riverside", motion.pk])).content.decode()
    assert "?from=1&amp;to=2" in page and "?from=2&amp;to=3" in page
    diff = client.get(
        reverse("agenda:motion_diff", args=["riverside", motion.pk]), {"from": 1, "to": 3}
    )
    assert diff.status_code == 200 and b"<ins>" in diff.content
    bad = client.get(reverse("agenda:motion_diff", args=["riverside", motion.pk]), {"from": 9})
    assert bad.status_code == 400 and b"no such version" in bad.content
