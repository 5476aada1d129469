"""Reads of deliberation: what a page needs, in a constant number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import scipy.sparse as sp
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parrhesia.agenda.models import (
    AgendaItem,
    Argument,
    Challenge,
    Endorsement,
    FollowUp,
    ItemFollow,
    ItemPolicy,
    LinkKind,
    Motion,
    MotionStatus,
    MotionVersion,
    Question,
    QuestionStatus,
    Rating,
    Stance,
    Suggestion,
    SuggestionRating,
    Support,
)
from parrhesia.methods.opinion.bridging import fit_bridging
from parrhesia.orgs.models import Membership, Organisation

# Bridging needs enough people endorsing enough arguments to find an axis of disagreement.
BRIDGING_MIN_RATERS = 5
BRIDGING_MIN_ENDORSEMENTS = 20


def policy_for(organisation: Organisation, item_type: str) -> ItemPolicy:
    """The organisation's policy for this type of item, or the defaults (unsaved)."""
    policy = ItemPolicy.objects.filter(organisation=organisation, item_type=item_type).first()
    return policy or ItemPolicy(organisation=organisation, item_type=item_type)


def items_of(organisation: Organisation) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(organisation=organisation)
        .select_related("opened_by__user")
        .annotate(
            motion_count=Count("motions", distinct=True),
            active_motions=Count(
                "motions", filter=Q(motions__status=MotionStatus.ACTIVE), distinct=True
            ),
        )
    )


def motions_of(item: AgendaItem) -> list[Motion]:
    """The item's motions with their supporter counts and current versions."""
    motions = list(
        item.motions.select_related("author__user").annotate(supporters=Count("supports"))
    )
    current = {
        (v.motion_id, v.number): v
        for v in MotionVersion.objects.filter(motion__item=item).only(
            "motion_id", "number", "html", "created_at"
        )
    }
    for motion in motions:
        motion.current = current.get((motion.pk, motion.version))  # type: ignore[attr-defined]
    return motions


def support_counts(item: AgendaItem) -> dict[int, int]:
    """How many support each of the item's active motions, by motion id."""
    rows = item.motions.filter(status=MotionStatus.ACTIVE).annotate(n=Count("supports"))
    return {motion.pk: motion.n for motion in rows}


def motions_on_ballot(item: AgendaItem) -> list[Motion]:
    """The seam for Decisions: the frozen motions of an item that go to the vote, in filing order.

    Meaningful once the item is frozen, ready for vote or voting; their texts are the
    ``motion.version`` versions, which no longer change.
    """
    return list(
        item.motions.filter(status=MotionStatus.ACTIVE)
        .select_related("author__user")
        .order_by("pk")
    )


def is_following(item: AgendaItem, member: Membership | None) -> bool:
    return member is not None and ItemFollow.objects.filter(item=item, member=member).exists()


def follow_ups_of(item: AgendaItem) -> QuerySet[FollowUp]:
    return item.follow_ups.select_related("author__user")


def questions_left_open(item: AgendaItem) -> QuerySet[Question]:
    return Question.objects.filter(
        links__item=item, status__in=[QuestionStatus.OPEN, QuestionStatus.STUDYING]
    ).distinct()


def link_target_item(organisation: Organisation, kind: str, target_id: int) -> AgendaItem | None:
    """The agenda item a question's link target belongs to (an item, a motion or an argument of
    the organisation; None for a decision no item names). :class:`LookupError` if the
    organisation has no such item, motion or argument."""
    found: Any
    if kind == LinkKind.ITEM:
        found = AgendaItem.objects.filter(pk=target_id, organisation=organisation).first()
        return _found(found)
    if kind == LinkKind.MOTION:
        found = Motion.objects.filter(pk=target_id, item__organisation=organisation).first()
        return _found(found).item
    if kind == LinkKind.ARGUMENT:
        found = Argument.objects.filter(
            pk=target_id, motion__item__organisation=organisation
        ).first()
        return _found(found).motion.item
    return AgendaItem.objects.filter(organisation=organisation, decision_ref=str(target_id)).first()


def _found(found: Any) -> Any:
    if found is None:
        raise LookupError
    return found


