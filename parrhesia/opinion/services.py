"""Every write on conversations: one function per action.

Each runs in one transaction, checks permission, and appends its entry to the organisation's
public record in that same transaction. Votes are actions too, so each is on the record.
Lock order, to keep writers from deadlocking: a member's own participant and vote rows, the
conversation row, the statement row, then the record's head.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.opinion import rules  # noqa: F401  (registers the permissions)
from parrhesia.opinion.models import (
    STATEMENT_MAX,
    VOTE_NAMES,
    Conversation,
    Mark,
    Participant,
    Statement,
    Vote,
    VoteCast,
    VoteValue,
)
from parrhesia.orgs.models import Membership, Organisation
from parrhesia.orgs.rules import active_membership
from parrhesia.record.services import record_append


class OpinionError(Exception):
    """A conversation action that cannot happen as asked; the message says why."""


class ConversationClosed(OpinionError):
    """The conversation is closed: no new statements or votes."""


def _require(user: User, permission: str, organisation: Organisation) -> Membership:
    membership = active_membership(user, organisation)
    if membership is None or not user.has_perm(permission, organisation):
        raise PermissionDenied
    return membership


def _clean_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise OpinionError(_("Write the statement first: it is empty."))
    if len(text) > STATEMENT_MAX:
        raise OpinionError(
            _("A statement has at most %(max)d characters; this one has %(n)d.")
            % {"max": STATEMENT_MAX, "n": len(text)}
        )
    return text


def _locked(conversation: Conversation) -> Conversation:
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if not locked.is_open:
        raise ConversationClosed(_("This conversation is closed."))
    return locked


def _next_number(rows: Any) -> int:
    highest = rows.aggregate(highest=Max("number"))["highest"]
    return 0 if highest is None else highest + 1


def conversation_open(
    *,
    user: User,
    organisation: Organisation,
    topic: str,
    description: str = "",
    seed_statements: Iterable[str] = (),
    attached_kind: str = "",
    attached_id: str = "",
) -> Conversation:
    """Open a conversation, with its seed statements (by the one who opens it)."""
    seeds = [_clean_text(text) for text in seed_statements if text.strip()]
    topic = topic.strip()
    if not topic:
        raise OpinionError(_("Give the conversation a topic."))
    if bool(attached_kind) != bool(attached_id):
        raise OpinionError(_("An attachment needs both its kind and its id."))
    with transaction.atomic():
        opener = _require(user, "opinion.open_conversation", organisation)
        conversation = Conversation.objects.create(
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
            action="conversation.opened",
            subject=("conversation", conversation.pk),
            payload={
                "topic": topic,
                "description": description,
                "attached": {"kind": attached_kind, "id": str(attached_id)}
                if attached_kind
                else None,
            },
        )
        author = _participant(conversation, opener) if seeds else None
        for number, text in enumerate(seeds):
            _statement_create(conversation, opener, author, number, text, is_seed=True)
    return conversation


def conversation_close(*, user: User, conversation: Conversation, reason: str = "") -> None:
    with transaction.atomic():
        steward = _require(user, "opinion.close_conversation", conversation.organisation)
        locked = _locked(conversation)
        locked.closed_at = timezone.now()
        locked.closed_by = steward
        locked.close_reason = reason
        locked.save(update_fields=["closed_at", "closed_by", "close_reason"])
        record_append(
            organisation=conversation.organisation,
            actor=steward,
            action="conversation.closed",
            subject=("conversation", conversation.pk),
            payload={"reason": reason},
        )
    conversation.closed_at = locked.closed_at


def _participant(conversation: Conversation, membership: Membership) -> Participant:
    """The member's participant row, created at their first statement or vote.

    The caller holds the conversation's row lock, so numbers are assigned one at a time.
    """
    existing = Participant.objects.filter(conversation=conversation, membership=membership).first()
    if existing is not None:
        return existing
    return Participant.objects.create(
        conversation=conversation,
        membership=membership,
        number=_next_number(Participant.objects.filter(conversation=conversation)),
    )


def _statement_create(
    conversation: Conversation,
    actor: Membership | None,
    author: Participant | None,
    number: int,
    text: str,
    is_seed: bool = False,
) -> Statement:
    statement = Statement.objects.create(
        conversation=conversation, number=number, text=text, author=author, is_seed=is_seed
    )
    record_append(
        organisation=conversation.organisation,
        actor=actor,
        action="statement.added",
        subject=("statement", statement.pk),
        payload={"conversation": conversation.pk, "number": number, "text": text},
    )
    return statement


def statement_add(*, user: User, conversation: Conversation, text: str) -> Statement:
    """Publish a member's statement at once (no pre-moderation)."""
    text = _clean_text(text)
    with transaction.atomic():
        member = _require(user, "opinion.add_statement", conversation.organisation)
        locked = _locked(conversation)
        if Statement.objects.filter(conversation=locked, text__iexact=text).exists():
            raise OpinionError(_("This statement is already in the conversation."))
        author = _participant(locked, member)
        number = _next_number(Statement.objects.filter(conversation=locked))
        return _statement_create(locked, member, author, number, text)


