"""Who may do what in deliberation, asked of the organisation or of anything in it (an item, a
motion, a suggestion, an argument, a challenge, a question).

Three layers, each built on the one before:

- **the role**: ``agenda.view``, ``agenda.post`` (a member the tribunal has not suspended),
  ``agenda.take_part`` (any member), and the stewards' and admins' permissions. Asked of
  anything of the organisation, they are asked of its organisation.
- **who may act on this object**: the role and authorship, e.g. ``agenda.revise_motion`` (a
  member who may post and wrote the motion). Services ask these through
  ``kernel.access.member_for``; views ask them before they show a form. Refused: 403.
- **who may act on it now**: the same and the phase, adhocracy4's ``phase_allows_change``,
  named ``agenda.<action>_now``. Pages ask these through ``has_perm`` before they offer an
  action. Services check the phase half themselves, with the same predicates, once the item
  is locked, and say why with ``PhaseClosed`` (a form error, not a 403).

Cheap predicates come first in each rule: a member's role is cached for the request, but
``agenda.post`` asks the tribunal whether the member is suspended (a query).
"""

from __future__ import annotations

from typing import Any

import rules

from parrhesia.agenda.models import (
    AgendaItem,
    Argument,
    Challenge,
    Motion,
    Phase,
    Question,
    Suggestion,
    SuggestionStatus,
)
from parrhesia.agenda.selectors import supports
from parrhesia.kernel.access import active_membership, organisation_of
from parrhesia.orgs.rules import can_view, is_admin, is_member, is_steward
from parrhesia.tribunal.rules import can_post


def item_of(obj: Any) -> AgendaItem | None:
    """The agenda item ``obj`` is or belongs to; None for the organisation (or nothing)."""
    if isinstance(obj, AgendaItem):
        return obj
    motion = motion_of(obj)
    return motion.item if motion is not None else None


def motion_of(obj: Any) -> Motion | None:
    """The motion ``obj`` is or is on; None for an item, a question or the organisation."""
    if isinstance(obj, Motion):
        return obj
    if isinstance(obj, (Suggestion, Argument)):
        return obj.motion
    if isinstance(obj, Challenge):
        return obj.argument.motion
    return None


def on_organisation(predicate: rules.Predicate) -> rules.Predicate:
    """``predicate`` (a role, asked of an organisation) asked of the organisation of ``obj``."""

    def lifted(user: Any, obj: Any) -> bool:
        return bool(predicate.test(user, None if obj is None else organisation_of(obj)))

    return rules.predicate(lifted, name=f"{predicate.name}_of_organisation")


views = on_organisation(can_view)
posts = on_organisation(can_post)
takes_part = on_organisation(is_member)
stewards = on_organisation(is_steward)
admins = on_organisation(is_admin)


# --- authorship ------------------------------------------------------------------------------


@rules.predicate
def is_author(user: Any, obj: Any) -> bool:
    """The user, an active member, wrote it (a motion, suggestion, argument, challenge or
    question)."""
    if obj is None:
        return False
    member = active_membership(user, organisation_of(obj))
    return member is not None and obj.author_id == member.pk


@rules.predicate
def is_motion_author(user: Any, suggestion: Suggestion | None) -> bool:
    """The user wrote the motion a suggestion is on: they adopt or decline it."""
    return suggestion is not None and bool(is_author(user, suggestion.motion))


@rules.predicate
def is_argument_author(user: Any, challenge: Challenge | None) -> bool:
    """The user wrote the argument a challenge is on: they answer it."""
    return challenge is not None and bool(is_author(user, challenge.argument))


@rules.predicate
def is_supporter(user: Any, obj: Any) -> bool:
    """The user supports the motion (of a suggestion): its supporters rate its suggestions."""
    motion = motion_of(obj)
    if motion is None:
        return False
    return supports(motion, active_membership(user, organisation_of(motion)))


# --- the phase and the object's state ---------------------------------------------------------


@rules.predicate
def phase_allows_text(user: Any, obj: Any) -> bool:
    """Admission or discussion: motions are filed, supported, revised and amended."""
    item = item_of(obj)
    return item is not None and item.is_open_for_text


@rules.predicate
def phase_allows_arguments(user: Any, obj: Any) -> bool:
    """Until the item closes (decided, lapsed, withdrawn), its argument maps stay open."""
    item = item_of(obj)
    return item is not None and not item.is_closed


@rules.predicate
def phase_is_timed(user: Any, obj: Any) -> bool:
    """Admission, discussion or frozen: the phase has an end a steward may move."""
    item = item_of(obj)
    return item is not None and item.is_timed


@rules.predicate
def phase_is_decided(user: Any, obj: Any) -> bool:
    """The vote decided the item: stewards log what is done about it."""
    item = item_of(obj)
    return item is not None and item.phase == Phase.DECIDED