def questions_register(organisation: Organisation, status: str = "") -> QuerySet[Question]:
    questions = Question.objects.filter(organisation=organisation).select_related(
        "author__user", "studied_by__user"
    )
    if status:
        questions = questions.filter(status=status)
    return questions.prefetch_related("links")


def suggestions_of(motion: Motion, member: Membership | None) -> list[Suggestion]:
    """Suggestions with their rating tallies and the reader's own rating."""
    suggestions = list(
        motion.suggestions.select_related("author__user").prefetch_related(
            Prefetch(
                "ratings",
                queryset=SuggestionRating.objects.only("suggestion_id", "member_id", "rating"),
            )
        )
    )
    for suggestion in suggestions:
        tally = Counter(r.rating for r in suggestion.ratings.all())
        suggestion.tally = [(label, tally.get(value, 0)) for value, label in Rating.choices]  # type: ignore[attr-defined]
        mine = [r.rating for r in suggestion.ratings.all() if member and r.member_id == member.pk]
        suggestion.my_rating = mine[0] if mine else ""  # type: ignore[attr-defined]
    return suggestions


def members_insisting(suggestion: Suggestion) -> QuerySet[Membership]:
    """The members who rated a suggestion "must" (told when its author declines it)."""
    return Membership.objects.filter(
        pk__in=suggestion.ratings.filter(rating=Rating.MUST).values("member")
    ).select_related("user")


def supports(motion: Motion, member: Membership | None) -> bool:
    return member is not None and Support.objects.filter(motion=motion, member=member).exists()


def supporters_of(motion: Motion) -> QuerySet[Support]:
    return motion.supports.select_related("member__user").order_by("created_at")


# --- the argument map ------------------------------------------------------------------------


@dataclass(slots=True)
class MapArgument:
    """What the map shows of an argument: read as plain rows, not model instances, which is
    most of the difference between 40 ms and 150 ms for a thousand arguments."""

    pk: int
    parent_id: int | None
    stance: str
    html: str
    revision: int
    withdrawn_at: datetime | None
    created_at: datetime
    author_id: int
    author_name: str

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


@dataclass(slots=True)
class MapChallenge:
    pk: int
    kind: str
    text: str
    answered_at: datetime | None

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


@dataclass
class Node:
    argument: MapArgument
    depth: int
    endorsements: int
    endorsed_by_me: bool
    challenges: list[MapChallenge]
    reason: str = ""
    score: float = 0.0
    replies: list[Node] = field(default_factory=list)

    @property
    def unanswered(self) -> int:
        return sum(1 for c in self.challenges if not c.is_answered)


@dataclass
class ArgumentMap:
    pro: list[Node]
    con: list[Node]
    method: str  # "bridging" or "endorsements"
    total: int

    @staticmethod
    def flat(nodes: list[Node]) -> list[Node]:
        """Pre-order: each argument followed by its replies, so a page needs no recursion."""
        out: list[Node] = []
        stack = list(reversed(nodes))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.replies))
        return out

    @property
    def pro_flat(self) -> list[Node]:
        return self.flat(self.pro)

    @property
    def con_flat(self) -> list[Node]:
        return self.flat(self.con)


