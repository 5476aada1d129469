"""Opening and closing a conversation."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.kernel.access import member_for
from parrhesia.methods.record.sealed import Sealed
from parrhesia.opinion.actions import Action
from parrhesia.opinion.models import Conversation
from parrhesia.opinion.services._shared import (
    OpinionError,
    conversation_locked,
    member_taking_part,
    participant_for,
    statement_create,
    statement_text_clean,
)
from parrhesia.orgs.models import Organisation
from parrhesia.record.services import record_append


def conversation_open(
    *,
    user: User,
    organisation: Organisation,
    topic: str,
    description: str = "",
    seed_statements: Iterable[str] = (),
    attached_kind: str = "",
    attached_id: str = "",
    named_votes: bool = False,
) -> Conversation:
    """Open a conversation, with its seed statements (by the one who opens it).

    Votes are pseudonymous unless an admin opens the conversation with ``named_votes``; the
    choice is on the record and fixed from then on. In a pseudonymous conversation the seeds
    have no participant author: the opener is named on the record, so a pseudonym given to them
    here would name their votes too."""
    seeds = [statement_text_clean(text) for text in seed_statements if text.strip()]
    topic = topic.strip()
    if not topic:
        raise OpinionError(_("Give the conversation a topic."))
    if bool(attached_kind) != bool(attached_id):
        raise OpinionError(_("An attachment needs both its kind and its id."))
    with transaction.atomic():
        opener = member_for(user, organisation, "opinion.open_conversation")
        if named_votes and not user.has_perm("opinion.choose_named_votes", organisation):
            raise OpinionError(_("Only an admin may open a conversation with named votes."))
        conversation = Conversation.objects.create(
            named_votes=named_votes,
            organisation=organisation,
            topic=topic,
            description=description,
            attached_kind=attached_kind,
            attached_id=str(attached_id),
            opened_by=opener,
        )
        record_append(
            organisation=organisation,
            actor=opener,
            action=Action.CONVERSATION_OPENED,
            subject=("conversation", conversation.pk),
            payload={
                "topic": topic,
                "description": Sealed(description),
                "attached": {"kind": attached_kind, "id": str(attached_id)}
                if attached_kind
                else None,
                "votes": "named" if named_votes else "pseudonymous",
            },
        )
        author = participant_for(conversation, opener) if seeds and named_votes else None
        for number, text in enumerate(seeds):
            statement_create(conversation, opener, author, number, text, is_seed=True)
    return conversation


def conversation_close(*, user: User, conversation: Conversation, reason: str = "") -> None:
    with transaction.atomic():
        steward = member_taking_part(user, conversation, "opinion.close_conversation")
        locked = conversation_locked(conversation)
        locked.closed_at = timezone.now()
        locked.closed_by = steward
        locked.close_reason = reason
        locked.save(update_fields=["closed_at", "closed_by", "close_reason"])
        record_append(
            organisation=conversation.organisation,
            actor=steward,
            action=Action.CONVERSATION_CLOSED,
            subject=("conversation", conversation.pk),
            payload={"reason": Sealed(reason)},
        )
    conversation.closed_at = locked.closed_at
