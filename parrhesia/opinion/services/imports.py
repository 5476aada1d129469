"""A conversation from a Polis export folder (an operator's command, ``parrhesia opinion
import``), and the statements' vote counters that a bulk write sets."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from parrhesia.opinion.actions import Action
from parrhesia.opinion.models import (
    Conversation,
    Participant,
    Statement,
    Vote,
    VoteCast,
    VoteValue,
)
from parrhesia.opinion.polis import PolisImport
from parrhesia.orgs.models import Organisation
from parrhesia.record.services import record_append

BATCH = 5000


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
        participant_pk = _participants_create(conversation, data)
        statement_pk = _statements_create(conversation, data, participant_pk)
        _votes_create(conversation, data, participant_pk, statement_pk)
        statements_count(conversation)
        record_append(
            organisation=organisation,
            actor=None,
            action=Action.CONVERSATION_IMPORTED,
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


def _participants_create(conversation: Conversation, data: PolisImport) -> dict[str, int]:
    """The external participants; their row ids by Polis participant id."""
    participants = Participant.objects.bulk_create(
        Participant(conversation=conversation, number=int(pid), external_id=pid)
        for pid in data.participant_ids
    )
    if any(p.pk is None for p in participants):  # backends without RETURNING
        return dict(
            Participant.objects.filter(conversation=conversation).values_list("external_id", "pk")
        )
    return {p.external_id: p.pk for p in participants}


def _statements_create(
    conversation: Conversation, data: PolisImport, participant_pk: dict[str, int]
) -> dict[int, int]:
    """The comments as statements (moderated-out ones marked); their row ids by number."""
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
    return dict(Statement.objects.filter(conversation=conversation).values_list("number", "pk"))


def _votes_create(
    conversation: Conversation,
    data: PolisImport,
    participant_pk: dict[str, int],
    statement_pk: dict[int, int],
) -> None:
    """Every cast (the history), then each participant's latest vote per statement."""
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
        batch_size=BATCH,
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
        batch_size=BATCH,
    )


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
