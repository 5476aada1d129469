"""What opinion mapping puts on the record and what of it the tribunal can judge
(docs/tribunal.md §1); all of it can be hidden."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from parrhesia.kernel.content import (
    RecordValue,
    content_register,
    copy_erase,
    download_part_register,
    one_line,
    record_value_eraser_register,
    text_eraser,
)
from parrhesia.opinion.actions import Action
from parrhesia.opinion.exports import opinion_download_part
from parrhesia.opinion.models import Conversation, Statement
from parrhesia.orgs.models import Membership


def _statement_author(statement: Statement) -> Membership | None:
    # A Participant: a member, or an external participant of a Polis import (no member).
    participant = statement.author
    if participant is None and statement.is_seed:
        # Seeds of a pseudonymous conversation have no participant: they are its opener's words.
        return statement.conversation.opened_by
    return participant.membership if participant is not None else None


def _statement_pseudonym(statement: Statement) -> str | None:
    """A member's statement in a pseudonymous conversation is published under their participant
    number; a seed is the opener's, named (docs/privacy.md)."""
    if statement.conversation.named_votes or statement.author is None:
        return None
    return str(statement.author.number)


content_register(
    "conversation",
    model=Conversation,
    organisation_of=lambda conversation: conversation.organisation,
    link=lambda organisation, pk: reverse("opinion:detail", args=[organisation.slug, pk]),
    author_of=lambda conversation: conversation.opened_by,
    summary_of=lambda conversation: one_line(conversation.topic),
    url_of=lambda conversation: reverse(
        "opinion:detail", args=[conversation.organisation.slug, conversation.pk]
    ),
    label=pgettext_lazy("content kind", "Conversation"),
    erase=text_eraser("topic", "description"),
)
content_register(
    "statement",
    model=Statement,
    organisation_of=lambda statement: statement.conversation.organisation,
    # No query per timeline entry: the statement's own address redirects to its conversation.
    link=lambda organisation, pk: reverse("opinion:statement", args=[organisation.slug, pk]),
    author_of=_statement_author,
    pseudonym_of=_statement_pseudonym,
    summary_of=lambda statement: one_line(statement.text),
    url_of=lambda statement: reverse(
        "opinion:statement", args=[statement.conversation.organisation.slug, statement.pk]
    ),
    label=pgettext_lazy("content kind", "Statement"),
    erase=text_eraser("text"),
)
download_part_register(opinion_download_part)


# The pages show copies of these sealed values: erasing the record's erases the page's. (A
# statement's or a conversation's own text goes with its erase hook, when the steward says so.)
_COPIES = {  # action: (model, {pointer: field})
    Action.CONVERSATION_CLOSED: (Conversation, {"/payload/reason": "close_reason"}),
    Action.STATEMENT_MARKED: (Statement, {"/payload/reason": "mark_reason"}),
}


def _copy_erase(value: RecordValue, replacement: str) -> None:
    model, fields = _COPIES[value.action]
    field = fields.get(value.pointer)
    if field and str(value.subject_id).isdigit():
        copy_erase(model, field, value.value, replacement, pk=int(value.subject_id))


for _action in _COPIES:
    record_value_eraser_register(_action, _copy_erase)
