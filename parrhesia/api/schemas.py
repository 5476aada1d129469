"""What the API answers, as typed schemas: the OpenAPI document is made from them, and every
answer is checked against them (schemathesis, in the suite)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema


class Page(Schema):
    next: str | None = None


class OrganisationOut(Schema):
    slug: str
    name: str
    description: str
    visibility: str
    member_count: int
    created_at: datetime


class OrganisationPage(Page):
    items: list[OrganisationOut]


class MemberOut(Schema):
    id: int
    name: str
    role: str
    joined_at: datetime


class MemberPage(Page):
    items: list[MemberOut]


class AgendaItemOut(Schema):
    id: int
    title: str
    item_type: str
    phase: str
    opened_at: datetime
    phase_ends_at: datetime | None
    outcome: str


class AgendaItemPage(Page):
    items: list[AgendaItemOut]


class MotionOut(Schema):
    id: int
    item_id: int
    title: str
    html: str | None
    hidden: bool
    status: str
    is_alternative: bool
    version: int
    author_id: int
    supporters: int
    created_at: datetime


class AgendaItemDetail(AgendaItemOut):
    motions: list[MotionOut]


class ArgumentOut(Schema):
    id: int
    motion_id: int
    parent_id: int | None
    stance: str
    text: str | None
    hidden: bool
    withdrawn: bool
    author_id: int
    created_at: datetime


class ArgumentPage(Page):
    items: list[ArgumentOut]


class QuestionOut(Schema):
    id: int
    title: str | None
    text: str | None
    hidden: bool
    status: str
    author_id: int
    answer_link: str = Field(description="Where the answer is, as its author wrote it (text).")
    answer_url: str = Field(
        description="The same when it is an http(s) address, else empty: the only one to link."
    )
    created_at: datetime


class QuestionPage(Page):
    items: list[QuestionOut]


class ConversationOut(Schema):
    id: int
    topic: str | None
    description: str | None
    hidden: bool
    is_open: bool
    named_votes: bool
    votes_cast: int
    opened_at: datetime
    closed_at: datetime | None


class ConversationPage(Page):
    items: list[ConversationOut]


class StatementOut(Schema):
    id: int
    number: int
    text: str | None
    hidden: bool
    mark: str
    agree: int
    disagree: int
    passes: int
    my_vote: int | None = None


class StatementPage(Page):
    items: list[StatementOut]


class AnalysisOut(Schema):
    version: int
    votes_cast: int
    computed_at: datetime
    result: dict[str, Any]


class BallotOut(Schema):
    id: int
    title: str
    method: str
    is_secret: bool
    is_open: bool
    opened_at: datetime
    closes_at: datetime
    closed_at: datetime | None


class BallotDetail(BallotOut):
    document: dict[str, Any]


class BallotPage(Page):
    items: list[BallotOut]


class CaseOut(Schema):
    number: int
    kind: str
    summary: str
    rules_cited: list[Any]
    code_version: int
    phase: str
    opened_at: datetime
    defence_deadline: datetime
    decided_at: datetime | None
    dismissal_reason: str
    accused: str | None = None
    reporter: str | None = None


class CasePage(Page):
    items: list[CaseOut]


class EntryOut(Schema):
    seq: int
    entry: dict[str, Any]
    leaf_hash: str
    actor_name: str | None = None


class EntryPage(Page):
    items: list[EntryOut]


class CheckpointOut(Schema):
    origin: str
    size: int
    root: str
    note: str
    verifier_key: str
    signed_at: datetime


class InclusionOut(Schema):
    index: int
    size: int
    leaf_hash: str
    proof: list[str]
    root: str


class ConsistencyOut(Schema):
    old_size: int
    new_size: int
    old_root: str
    new_root: str
    proof: list[str]


# --- writes -------------------------------------------------------------------------------


class BallotVoteIn(Schema):
    """One of ``choice`` (a motion: for/against/abstain/block; plurality: an option's key),
    ``approved`` (approval: the keys approved) or ``ranks`` (ranked methods: option key →
    rank, 1 first), as the ballot's method asks; ``reason`` where the ballot takes one;
    ``receipt_code`` to change a secret vote."""

    choice: str | None = None
    approved: list[int] | None = None
    ranks: dict[str, int] | None = None
    reason: str = ""
    receipt_code: str = ""


class BallotVoteOut(Schema):
    state: str
    tracker: str | None = None
    receipt_code: str | None = None


class StatementVoteIn(Schema):
    value: int


class StatementVoteOut(Schema):
    statement_id: int
    value: int


class TextIn(Schema):
    text: str


class ArgumentIn(Schema):
    stance: str
    text: str


class QuestionIn(Schema):
    title: str
    text: str = ""


class SupportOut(Schema):
    motion_id: int
    supporters: int
