"""Who may do what, asked of the organisation (the role) or of a conversation or statement (the
role, and whether the conversation is still open): the pages ask what the services enforce."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from parrhesia.opinion import services

pytestmark = pytest.mark.django_db


def test_a_member_votes_and_adds_while_the_conversation_is_open(
    conversation, statements, riverside, carol, dave, erin
):
    for obj in (riverside, conversation, statements[0]):
        assert carol.has_perm("opinion.vote", obj)
        assert carol.has_perm("opinion.add_statement", obj)
        assert not carol.has_perm("opinion.close_conversation", obj)
        assert not carol.has_perm("opinion.mark_statement", obj)
        for outsider in (dave, erin):
            assert not outsider.has_perm("opinion.vote", obj)
            assert not outsider.has_perm("opinion.add_statement", obj)


def test_once_closed_nobody_adds_votes_or_closes_but_stewards_still_mark(
    conversation, statements, riverside, bob, carol
):
    services.conversation_close(user=bob, conversation=conversation, reason="Decided.")
    for obj in (conversation, statements[0]):
        for person in (bob, carol):
            assert not person.has_perm("opinion.vote", obj)
            assert not person.has_perm("opinion.add_statement", obj)
        assert not bob.has_perm("opinion.close_conversation", obj)
        assert bob.has_perm("opinion.mark_statement", obj)
    # On the organisation the role alone counts: its pages still open for those who hold it.
    assert carol.has_perm("opinion.vote", riverside)
    assert bob.has_perm("opinion.close_conversation", riverside)


def test_the_service_says_closed_before_refusing_anyone(conversation, statements, bob, carol):
    services.conversation_close(user=bob, conversation=conversation, reason="Decided.")
    with pytest.raises(services.ConversationClosed, match="This conversation is closed."):
        services.conversation_close(user=bob, conversation=conversation)
    with pytest.raises(services.ConversationClosed):
        services.statement_vote(user=carol, statement=statements[0], value=1)
    # A steward still marks a statement of a closed conversation.
    services.statement_mark(user=bob, statement=statements[0], mark="meta", reason="Process.")


def test_an_open_conversation_refuses_a_non_steward_with_403(conversation, carol):
    with pytest.raises(PermissionDenied):
        services.conversation_close(user=carol, conversation=conversation)


def test_the_page_offers_what_the_rules_allow(client, conversation, statements, bob):
    client.force_login(bob)
    url = reverse("opinion:detail", args=["riverside", conversation.pk])
    close = reverse("opinion:close", args=["riverside", conversation.pk])
    vote = reverse("opinion:vote", args=["riverside", statements[0].pk])
    page = client.get(url).content.decode()
    assert close in page and vote in page
    services.conversation_close(user=bob, conversation=conversation, reason="Decided.")
    page = client.get(url).content.decode()
    assert close not in page and vote not in page
    assert reverse("opinion:mark", args=["riverside", statements[0].pk]) in page