@rules.predicate
def motion_is_active(user: Any, obj: Any) -> bool:
    """The motion is still before the organisation (not withdrawn, not lapsed)."""
    motion = motion_of(obj)
    return motion is not None and motion.is_active


@rules.predicate
def suggestion_is_open(user: Any, suggestion: Suggestion | None) -> bool:
    return suggestion is not None and suggestion.status == SuggestionStatus.OPEN


@rules.predicate
def argument_stands(user: Any, obj: Any) -> bool:
    """The argument (of a challenge) is not withdrawn by its author."""
    argument = obj.argument if isinstance(obj, Challenge) else obj
    return isinstance(argument, Argument) and not argument.is_withdrawn


@rules.predicate
def question_stands(user: Any, question: Question | None) -> bool:
    """The question is not withdrawn by its author."""
    return question is not None and question.withdrawn_at is None


# --- the role --------------------------------------------------------------------------------

rules.add_perm("agenda.view", views)
rules.add_perm("agenda.open_item", posts)
rules.add_perm("agenda.post", posts)  # file, revise, suggest, argue, challenge, answer
rules.add_perm("agenda.take_part", takes_part)  # support, follow, rate, endorse, withdraw
rules.add_perm("agenda.file_question", posts)
# a status is said on the question's page and the record (a reason, a link): posting
rules.add_perm("agenda.study_question", posts)
rules.add_perm("agenda.set_aside_question", stewards & posts)
rules.add_perm("agenda.adjust_phase", stewards)
rules.add_perm("agenda.log_follow_up", stewards)
rules.add_perm("agenda.set_policy", admins)

# --- who may act on this object (services, and views before a form) ---------------------------

rules.add_perm("agenda.is_author", is_author)
rules.add_perm("agenda.revise_motion", is_author & posts)
rules.add_perm("agenda.withdraw_motion", is_author & takes_part)
rules.add_perm("agenda.decide_suggestion", is_motion_author & takes_part)
rules.add_perm("agenda.withdraw_suggestion", is_author & takes_part)
rules.add_perm("agenda.revise_argument", is_author & posts)
rules.add_perm("agenda.withdraw_argument", is_author & takes_part)
rules.add_perm("agenda.answer_challenge", is_argument_author & posts)
rules.add_perm("agenda.withdraw_question", is_author & takes_part)

# --- who may act on it now (pages, before they offer an action) -------------------------------

# of an item
rules.add_perm("agenda.file_alternative_now", phase_allows_text & posts)
rules.add_perm("agenda.adjust_phase_now", phase_is_timed & stewards)
rules.add_perm("agenda.log_follow_up_now", phase_is_decided & stewards)
# of a motion
rules.add_perm("agenda.support_now", phase_allows_text & motion_is_active & takes_part)
rules.add_perm("agenda.suggest_now", phase_allows_text & motion_is_active & posts)
rules.add_perm("agenda.revise_motion_now", phase_allows_text & motion_is_active & is_author & posts)
rules.add_perm(
    "agenda.withdraw_motion_now", phase_allows_text & motion_is_active & is_author & takes_part
)
# (each open suggestion of it; the map reads its arguments as rows, so the card checks that
# an argument is neither the reader's own nor withdrawn)
rules.add_perm("agenda.rate_suggestions_now", phase_allows_text & takes_part & is_supporter)
# (a member while texts are open, the motion active or not: told that its supporters rate)
rules.add_perm("agenda.take_part_in_texts_now", phase_allows_text & takes_part)
rules.add_perm("agenda.argue_now", phase_allows_arguments & posts)
rules.add_perm("agenda.endorse_now", phase_allows_arguments & takes_part)
# of a suggestion
rules.add_perm(
    "agenda.decide_suggestion_now",
    suggestion_is_open & phase_allows_text & is_motion_author & takes_part,
)
rules.add_perm(
    "agenda.withdraw_suggestion_now",
    suggestion_is_open & phase_allows_text & is_author & takes_part,
)
# of an argument (reply_now: replying and challenging; answer_challenges_now: each unanswered
# challenge on it)
rules.add_perm("agenda.reply_now", phase_allows_arguments & argument_stands & posts)
rules.add_perm(
    "agenda.revise_argument_now", phase_allows_arguments & argument_stands & is_author & posts
)
rules.add_perm(
    "agenda.withdraw_argument_now",
    phase_allows_arguments & argument_stands & is_author & takes_part,
)
rules.add_perm(
    "agenda.answer_challenges_now", phase_allows_arguments & argument_stands & is_author & posts
)
# of a question
rules.add_perm("agenda.withdraw_question_now", question_stands & is_author & takes_part)
rules.add_perm("agenda.change_question_status_now", question_stands & posts)
rules.add_perm("agenda.link_question_now", question_stands & posts)
