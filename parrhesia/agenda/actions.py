"""What deliberation writes on the organisation's public record: the catalogue of its actions,
and the facts written in more than one place.

The strings are the record's format (docs/record.md, docs/deliberation.md): an entry once
written keeps its action forever, so a name here never changes; a new kind of event gets a new
name.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from parrhesia.agenda.models import Phase, SuggestionStatus


class Action(StrEnum):
    AGENDA_POLICY_SET = "agenda_policy.set"
    AGENDA_ITEM_OPENED = "agenda_item.opened"
    AGENDA_ITEM_ADMITTED = "agenda_item.admitted"
    AGENDA_ITEM_FROZEN = "agenda_item.frozen"
    AGENDA_ITEM_READY_FOR_VOTE = "agenda_item.ready_for_vote"
    AGENDA_ITEM_VOTING = "agenda_item.voting"
    AGENDA_ITEM_DECIDED = "agenda_item.decided"
    AGENDA_ITEM_LAPSED = "agenda_item.lapsed"
    AGENDA_ITEM_WITHDRAWN = "agenda_item.withdrawn"
    AGENDA_ITEM_PHASE_ADJUSTED = "agenda_item.phase_adjusted"
    FOLLOW_UP_LOGGED = "follow_up.logged"
    MOTION_FILED = "motion.filed"
    MOTION_SUPPORTED = "motion.supported"
    MOTION_REVISED = "motion.revised"
    MOTION_WITHDRAWN = "motion.withdrawn"
    MOTION_LAPSED = "motion.lapsed"
    SUGGESTION_FILED = "suggestion.filed"
    SUGGESTION_RATED = "suggestion.rated"
    SUGGESTION_ADOPTED = "suggestion.adopted"
    SUGGESTION_DECLINED = "suggestion.declined"
    SUGGESTION_WITHDRAWN = "suggestion.withdrawn"
    ARGUMENT_ADDED = "argument.added"
    ARGUMENT_REVISED = "argument.revised"
    ARGUMENT_WITHDRAWN = "argument.withdrawn"
    ARGUMENT_ENDORSED = "argument.endorsed"
    ARGUMENT_ENDORSEMENT_WITHDRAWN = "argument.endorsement_withdrawn"
    ARGUMENT_CHALLENGED = "argument.challenged"
    CHALLENGE_ANSWERED = "challenge.answered"
    QUESTION_FILED = "question.filed"
    QUESTION_LINKED = "question.linked"
    QUESTION_STATUS_CHANGED = "question.status_changed"
    QUESTION_WITHDRAWN = "question.withdrawn"


# An item closes into one of three phases; the record names the phase it closed into.
ITEM_CLOSED = {
    Phase.DECIDED: Action.AGENDA_ITEM_DECIDED,
    Phase.LAPSED: Action.AGENDA_ITEM_LAPSED,
    Phase.WITHDRAWN: Action.AGENDA_ITEM_WITHDRAWN,
}

# A motion's author decides a suggestion one of two ways.
SUGGESTION_DECIDED = {
    SuggestionStatus.ADOPTED: Action.SUGGESTION_ADOPTED,
    SuggestionStatus.DECLINED: Action.SUGGESTION_DECLINED,
}


def supporters_facts(count: int) -> dict[str, Any]:
    """A support's entry: how many support the motion now (its author's own support counts)."""
    return {"supporters": count}
