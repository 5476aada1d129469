"""What the conversation services share: their errors, the conversation's lock, a member's
participant row and the creation of a statement with its record entry."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from parrhesia.kernel.access import member_for
from parrhesia.kernel.errors import DomainError
from parrhesia.methods.record.sealed import Sealed
from parrhesia.opinion.actions import Action
from parrhesia.opinion.models import STATEMENT_MAX, Conversation, Participant, Statement
from parrhesia.opinion.rules import is_open
from parrhesia.orgs.models import Membership
from parrhesia.record.services import record_append


class OpinionError(DomainError):
    """A conversation action that cannot happen as asked; the message says why."""


class ConversationClosed(OpinionError):
    """The conversation is closed: no new statements or votes."""


def closed_error() -> ConversationClosed:
    return ConversationClosed(_("This conversation is closed."))


def member_taking_part(user: Any, obj: Conversation | Statement, permission: str) -> Membership:
    """The acting member, if they hold ``permission`` on ``obj`` (a conversation or one of its
    statements; see rules.py, where adding, voting and closing need the conversation open).

    A closed conversation is said so first (:class:`ConversationClosed`: a form error, a 409
    for a vote), whoever asks; anyone else refused gets :class:`PermissionDenied`.
    """
    if not is_open(user, obj):
        raise closed_error()
    return member_for(user, obj, permission)


def conversation_locked(conversation: Conversation) -> Conversation:
    """The conversation's row, locked until the transaction ends; closed meanwhile, refused."""
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if not locked.is_open:
        raise closed_error()
    return locked


def statement_text_clean(text: str) -> str:
    """A member's statement on one line; :class:`OpinionError` if empty or too long."""
    text = " ".join(text.split())
    if not text:
        raise OpinionError(_("Write the statement first: it is empty."))
    if len(text) > STATEMENT_MAX:
        raise OpinionError(
            _("A statement has at most %(max)d characters; this one has %(n)d.")
            % {"max": STATEMENT_MAX, "n": len(text)}
        )
    return text


def number_next(rows: Any) -> int:
    """The number after the highest of ``rows`` (0 for none): participants and statements are
    numbered from 0, as Polis numbers them."""
    highest = rows.aggregate(highest=Max("number"))["highest"]
    return 0 if highest is None else highest + 1


def participant_for(conversation: Conversation, membership: Membership) -> Participant:
    """The member's participant row, created at their first statement or vote.

    The caller holds the conversation's row lock, so numbers are assigned one at a time.
    """
    existing = Participant.objects.filter(conversation=conversation, membership=membership).first()
    if existing is not None:
        return existing
    return Participant.objects.create(
        conversation=conversation,
        membership=membership,
        number=number_next(Participant.objects.filter(conversation=conversation)),
    )


def published_as(
    conversation: Conversation, member: Membership | None, participant: Participant | None
) -> tuple[Membership | None, dict[str, Any]]:
    """Who a participant's record entry names: the member (actor) in a conversation with named
    votes; otherwise no actor and ``{"participant": number}``, their pseudonym in this
    conversation (the Polis export's voter and author id), which names no member."""
    if conversation.named_votes or participant is None:
        return member, {}
    return None, {"participant": participant.number}


def statement_create(
    conversation: Conversation,
    actor: Membership | None,
    author: Participant | None,
    number: int,
    text: str,
    is_seed: bool = False,
) -> Statement:
    """Create the statement and its record entry (in the caller's transaction): under the
    author's pseudonym unless the conversation's votes are named (:func:`published_as`)."""
    statement = Statement.objects.create(
        conversation=conversation, number=number, text=text, author=author, is_seed=is_seed
    )
    actor, pseudonym = published_as(conversation, actor, author)
    record_append(
        organisation=conversation.organisation,
        actor=actor,
        action=Action.STATEMENT_ADDED,
        subject=("statement", statement.pk),
        payload={
            "conversation": conversation.pk,
            "number": number,
            "text": Sealed(text),
            **pseudonym,
        },
    )
    return statement