def statement_vote(*, user: User, statement: Statement, value: int) -> Vote:
    """Agree (1), disagree (-1) or pass (0); a later vote replaces the earlier one.

    Every cast is kept (VoteCast) and on the record; the analysis is queued after commit unless
    one is already queued or running for this conversation. The conversation's row lock, which
    every vote of the conversation waits for, is taken as late as possible: at once only for a
    member's first vote (participant numbers are assigned under it), otherwise after the vote's
    own rows are written, just before the counter and the record.
    """
    from parrhesia.opinion.analysis import analysis_after_commit

    if value not in VoteValue.values:
        raise OpinionError(_("A vote is agree, disagree or pass."))
    conversation = statement.conversation
    if not conversation.is_open:
        raise ConversationClosed(_("This conversation is closed."))
    with transaction.atomic():
        member = _require(user, "opinion.vote", conversation.organisation)
        locked = None
        # The member's own participant row is locked: two votes of one member (a double click,
        # two tabs) then wait for each other instead of both inserting the same vote.
        participant = (
            Participant.objects.select_for_update()
            .filter(conversation=conversation, membership=member)
            .first()
        )
        if participant is None:
            locked = _locked(conversation)
            participant = _participant(locked, member)
        now = timezone.now()
        vote = (
            Vote.objects.select_for_update()
            .filter(participant=participant, statement=statement)
            .first()
        )
        changed = vote is not None and vote.value != value
        counters: dict[str, Any] = {_COUNTER[value]: F(_COUNTER[value]) + 1}
        if vote is None:
            vote = Vote.objects.create(
                participant=participant, statement=statement, value=value, updated_at=now
            )
        elif changed:
            counters[_COUNTER[vote.value]] = F(_COUNTER[vote.value]) - 1
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
        locked = locked or _locked(conversation)  # closed meanwhile: all of this rolls back
        Conversation.objects.filter(pk=locked.pk).update(
            votes_cast=F("votes_cast") + 1, analysis_queued=True
        )
        # After the conversation's lock, as every vote of the conversation takes them.
        Statement.objects.filter(pk=statement.pk).update(**counters)
        record_append(
            organisation=conversation.organisation,
            actor=member,
            action="statement.vote_changed" if changed else "statement.voted",
            subject=("statement", statement.pk),
            payload={"vote": VOTE_NAMES[VoteValue(value)]},
        )
        if not locked.analysis_queued:
            analysis_after_commit(locked.pk)
    return vote


_COUNTER = {VoteValue.AGREE: "n_agree", VoteValue.DISAGREE: "n_disagree", VoteValue.PASS: "n_pass"}


