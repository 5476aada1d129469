"""Who may do what, asked of the object and the phase (rules.py): the services and the pages ask
the same rules, so a page offers an action exactly when the service would take it; a phase that
refuses is still said with its reason, not with a 403."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parrhesia.agenda import services
from parrhesia.orgs.models import Membership
from parrhesia.tribunal.models import Suspension
from tests.fixtures.tribunal import content_report

pytestmark = pytest.mark.django_db


def page(client, user, name, *args) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=["riverside", *args]))
    assert response.status_code == 200
    return response.content.decode()


def test_authorship_is_asked_of_the_object(motion, alice, bob, carol):
    suggestion = services.suggestion_file(user=carol, motion=motion, text="We withhold half.")
    assert alice.has_perm("agenda.revise_motion", motion)
    assert not bob.has_perm("agenda.revise_motion", motion)
    assert alice.has_perm("agenda.decide_suggestion", suggestion)  # the motion's author
    assert not carol.has_perm("agenda.decide_suggestion", suggestion)
    assert carol.has_perm("agenda.withdraw_suggestion", suggestion)  # the suggestion's author
    assert not alice.has_perm("agenda.withdraw_suggestion", suggestion)


def test_a_closed_phase_is_refused_with_its_reason_and_no_longer_offered(
    client, item, motion, alice
):
    assert alice.has_perm("agenda.revise_motion_now", motion)
    assert "Revise" in page(client, alice, "agenda:motion", motion.pk)
    services.phases_advance_due(item.phase_ends_at)  # no quorum: the item lapses
    motion.refresh_from_db()
    assert alice.has_perm("agenda.revise_motion", motion)  # still its author…
    assert not alice.has_perm("agenda.revise_motion_now", motion)  # …but not now
    with pytest.raises(services.PhaseClosed, match="The texts are fixed"):
        services.motion_revise(user=alice, motion=motion, text="Too late")
    motion_page = page(client, alice, "agenda:motion", motion.pk)
    assert reverse("agenda:motion_revise", args=["riverside", motion.pk]) not in motion_page
    assert "Withdraw my motion" not in motion_page
    assert "File an alternative motion" not in page(client, alice, "agenda:item", item.pk)


def test_only_the_authors_are_offered_their_actions(client, admitted, motion, alice, bob, carol):
    suggestion = services.suggestion_file(user=carol, motion=motion, text="We withhold half.")
    argument = services.argument_add(user=bob, motion=motion, stance="pro", text="It worked.")
    decide = reverse("agenda:suggestion_decide", args=["riverside", suggestion.pk])
    withdraw = reverse("agenda:suggestion_withdraw", args=["riverside", suggestion.pk])
    as_alice = page(client, alice, "agenda:motion", motion.pk)
    assert decide in as_alice and withdraw not in as_alice
    as_carol = page(client, carol, "agenda:motion", motion.pk)
    assert decide not in as_carol and withdraw in as_carol
    revise = reverse("agenda:argument_revise", args=["riverside", argument.pk])
    assert revise in page(client, bob, "agenda:argument", argument.pk)
    assert revise not in page(client, carol, "agenda:argument", argument.pk)


def test_a_closed_item_offers_no_endorsement_and_no_new_argument(
    client, item, motion, alice, carol
):
    services.argument_add(user=alice, motion=motion, stance="pro", text="It worked.")
    on_map = page(client, carol, "agenda:arguments", motion.pk)
    assert "Endorse as strong" in on_map and "Add the argument" in on_map
    services.phases_advance_due(item.phase_ends_at)
    on_map = page(client, carol, "agenda:arguments", motion.pk)
    assert "Endorse as strong" not in on_map and "Add the argument" not in on_map


def test_a_suspended_member_is_offered_support_but_not_posting(
    client, court, admitted, motion, alice, carol
):
    argument = services.argument_add(user=alice, motion=motion, stance="pro", text="It worked.")
    Suspension.objects.create(  # what a verdict's sanction writes
        member=Membership.objects.get(user=carol, organisation=court),
        case=content_report(court, carol, "argument", argument),
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(days=7),
    )
    motion_page = page(client, carol, "agenda:motion", motion.pk)
    assert "Support this motion" in motion_page and "Suggest a change" not in motion_page
    assert "Add the argument" not in page(client, carol, "agenda:arguments", motion.pk)
    argument_page = page(client, carol, "agenda:argument", argument.pk)
    assert "Post the reply" not in argument_page and "Challenge this argument" not in argument_page
    assert "File an alternative motion" not in page(client, carol, "agenda:item", admitted.pk)


def test_a_suggestion_is_offered_for_withdrawal_only_while_the_texts_are_open(
    client, item, motion, carol
):
    suggestion = services.suggestion_file(user=carol, motion=motion, text="We withhold half.")
    withdraw = reverse("agenda:suggestion_withdraw", args=["riverside", suggestion.pk])
    assert withdraw in page(client, carol, "agenda:motion", motion.pk)
    services.phases_advance_due(item.phase_ends_at)  # no quorum: the item lapses
    suggestion.refresh_from_db()
    assert suggestion.status == "open"
    assert carol.has_perm("agenda.withdraw_suggestion", suggestion)  # still its author…
    assert not carol.has_perm("agenda.withdraw_suggestion_now", suggestion)  # …but not now
    assert withdraw not in page(client, carol, "agenda:motion", motion.pk)


def test_members_are_told_supporters_rate_even_on_a_withdrawn_motion(
    client, admitted, alice, bob, carol
):
    alternative = services.motion_file_alternative(
        user=carol, item=admitted, title="Negotiate", text="We ask for a meeting first."
    )
    services.suggestion_file(user=bob, motion=alternative, text="We ask twice.")
    services.motion_withdraw(user=carol, motion=alternative)
    hint = "Supporters of the motion rate its suggestions."
    assert hint in page(client, alice, "agenda:motion", alternative.pk)  # as before the refactor
    services.phases_advance_due(admitted.phase_ends_at)  # discussion ends: the texts are fixed
    assert hint not in page(client, alice, "agenda:motion", alternative.pk)


def test_an_answer_refused_since_the_page_loaded_says_why(client, item, motion, alice, carol):
    argument = services.argument_add(user=alice, motion=motion, stance="pro", text="It worked.")
    challenge = services.argument_challenge(user=carol, argument=argument, kind="source")
    assert "Answer the challenge" in page(client, alice, "agenda:argument", argument.pk)
    services.phases_advance_due(item.phase_ends_at)  # the item lapses before alice answers
    url = reverse("agenda:challenge_answer", args=["riverside", challenge.pk])
    response = client.post(url, {"answer": "Here is the study."})
    assert response.status_code == 400
    assert "This item is closed; its arguments stay as they are." in response.content.decode()
    challenge.refresh_from_db()
    assert not challenge.is_answered


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("agenda:argument_reply", {"stance": "support", "text": "And it still does."}),
        ("agenda:argument_challenge", {"kind": "source"}),
    ],
)
def test_a_reply_or_challenge_refused_since_the_page_loaded_says_why(
    client, item, motion, alice, carol, name, data
):
    argument = services.argument_add(user=alice, motion=motion, stance="pro", text="It worked.")
    services.phases_advance_due(item.phase_ends_at)
    client.force_login(carol)
    response = client.post(reverse(name, args=["riverside", argument.pk]), data)
    assert response.status_code == 400
    assert "This item is closed; its arguments stay as they are." in response.content.decode()


def test_an_argument_refused_since_the_map_loaded_says_why(client, item, motion, carol):
    services.phases_advance_due(item.phase_ends_at)
    client.force_login(carol)
    url = reverse("agenda:arguments", args=["riverside", motion.pk])
    response = client.post(url, {"stance": "con", "text": "It failed elsewhere."})
    assert response.status_code == 400
    assert "This item is closed; its arguments stay as they are." in response.content.decode()
