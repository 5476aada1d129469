"""Reads on conversations, each page in a constant number of queries.

For other apps: :func:`opinion_group_of` tells which opinion group a member is in, so that the
Deliberation app can rank arguments by support across groups (bridging).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, QuerySet

from parrhesia.methods.opinion.routing import choose_next, priorities
from parrhesia.opinion.models import Analysis, Conversation, Mark, Participant, Statement, Vote
from parrhesia.orgs.models import Membership, Organisation
from parrhesia.tribunal.selectors import hidden_measure, hidden_measures


def conversations_of(organisation: Organisation) -> QuerySet[Conversation]:
    return Conversation.objects.filter(organisation=organisation).annotate(
        n_statements=Count("statements", distinct=True),
        n_participants=Count("participants", distinct=True),
    )


def conversations_listed(organisation: Organisation) -> tuple[list[Conversation], dict[str, Any]]:
    """The index's conversations, each with its ``hidden_measure`` (None when shown), and the
    tribunal's measures hiding them by conversation id (str). Two queries."""
    conversations = list(conversations_of(organisation))
    measures = hidden_measures("conversation", [c.pk for c in conversations])
    for conversation in conversations:
        conversation.hidden_measure = measures.get(str(conversation.pk))  # type: ignore[attr-defined]
    return conversations, measures


UNKNOWN = object()  # statement_counted's my_vote when the caller does not know it


def statement_counted(
    statement: Statement, membership: Membership | None, my_vote: object = UNKNOWN
) -> Statement:
    """Give a statement already in hand what its row shows: its counts, re-read by key (a vote
    just cast changed them), ``my_vote`` and ``hidden_measure``. Three queries; two when the
    caller knows the member's vote (the vote view: it has just cast it)."""
    counts = (
        Statement.objects.filter(pk=statement.pk)
        .values_list("n_agree", "n_disagree", "n_pass", "n_changed")
        .get()
    )
    statement.n_agree, statement.n_disagree, statement.n_pass, statement.n_changed = counts
    if my_vote is UNKNOWN:
        my_vote = (
            Vote.objects.filter(statement_id=statement.pk, participant__membership=membership)
            .values_list("value", flat=True)
            .first()
            if membership is not None
            else None
        )
    statement.my_vote = my_vote  # type: ignore[attr-defined]
    statement.hidden_measure = hidden_measure("statement", statement.pk)  # type: ignore[attr-defined]
    return statement


def participant_of(conversation: Conversation, membership: Membership | None) -> Participant | None:
    if membership is None:
        return None
    return Participant.objects.filter(conversation=conversation, membership=membership).first()


def votes_of(participant: Participant | None) -> dict[int, int]:
    """The participant's current votes: statement id → value (none for a non-participant)."""
    if participant is None:
        return {}
    return dict(Vote.objects.filter(participant=participant).values_list("statement_id", "value"))


def analysis_of(conversation: Conversation) -> Analysis | None:
    return Analysis.objects.filter(conversation=conversation).first()


def extremity_of(conversation: Conversation) -> dict[str, float]:
    """The newest analysis's extremity per statement number, all routing needs of it: the
    database extracts it, so the rest of the result (every participant's place) is not read."""
    found = (
        Analysis.objects.filter(conversation=conversation)
        .values_list("result__extremity", flat=True)
        .first()
    )
    return found if isinstance(found, dict) else {}


@dataclass(frozen=True)
class OpinionGroup:
    index: int  # 0 = the largest group
    label: str  # "A", "B", … as the pages show it
    size: int
    version: int  # the analysis version it comes from


def opinion_group_of(conversation: Conversation, membership: Membership) -> OpinionGroup | None:
    """The member's opinion group in the conversation's newest analysis, or None.

    None when the member has not voted, is not yet "in the conversation" (Polis: at least
    min(7, statements) votes), or there is no analysis yet. Groups are renumbered by size at
    every analysis, so keep the version with anything you store. Two queries.
    """
    participant = participant_of(conversation, membership)
    analysis = analysis_of(conversation) if participant is not None else None
    if participant is None or analysis is None:
        return None
    placed = analysis.result.get("participants", {}).get(str(participant.number))
    if not placed or placed.get("group") is None:
        return None
    group = analysis.result["groups"][placed["group"]]
    return OpinionGroup(placed["group"], group["label"], group["size"], analysis.version)


def statement_priorities(
    statements: list[Statement], extremity: dict[str, float] | None
) -> dict[int, float]:
    """Polis routing priority per statement pk (``methods/opinion/routing.py``).

    Counts are every participant's current votes; extremity (by statement number) comes from
    the newest analysis (0 for statements added since). Meta statements get Polis's fixed 49;
    off-topic ones are never offered (they stay listed and votable in their own section).
    """
    offered = [s for s in statements if s.mark != Mark.OFF_TOPIC]
    if not offered:
        return {}
    extremity = extremity or {}
    agree = np.array([s.n_agree for s in offered], dtype=np.float64)
    disagree = np.array([s.n_disagree for s in offered], dtype=np.float64)
    seen = agree + disagree + np.array([s.n_pass for s in offered], dtype=np.float64)
    ext = np.array([extremity.get(str(s.number), 0.0) for s in offered], dtype=np.float64)
    meta = np.array([s.mark == Mark.META for s in offered], dtype=bool)
    values = priorities(agree, disagree, seen, ext, is_meta=meta)
    return {s.pk: float(v) for s, v in zip(offered, values.tolist(), strict=True)}