def statements_count(conversation: Conversation) -> None:
    """Set every statement's vote counters from its votes (after an import, which writes votes
    in bulk; the vote service keeps them up to date one vote at a time)."""
    counts = (
        Vote.objects.filter(statement__conversation=conversation)
        .values("statement_id")
        .annotate(
            agree=Count("pk", filter=Q(value=VoteValue.AGREE)),
            disagree=Count("pk", filter=Q(value=VoteValue.DISAGREE)),
            passed=Count("pk", filter=Q(value=VoteValue.PASS)),
            changed=Count("pk", filter=Q(changes__gt=0)),
        )
    )
    by_statement = {row["statement_id"]: row for row in counts}
    statements = list(Statement.objects.filter(conversation=conversation))
    for statement in statements:
        row = by_statement.get(statement.pk, {})
        statement.n_agree = row.get("agree", 0)
        statement.n_disagree = row.get("disagree", 0)
        statement.n_pass = row.get("passed", 0)
        statement.n_changed = row.get("changed", 0)
    Statement.objects.bulk_update(
        statements, ["n_agree", "n_disagree", "n_pass", "n_changed"], batch_size=1000
    )


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
        steward = _require(user, "opinion.mark_statement", statement.conversation.organisation)
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
            action="statement.marked",
            subject=("statement", locked.pk),
            payload={"mark": mark or None, "reason": reason},
        )
    return locked


def conversation_import(
    *, organisation: Organisation, folder: str, topic: str = ""
) -> Conversation:
    """Create a conversation from a Polis export folder (an operator's command, no user).

    Polis participants become *external participants* known only by their Polis id: they are not
    members and cannot act here. Statements keep their Polis comment ids as numbers, votes their
    full history (``votes.csv`` when present, else the matrix of ``participants-votes.csv``);
    statements Polis moderated out are marked off-topic with that reason. One record entry
    names the import, with the SHA-256 of each file read, rather than one per imported vote.
    """
    from parrhesia.opinion.polis import PolisImport

    data = PolisImport.read(folder)
    with transaction.atomic():
        conversation = Conversation.objects.create(
            organisation=organisation,
            topic=(topic or data.topic or _("Imported conversation"))[:200],
            description=data.description[:5000],
            imported_from="polis",
            analysis_queued=True,  # the importer runs the first analysis itself
            votes_cast=len(data.casts),
        )
        participants = Participant.objects.bulk_create(
            Participant(conversation=conversation, number=int(pid), external_id=pid)
            for pid in data.participant_ids
        )
        participant_pk = {p.external_id: p.pk for p in participants}
        if any(p.pk is None for p in participants):  # backends without RETURNING
            participant_pk = dict(
                Participant.objects.filter(conversation=conversation).values_list(
                    "external_id", "pk"
                )
            )
        Statement.objects.bulk_create(
            Statement(
                conversation=conversation,
                number=int(c.id),
                text=c.body,
                author_id=participant_pk.get(c.author) if c.author else None,
                created_at=c.created_at,
                mark=c.mark,
                mark_reason=_("Moderated out in Polis.") if c.mark else "",
            )
            for c in data.comments
        )
        statement_pk = dict(
            Statement.objects.filter(conversation=conversation).values_list("number", "pk")
        )
        VoteCast.objects.bulk_create(
            (
                VoteCast(
                    conversation=conversation,
                    participant_id=participant_pk[v.voter],
                    statement_id=statement_pk[int(v.comment)],
                    value=v.value,
                    cast_at=v.cast_at,
                )
                for v in data.casts
            ),
            batch_size=5000,
        )
        Vote.objects.bulk_create(
            (
                Vote(
                    participant_id=participant_pk[voter],
                    statement_id=statement_pk[int(comment)],
                    value=value,
                    changes=changes,
                    updated_at=at,
                )
                for (voter, comment), (value, changes, at) in data.latest().items()
            ),
            batch_size=5000,
        )
        statements_count(conversation)
        record_append(
            organisation=organisation,
            actor=None,
            action="conversation.imported",
            subject=("conversation", conversation.pk),
            payload={
                "topic": conversation.topic,
                "source": "polis",
                "files": data.digests,
                "participants": len(data.participant_ids),
                "statements": len(data.comments),
                "votes": len(data.casts),
            },
        )
    return conversation
