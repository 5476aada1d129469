"""Statements: adding one, voting on it, a steward's mark."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.kernel.access import member_for
from parrhesia.kernel.deferred import task_after_commit
from parrhesia.methods.record.sealed import Sealed
from parrhesia.opinion.actions import Action
from parrhesia.opinion.models import (
    VOTE_NAMES,
    Conversation,
    Mark,
    Participant,
    Statement,
    Vote,
    VoteCast,
    VoteValue,
)
from parrhesia.opinion.services._shared import (
    OpinionError,
    conversation_locked,
    member_taking_part,
    number_next,
    participant_for,
    published_as,
    statement_create,
    statement_text_clean,
)
from parrhesia.opinion.tasks import conversation_analyse_task
from parrhesia.record.services import record_append

COUNTER = {VoteValue.AGREE: "n_agree", VoteValue.DISAGREE: "n_disagree", VoteValue.PASS: "n_pass"}


def statement_add(*, user: User, conversation: Conversation, text: str) -> Statement:
    """Publish a member's statement at once (no pre-moderation)."""
    text = statement_text_clean(text)
    with transaction.atomic():
        member = member_taking_part(user, conversation, "opinion.add_statement")
        locked = conversation_locked(conversation)
        if Statement.objects.filter(conversation=locked, text__iexact=text).exists():
            raise OpinionError(_("This statement is already in the conversation."))
        author = participant_for(locked, member)
        number = number_next(Statement.objects.filter(conversation=locked))
        return statement_create(locked, member, author, number, text)


def statement_vote(*, user: User, statement: Statement, value: int) -> Vote:
    """Agree (1), disagree (-1) or pass (0); a later vote replaces the earlier one.

    Every cast is kept (VoteCast) and on the record; the analysis is queued after commit unless
    one is already queued or running for this conversation. The conversation's row lock, which
    every vote of the conversation waits for, is taken as late as possible: at once only for a
    member's first vote (participant numbers are assigned under it), otherwise after the vote's
    own rows are written, just before the counter and the record.
    """
    if value not in VoteValue.values:
        raise OpinionError(_("A vote is agree, disagree or pass."))
    conversation = statement.conversation
    with transaction.atomic():
        member = member_taking_part(user, statement, "opinion.vote")
        locked = None
        # The member's own participant row is locked: two votes of one member (a double click,
        # two tabs) then wait for each other instead of both inserting the same vote.
        participant = (
            Participant.objects.select_for_update()
            .filter(conversation=conversation, membership=member)
            .first()
        )
        if participant is None:
            locked = conversation_locked(conversation)
            participant = participant_for(locked, member)
        now = timezone.now()
        vote = (
            Vote.objects.select_for_update()
            .filter(participant=participant, statement=statement)
            .first()
        )
        changed = vote is not None and vote.value != value
        counters: dict[str, Any] = {COUNTER[value]: F(COUNTER[value]) + 1}
        if vote is None:
            vote = Vote.objects.create(
                participant=participant, statement=statement, value=value, updated_at=now
            )
        elif changed:
            counters[COUNTER[vote.value]] = F(COUNTER[vote.value]) - 1
            if vote.changes == 0:
                counters["n_changed"] = F("n_changed") + 1
            vote.value, vote.changes, vote.updated_at = value, vote.changes + 1, now
            vote.save(update_fields=["value", "changes", "updated_at"])
        else:
            return vote  # the same vote again changes nothing
        VoteCast.objects.create(
            conversation_id=conversation.pk,
            participant=participant,
            statement=statement,
            value=value,
            cast_at=now,
        )
        locked = locked or conversation_locked(conversation)  # closed meanwhile: all rolls back
        Conversation.objects.filter(pk=locked.pk).update(
            votes_cast=F("votes_cast") + 1, analysis_queued=True
        )
        # After the conversation's lock, as every vote of the conversation takes them.
        Statement.objects.filter(pk=statement.pk).update(**counters)
        actor, pseudonym = published_as(locked, member, participant)
        record_append(
            organisation=conversation.organisation,
            actor=actor,
            action=Action.STATEMENT_VOTE_CHANGED if changed else Action.STATEMENT_VOTED,
            subject=("statement", statement.pk),
            payload={"vote": VOTE_NAMES[VoteValue(value)], **pseudonym},
        )
        if not locked.analysis_queued:
            task_after_commit(conversation_analyse_task, locked.pk)
    return vote


def statement_mark(*, user: User, statement: Statement, mark: str, reason: str) -> Statement:
    """A steward marks a statement off-topic or meta (or clears the mark), always with a reason.

    The statement stays listed, in its own section; nothing is hidden or deleted.
    """
    reason = reason.strip()
    if mark not in Mark.values:
        raise OpinionError(_("Choose off-topic, meta or no mark."))
    if not reason:
        raise OpinionError(_("Give a reason: it is shown with the statement and on the record."))
    with transaction.atomic():
        steward = member_for(user, statement, "opinion.mark_statement")
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if locked.mark == mark:
            raise OpinionError(_("The statement already has this mark."))
        locked.mark = mark
        locked.mark_reason = reason
        locked.marked_by = steward
        locked.marked_at = timezone.now()
        locked.save(update_fields=["mark", "mark_reason", "marked_by", "marked_at"])
        record_append(
            organisation=locked.conversation.organisation,
            actor=steward,
            action=Action.STATEMENT_MARKED,
            subject=("statement", locked.pk),
            payload={"mark": mark or None, "reason": Sealed(reason)},
        )
    return locked