def argument_map(motion: Motion, member: Membership | None) -> ArgumentMap:
    """Every argument of a motion, nested, ordered, each with the reason for its place.

    Three queries whatever the number of arguments: arguments, endorsements, challenges.
    Withdrawn arguments stay in place as tombstones; nothing is hidden for being unpopular.
    """
    rows = (
        Argument.objects.filter(motion=motion)
        .order_by("id")
        .values_list(
            "id", "parent_id", "stance", "html", "revision", "withdrawn_at", "created_at",
            "author_id", "author__user__display_name", "author__user__username",
        )
    )  # fmt: skip
    arguments = [MapArgument(*row[:8], row[8] or row[9]) for row in rows]
    endorsements = list(
        Endorsement.objects.filter(argument__motion=motion).values_list("argument_id", "member_id")
    )
    challenges: dict[int, list[MapChallenge]] = defaultdict(list)
    for argument_id, *challenge in (
        Challenge.objects.filter(argument__motion=motion)
        .order_by("id")
        .values_list("argument_id", "id", "kind", "text", "answered_at")
    ):
        challenges[argument_id].append(MapChallenge(*challenge))
    counts = Counter(argument_id for argument_id, _member in endorsements)
    mine = {a for a, m in endorsements if member is not None and m == member.pk}
    nodes = {
        a.pk: Node(a, 0, counts.get(a.pk, 0), a.pk in mine, challenges.get(a.pk, []))
        for a in arguments
    }
    scores = _bridging_scores([a.pk for a in arguments if not a.is_withdrawn], endorsements)
    method = "bridging" if scores else "endorsements"
    for node in nodes.values():
        _place(node, scores)
    pro: list[Node] = []
    con: list[Node] = []
    for argument in arguments:
        node = nodes[argument.pk]
        if argument.parent_id and argument.parent_id in nodes:
            nodes[argument.parent_id].replies.append(node)
        elif argument.stance == Stance.CON:
            con.append(node)
        else:
            pro.append(node)
    for side in (pro, con):
        _order(side, 0)
    return ArgumentMap(pro, con, method, len(arguments))


def _order(nodes: list[Node], depth: int) -> None:
    nodes.sort(key=_sort_key)
    for node in nodes:
        node.depth = depth
        _order(node.replies, depth + 1)


def _sort_key(node: Node) -> tuple[Any, ...]:
    withdrawn = node.argument.is_withdrawn
    return (withdrawn, -node.score, -node.endorsements, -_timestamp(node.argument.created_at))


def _timestamp(moment: datetime) -> float:
    return moment.timestamp()


def _place(node: Node, scores: dict[int, float]) -> None:
    if node.argument.is_withdrawn:
        node.reason = _("Withdrawn by the author: kept in place, listed after the others.")
        node.score = float("-inf")
    elif scores:
        node.score = scores.get(node.argument.pk, 0.0)
        node.reason = ngettext(
            "Bridging score %(score)+.2f from %(count)s endorsement: endorsements from members "
            "who usually disagree count more than many from one side.",
            "Bridging score %(score)+.2f from %(count)s endorsements: endorsements from members "
            "who usually disagree count more than many from one side.",
            node.endorsements,
        ) % {"score": node.score, "count": node.endorsements}
    else:
        node.reason = ngettext(
            "%(count)s endorsement; arguments with as many endorsements are listed newest first.",
            "%(count)s endorsements; arguments with as many endorsements are listed newest first.",
            node.endorsements,
        ) % {"count": node.endorsements}


def _bridging_scores(
    argument_ids: list[int], endorsements: list[tuple[int, int]]
) -> dict[int, float]:
    """Bridging intercepts over the members × arguments endorsement matrix, or {} if too few.

    A member who endorsed anything on the motion rates each argument 1 (endorsed) or 0 (not);
    the factor model (parrhesia.methods.opinion.bridging) absorbs the main axis of disagreement,
    so an argument's intercept is high only when endorsed on both sides of it.
    """
    visible = set(argument_ids)
    pairs = [(a, m) for a, m in endorsements if a in visible]
    raters = sorted({m for _a, m in pairs})
    if len(raters) < BRIDGING_MIN_RATERS or len(pairs) < BRIDGING_MIN_ENDORSEMENTS:
        return {}
    column = {a: j for j, a in enumerate(argument_ids)}
    row = {m: i for i, m in enumerate(raters)}
    dense = np.zeros((len(raters), len(argument_ids)))
    for a, m in pairs:
        dense[row[m], column[a]] = 1.0
    ratings = sp.csr_matrix(
        (
            dense.ravel(),
            np.tile(np.arange(len(argument_ids)), len(raters)),
            np.arange(0, dense.size + 1, len(argument_ids)),
        ),
        shape=dense.shape,
    )  # fmt: skip  (explicit zeros are ratings)
    result = fit_bridging(ratings)
    return {a: float(result.statement_intercepts[j]) for a, j in column.items()}


def challenges_of(argument: Argument) -> QuerySet[Challenge]:
    return argument.challenges.select_related("author__user")
