"""Conversations, statements, votes and marks: every write checked and on the record."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from parrhesia.opinion import services
from parrhesia.opinion.models import Vote, VoteCast
from parrhesia.opinion.services import ConversationClosed, OpinionError
from parrhesia.record.models import RecordEntry

pytestmark = pytest.mark.django_db


def actions(organisation) -> list[str]:
    return list(
        RecordEntry.objects.filter(organisation=organisation)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_opening_puts_the_conversation_and_its_seeds_on_the_record(conversation, riverside):
    assert conversation.statements.filter(is_seed=True).count() == 4
    assert actions(riverside)[-5:] == ["conversation.opened"] + ["statement.added"] * 4


def test_it_attaches_a_conversation_to_an_agenda_item_by_reference(riverside, carol):
    conversation = services.conversation_open(
        user=carol,
        organisation=riverside,
        topic="Item 3",
        attached_kind="agenda_item",
        attached_id="12",
    )
    entry = RecordEntry.objects.filter(action="conversation.opened").last()
    assert (conversation.attached_kind, conversation.attached_id) == ("agenda_item", "12")
    assert entry.payload["attached"] == {"kind": "agenda_item", "id": "12"}


def test_an_outsider_may_not_open_add_or_vote(conversation, statements, riverside, erin, dave):
    for person in (erin, dave):
        with pytest.raises(PermissionDenied):
            services.conversation_open(user=person, organisation=riverside, topic="X")
        with pytest.raises(PermissionDenied):
            services.statement_add(user=person, conversation=conversation, text="Hello")
        with pytest.raises(PermissionDenied):
            services.statement_vote(user=person, statement=statements[0], value=1)


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("   \n ", "empty"), ("x" * 281, "at most 280 characters; this one has 281")],
)
def test_a_statement_must_say_something_in_280_characters(conversation, carol, text, message):
    with pytest.raises(OpinionError, match=message):
        services.statement_add(user=carol, conversation=conversation, text=text)


def test_a_280_character_statement_is_published_at_once(conversation, carol, riverside):
    statement = services.statement_add(user=carol, conversation=conversation, text="y" * 280)
    assert statement.number == 4 and statement.mark == ""
    assert actions(riverside)[-1] == "statement.added"


def test_the_same_statement_twice_is_refused(conversation, carol):
    with pytest.raises(OpinionError, match="already in the conversation"):
        services.statement_add(user=carol, conversation=conversation, text=SEED.upper())


SEED = "We should ask the council to mediate first."


def test_a_member_changes_their_mind_and_the_history_is_kept(statements, carol, riverside):
    statement = statements[0]
    services.statement_vote(user=carol, statement=statement, value=1)
    services.statement_vote(user=carol, statement=statement, value=1)  # no change: nothing kept
    services.statement_vote(user=carol, statement=statement, value=-1)
    vote = Vote.objects.get(statement=statement)
    assert (vote.value, vote.changes) == (-1, 1)
    assert list(VoteCast.objects.filter(statement=statement).values_list("value", flat=True)) == [
        1,
        -1,
    ]
    assert actions(riverside)[-2:] == ["statement.voted", "statement.vote_changed"]
    # Pseudonymous by default (issue 13): the entry names carol by her participant number only.
    assert RecordEntry.objects.last().payload == {"vote": "disagree", "participant": 0}
    assert RecordEntry.objects.last().actor is None


def test_a_vote_is_agree_disagree_or_pass(statements, carol):
    with pytest.raises(OpinionError, match="agree, disagree or pass"):
        services.statement_vote(user=carol, statement=statements[0], value=2)


def test_nothing_is_added_or_voted_once_closed(conversation, statements, bob, carol, riverside):
    services.conversation_close(user=bob, conversation=conversation, reason="Decided on 3 May.")
    with pytest.raises(ConversationClosed):
        services.statement_vote(user=carol, statement=statements[0], value=1)
    with pytest.raises(ConversationClosed):
        services.statement_add(user=carol, conversation=conversation, text="Too late")
    assert actions(riverside)[-1] == "conversation.closed"


def test_only_a_steward_closes_a_conversation(conversation, carol):
    with pytest.raises(PermissionDenied):
        services.conversation_close(user=carol, conversation=conversation)


def test_a_steward_marks_a_statement_only_with_a_reason(statements, bob, carol, riverside):
    with pytest.raises(OpinionError, match="Give a reason"):
        services.statement_mark(user=bob, statement=statements[1], mark="off_topic", reason=" ")
    with pytest.raises(PermissionDenied):
        services.statement_mark(user=carol, statement=statements[1], mark="meta", reason="x")
    marked = services.statement_mark(
        user=bob, statement=statements[1], mark="off_topic", reason="About parking, not rent."
    )
    assert marked.mark == "off_topic" and marked.mark_reason == "About parking, not rent."
    entry = RecordEntry.objects.last()
    assert entry.action == "statement.marked"
    assert entry.payload == {"mark": "off_topic", "reason": "About parking, not rent."}
    # Marking never hides: the statement is still there and can still be voted on.
    services.statement_vote(user=carol, statement=marked, value=0)