def statement_next(
    statements: list[Statement], voted: set[int], extremity: dict[str, float] | None, seed: int
) -> Statement | None:
    """The statement to offer next: drawn among the unvoted ones with probability ∝ priority,
    as the Polis server does. ``seed`` (participant and votes so far) keeps the choice stable
    across reloads until the member votes."""
    ranked = statement_priorities(statements, extremity)
    candidates = [s for s in statements if s.pk in ranked]
    if not candidates:
        return None
    weights = np.array([ranked[s.pk] for s in candidates], dtype=np.float64)
    already = np.array([s.pk in voted for s in candidates], dtype=bool)
    index = choose_next(weights, already, np.random.default_rng(seed))
    return None if index is None else candidates[index]


@dataclass
class ConversationView:
    conversation: Conversation
    statements: list[Statement]
    my_votes: dict[int, int]  # statement pk → value
    participant: Participant | None
    analysis: Analysis | None
    next_statement: Statement | None
    # The tribunal's measures hiding statements now, by statement pk (str): docs/tribunal.md §1.
    hidden: dict[str, Any] = field(default_factory=dict)

    @property
    def shown(self) -> list[Statement]:
        return [s for s in self.statements if str(s.pk) not in self.hidden]

    @property
    def to_vote(self) -> list[Statement]:
        return [s for s in self.shown if not s.mark and s.pk not in self.my_votes]

    @property
    def voted(self) -> list[Statement]:
        return [s for s in self.shown if not s.mark and s.pk in self.my_votes]

    @property
    def meta(self) -> list[Statement]:
        return [s for s in self.shown if s.mark == Mark.META]

    @property
    def off_topic(self) -> list[Statement]:
        return [s for s in self.shown if s.mark == Mark.OFF_TOPIC]

    @property
    def hidden_statements(self) -> list[Statement]:
        """Listed apart, each as a tombstone linking its case; never offered to vote on."""
        return [s for s in self.statements if str(s.pk) in self.hidden]

    def by_number(self) -> dict[str, Statement]:
        return {str(s.number): s for s in self.statements}


def conversation_view(
    conversation: Conversation, membership: Membership | None
) -> ConversationView:
    """Everything the conversation page shows: five queries (six for a member)."""
    statements = list(
        Statement.objects.filter(conversation=conversation)
        .select_related("marked_by__user")
        .order_by("number")
    )
    participant = participant_of(conversation, membership)
    my_votes = votes_of(participant)
    hidden = hidden_measures("statement", [s.pk for s in statements])
    for statement in statements:
        statement.my_vote = my_votes.get(statement.pk)  # type: ignore[attr-defined]
        statement.hidden_measure = hidden.get(str(statement.pk))  # type: ignore[attr-defined]
    analysis = analysis_of(conversation)
    next_statement = None
    if membership is not None and conversation.is_open:
        extremity = analysis.result.get("extremity") if analysis else None
        next_statement = _next(statements, participant, my_votes, hidden, extremity)
    return ConversationView(
        conversation, statements, my_votes, participant, analysis, next_statement, hidden
    )


def _next(
    statements: list[Statement],
    participant: Participant | None,
    my_votes: dict[int, int],
    hidden: dict[str, Any],
    extremity: dict[str, float] | None,
) -> Statement | None:
    seed = (participant.pk if participant else 0) * 1_000_003 + len(my_votes)
    # Hidden content is not offered to vote on.
    offered = [s for s in statements if str(s.pk) not in hidden]
    return statement_next(offered, set(my_votes), extremity, seed)


def next_statement_for(conversation: Conversation, membership: Membership) -> Statement | None:
    """The page's "next statement" card alone (the same draw as :func:`conversation_view`):
    five queries, reading of the analysis only its extremity, of statements what routing and
    the card use."""
    if not conversation.is_open:
        return None
    statements = list(
        Statement.objects.filter(conversation=conversation)
        .only(
            "id", "conversation_id", "number", "text", "mark",
            "n_agree", "n_disagree", "n_pass", "n_changed",
        )
        .order_by("number")
    )
    participant = participant_of(conversation, membership)
    my_votes = votes_of(participant)
    hidden = hidden_measures("statement", [s.pk for s in statements])
    return _next(statements, participant, my_votes, hidden, extremity_of(conversation))


def conversation_get(organisation: Organisation, conversation_id: int) -> Conversation | None:
    """The organisation's conversation of that id, or None. It comes with its organisation in
    hand: permissions are asked of the conversation, and read its organisation."""
    conversation = Conversation.objects.filter(
        organisation=organisation, pk=conversation_id
    ).first()
    if conversation is not None:
        conversation.organisation = organisation
    return conversation


def statement_get(organisation: Organisation, statement_id: int) -> Statement | None:
    """The organisation's statement of that id, or None; with its conversation and organisation
    (permissions and links read them) and the author of its mark (its row shows them)."""
    return (
        Statement.objects.select_related("conversation__organisation", "marked_by__user")
        .filter(pk=statement_id, conversation__organisation=organisation)
        .first()
    )
