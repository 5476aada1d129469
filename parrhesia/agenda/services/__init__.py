"""Every write of deliberation: one keyword-only function per action.

Each runs in one transaction, checks permission (``kernel.access.member_for`` on the rules of
rules.py; the phase on the locked item, refused with ``PhaseClosed``), and appends its entry to
the organisation's public record (``agenda.actions``) in that same transaction. Notifications are
written in the same transaction too; e-mail and deferred phase tasks go out after commit. Phases
move only with the clock (:func:`phases_advance_due`) or when a quorum is reached, never at a
steward's whim; a steward may only move a phase's end, with a reason, on the record.

One module per part of the process: ``items`` (policy, opening, following, follow-up),
``phases`` (admission, the clock, the seam for Decisions), ``motions``, ``suggestions``
(amendments), ``arguments`` (the argument map and its challenges), ``questions``; ``_shared``
holds what they share. Callers use this package: ``from parrhesia.agenda import services``.
"""

from parrhesia.agenda.services._shared import (
    ARGUMENT_TEXT_MAX,
    MOTION_TEXT_MAX,
    REASON_MAX,
    TITLE_MAX,
    AgendaError,
    NotSupporter,
    PhaseClosed,
    SuggestionOutdated,
    TextInvalid,
)
from parrhesia.agenda.services.arguments import (
    argument_add,
    argument_challenge,
    argument_endorse,
    argument_revise,
    argument_withdraw,
    challenge_answer,
)
from parrhesia.agenda.services.items import (
    agenda_item_open,
    follow_up_log,
    item_follow_set,
    policy_set,
)
from parrhesia.agenda.services.motions import (
    motion_file_alternative,
    motion_revise,
    motion_support,
    motion_withdraw,
)
from parrhesia.agenda.services.phases import (
    agenda_item_advance_due,
    agenda_item_decide,
    agenda_item_voting_start,
    phase_adjust,
    phases_advance_due,
)
from parrhesia.agenda.services.questions import (
    ANSWER_LINK_ERROR,
    question_file,
    question_link,
    question_status_set,
    question_withdraw,
)
from parrhesia.agenda.services.suggestions import (
    suggestion_adopt,
    suggestion_decline,
    suggestion_file,
    suggestion_rate,
    suggestion_withdraw,
)

__all__ = [
    "ANSWER_LINK_ERROR",
    "ARGUMENT_TEXT_MAX",
    "MOTION_TEXT_MAX",
    "REASON_MAX",
    "TITLE_MAX",
    "AgendaError",
    "NotSupporter",
    "PhaseClosed",
    "SuggestionOutdated",
    "TextInvalid",
    "agenda_item_advance_due",
    "agenda_item_decide",
    "agenda_item_open",
    "agenda_item_voting_start",
    "argument_add",
    "argument_challenge",
    "argument_endorse",
    "argument_revise",
    "argument_withdraw",
    "challenge_answer",
    "follow_up_log",
    "item_follow_set",
    "motion_file_alternative",
    "motion_revise",
    "motion_support",
    "motion_withdraw",
    "phase_adjust",
    "phases_advance_due",
    "policy_set",
    "question_file",
    "question_link",
    "question_status_set",
    "question_withdraw",
    "suggestion_adopt",
    "suggestion_decline",
    "suggestion_file",
    "suggestion_rate",
    "suggestion_withdraw",
]
