"""Who may do what at the tribunal: on the organisation (the role), and on a case (the role, the
person's part in the case, and where the case stands).

A permission on a case is an ordered list of conditions (:func:`case_permission`). The services
walk them (``services._shared.member_on_case``) and the first that does not hold decides: a
refusal (403) where it is about who the person is, or its ``reason``, said to them as the form's
error, where it is about where the case stands. The case page asks the same permissions through
``has_perm`` (all conditions at once), so it offers a form exactly where the service takes it.
A few conditions are ``offered`` only: the service takes the action there too (it is harmless),
but the page does not offer what changes nothing or is not that person's to do; or the service
checks it itself, after what the person asked for (a juror who already voted is told first what
is wrong with their vote). A service that checks what is asked before where the case stands
walks the conditions about who the person is first (``who_only``).

Case permissions are asked of a case; of anything else they are refused.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.utils import timezone
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext_lazy as _

from parrhesia.kernel.access import active_membership, organisation_of
from parrhesia.kernel.content import reportable_of
from parrhesia.orgs.models import Membership, Organisation
from parrhesia.orgs.rules import can_view, is_admin, is_member, is_steward
from parrhesia.tribunal.models import Case, Phase, Round
from parrhesia.tribunal.selectors import (
    CaseFacts,
    case_facts_for,
    member_is_suspended,
    suspended_anywhere,
)

_POSTING_FACTS = "_parrhesia_posting_facts"


class PostingFacts:
    """What the posting gate reads of one membership, each read at most once: the membership is
    the one ``kernel.access.active_membership`` caches on the request's user, and these facts
    live on it, so a page that asks ``can_post`` for every motion, argument and form it may
    offer reads the suspension once (as ``selectors.CaseFacts`` does for a case)."""

    def __init__(self, membership: Membership) -> None:
        self.membership = membership

    @cached_property
    def suspended(self) -> bool:
        return member_is_suspended(self.membership)


def posting_facts(membership: Membership) -> PostingFacts:
    facts = membership.__dict__.get(_POSTING_FACTS)
    if facts is None:
        facts = membership.__dict__[_POSTING_FACTS] = PostingFacts(membership)
    return facts


@rules.predicate
def is_suspended(user: Any, organisation: Organisation | None) -> bool:
    """A verdict suspended this member from posting (they can still read, vote and defend)."""
    membership = active_membership(user, organisation)
    return membership is not None and posting_facts(membership).suspended


# Every app that lets members create content (motions, arguments, statements…) grants it with
# this predicate, so a suspension takes effect everywhere without the apps knowing its details.
can_post = is_member & ~is_suspended


@rules.predicate
def is_suspended_anywhere(user: Any) -> bool:
    """A verdict suspended them in some organisation they belong to (a display name shows in
    all of them)."""
    return bool(user.is_authenticated) and suspended_anywhere(user)


rules.add_perm("tribunal.post", can_post)
rules.add_perm("tribunal.view_docket", can_view)
# A report speaks (its description joins the docket and the record): suspended members wait.
rules.add_perm("tribunal.report", can_post)
# accounts knows nothing of suspensions: the tribunal grants the permission it asks.
rules.add_perm("accounts.change_display_name", rules.is_authenticated & ~is_suspended_anywhere)
rules.add_perm("tribunal.change_settings", is_admin)
# Not speaking (nobody else sees it, nothing is recorded): a suspended member may say it too.
rules.add_perm("tribunal.set_availability", is_member)


# --- predicates on a case ----------------------------------------------------------------------


def _of_organisation(predicate: rules.Predicate) -> rules.Predicate:
    """``predicate`` (asked of an organisation) asked of the organisation of the case."""

    def lifted(user: Any, obj: Any) -> bool:
        return bool(predicate.test(user, None if obj is None else organisation_of(obj)))

    return rules.predicate(lifted, name=f"{predicate.name}_of_organisation")


def _on_case(test: Callable[[Case, CaseFacts], bool]) -> rules.Predicate:
    """A predicate over the case and what the rules know of the person in it (False of anything
    but a case)."""

    def predicate(user: Any, obj: Any) -> bool:
        return isinstance(obj, Case) and bool(test(obj, case_facts_for(obj, user)))

    return rules.predicate(predicate, name=test.__name__)


is_case_member = _of_organisation(is_member)
is_case_steward = _of_organisation(is_steward)
may_post_in_case_organisation = _of_organisation(can_post)
can_view_case_organisation = _of_organisation(can_view)


# who the person is in the case


@_on_case
def is_accused(case: Case, facts: CaseFacts) -> bool:
    """The member the case is about (even once no longer a member: to appeal an expulsion)."""
    return facts.membership is not None and facts.membership.pk == case.accused_id


@_on_case
def is_reporter(case: Case, facts: CaseFacts) -> bool:
    return facts.membership is not None and facts.membership.pk == case.reporter_id


@_on_case
def is_named_advocate(case: Case, facts: CaseFacts) -> bool:
    """The member the accused named advocate (who may step down)."""
    if facts.active is None or facts.defence is None:
        return False
    return bool(facts.defence.advocate_id == facts.active.pk)


@_on_case
def is_advocate(case: Case, facts: CaseFacts) -> bool:
    """The advocate, with an advocate's powers: not a hidden reporter the accused happened to
    name (they may only step down; the accused's choices must not leave them out)."""
    if facts.active is None or facts.defence is None or facts.active.pk == case.reporter_id:
        return False
    return bool(facts.defence.advocate_id == facts.active.pk)


@_on_case
def is_no_party(case: Case, facts: CaseFacts) -> bool:
    """Neither reporter, accused nor advocate (who may not act as a steward or sit as a juror)."""
    return facts.active is not None and facts.active.pk not in facts.party_ids


@_on_case
def is_juror(case: Case, facts: CaseFacts) -> bool:
    """Sitting on the case's undecided jury."""
    return facts.seat() is not None


@_on_case
def is_first_juror(case: Case, facts: CaseFacts) -> bool:
    """Sitting on the case's first jury, undecided (the one that rules on interim measures and
    on anonymity)."""
    return facts.seat(Round.FIRST) is not None


@_on_case
def has_not_voted(case: Case, facts: CaseFacts) -> bool:
    seat = facts.seat()
    return seat is not None and seat.voted_at is None


@_on_case
def has_not_voted_on_anonymity(case: Case, facts: CaseFacts) -> bool:
    seat = facts.seat(Round.FIRST)
    return seat is not None and seat.grants_anonymity is None


@_on_case
def has_declared_no_conflict(case: Case, facts: CaseFacts) -> bool:
    return not facts.conflict_declared


@_on_case
def may_yet_be_drawn(case: Case, facts: CaseFacts) -> bool:
    """No party, on no jury of the case yet, and a jury (or an appeal jury) may still be drawn:
    where declaring a conflict changes who is drawn."""
    return (
        facts.active is not None
        and facts.active.pk not in facts.party_ids
        and case.phase in (Phase.DEFENCE, Phase.DELIBERATION, Phase.DECIDED)
        and facts.seat() is None
    )


@_on_case
def may_read_room(case: Case, facts: CaseFacts) -> bool:
    """The jurors of the sitting jury; everyone once it decided, unless it kept its room private."""
    jury = facts.jury
    if jury is None:
        return False
    return facts.seat() is not None or bool(jury.decided_at and not jury.room_private)


@_on_case
def reporter_shown(case: Case, facts: CaseFacts) -> bool:
    return not case.reporter_hidden


@_on_case
def accused_shown(case: Case, facts: CaseFacts) -> bool:
    """The accused is named in public (not known only by the pseudonym of the content)."""
    return not case.accused_hidden


@_on_case
def is_not_hidden_accused(case: Case, facts: CaseFacts) -> bool:
    """Not the accused of a case that names them only by a pseudonym (a declaration of theirs
    on the record would name them)."""
    member = facts.membership
    return not case.accused_hidden or member is None or member.pk != case.accused_id


# where the case stands


@_on_case
def is_open_to_dismissal(case: Case, facts: CaseFacts) -> bool:
    return case.phase == Phase.DEFENCE and not facts.juries


@_on_case
def is_dismissed(case: Case, facts: CaseFacts) -> bool:
    return case.phase == Phase.DISMISSED


@_on_case
def is_in_defence(case: Case, facts: CaseFacts) -> bool:
    """The defence period runs (the jury has not the case yet)."""
    return case.phase == Phase.DEFENCE and case.defence_closed_at is None


@_on_case
def takes_a_defence(case: Case, facts: CaseFacts) -> bool:
    """The defence period has not closed; a dismissed case still takes a defence (its reporter
    may yet ask for a jury)."""
    return case.phase in (Phase.DEFENCE, Phase.DISMISSED) and case.defence_closed_at is None


@_on_case
def defence_not_extended(case: Case, facts: CaseFacts) -> bool:
    return not case.defence_extended


@_on_case
def defence_closed(case: Case, facts: CaseFacts) -> bool:
    return case.defence_closed_at is not None


@_on_case
def is_hideable(case: Case, facts: CaseFacts) -> bool:
    return reportable_of(case.kind).hideable


@_on_case
def content_shown(case: Case, facts: CaseFacts) -> bool:
    """No measure (of this case or another) hides the case's content now."""
    return facts.hidden is None


@_on_case
def interim_awaits_jury(case: Case, facts: CaseFacts) -> bool:
    return facts.interim is not None and facts.interim.confirmed_at is None


@_on_case
def anonymity_decided(case: Case, facts: CaseFacts) -> bool:
    """No request for anonymity waits for the jury's decision."""
    return not (case.anonymity_requested and case.anonymity_granted is None)


@_on_case
def anonymity_pending(case: Case, facts: CaseFacts) -> bool:
    return case.anonymity_requested and case.anonymity_granted is None


@_on_case
def is_decided(case: Case, facts: CaseFacts) -> bool:
    return case.phase == Phase.DECIDED


@_on_case
def appeal_period_runs(case: Case, facts: CaseFacts) -> bool:
    """Now is within the appeal period (the service checks it against its own clock)."""
    deadline = facts.appeal_deadline
    return deadline is not None and timezone.now() <= deadline


# --- permissions on a case ---------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """One condition of a case permission: ``holds``, else refused (``reason`` None: 403) or
    said why (``reason``). An ``offered`` condition is the page's only."""

    holds: rules.Predicate
    reason: str | Promise | None = None
    offered: bool = False


CASE_CONDITIONS: dict[str, tuple[Condition, ...]] = {}


def case_permission(name: str, *conditions: Condition) -> None:
    """Register the permission ``name`` on a case: all its conditions, in this order."""
    CASE_CONDITIONS[name] = conditions
    rules.add_perm(name, functools.reduce(operator.and_, (c.holds for c in conditions)))


def case_refusal(
    user: Any, case: Case, permission: str, *, who_only: bool = False
) -> Condition | None:
    """The first condition of ``permission`` the services check that does not hold for the
    user in the case; None when they may. ``who_only``: only the conditions about who the person
    is (403), those before the first about where the case stands (with a ``reason``)."""
    for condition in CASE_CONDITIONS[permission]:
        if condition.offered:
            continue
        if who_only and condition.reason is not None:
            return None
        if not condition.holds.test(user, case):
            return condition
    return None


rules.add_perm("tribunal.view_case", can_view_case_organisation | is_accused)
rules.add_perm("tribunal.is_accused", is_accused)  # the page words its notice to them
rules.add_perm("tribunal.is_reporter", is_reporter)  # …and tells a reporter named advocate why
rules.add_perm("tribunal.view_reporter", reporter_shown | is_reporter)
rules.add_perm("tribunal.view_accused", accused_shown | is_accused)
rules.add_perm("tribunal.read_room", may_read_room)

CLOSED = _("The defence period is closed.")

case_permission(
    "tribunal.dismiss",
    Condition(is_case_steward),
    Condition(is_open_to_dismissal, _("Only a report that no jury has yet can be dismissed.")),
    Condition(is_no_party, _("A party cannot dismiss their own case.")),
)
case_permission(
    "tribunal.request_jury",
    Condition(is_case_member),
    Condition(is_reporter),
    Condition(is_dismissed, _("Only a dismissed report can be sent to a jury anyway.")),
)
case_permission(
    "tribunal.take_interim_measure",
    Condition(is_case_steward),
    Condition(is_hideable, _("This kind of case cannot be hidden.")),
    Condition(is_in_defence, _("An interim measure is only taken before the jury decides.")),
    Condition(is_no_party, _("A party cannot take an interim measure in their own case.")),
    Condition(content_shown, _("This content is already hidden.")),
)
case_permission(
    "tribunal.defend_case",
    Condition(is_case_member),
    Condition(is_accused | is_advocate),
    Condition(takes_a_defence, CLOSED),
    Condition(is_accused, offered=True),  # the advocate files through the accused's page
    Condition(is_in_defence, offered=True),
)
case_permission(
    "tribunal.step_down",
    Condition(is_case_member),
    Condition(is_named_advocate),
    Condition(takes_a_defence, CLOSED),
)
case_permission(
    "tribunal.extend_defence",
    Condition(is_case_member),
    Condition(is_accused),
    Condition(is_in_defence, CLOSED),
    Condition(defence_not_extended, _("The defence period has already been extended once.")),
)
case_permission(
    "tribunal.declare_conflict",
    Condition(is_case_member),
    Condition(may_post_in_case_organisation),  # its reason is said on the record
    Condition(is_not_hidden_accused),
    Condition(has_declared_no_conflict, _("You have already declared a conflict in this case.")),
    Condition(may_yet_be_drawn, offered=True),
)
case_permission(
    "tribunal.recuse",
    Condition(is_case_member),
    Condition(is_juror),
    Condition(has_not_voted, _("You have already voted.")),
)
case_permission(
    "tribunal.post_in_room",
    Condition(is_case_member),
    Condition(is_juror),
)
case_permission(
    "tribunal.confirm_interim_measure",
    Condition(is_case_member),
    Condition(is_first_juror),
    Condition(interim_awaits_jury, _("There is no interim measure awaiting the jury.")),
)
case_permission(
    "tribunal.decide_anonymity",
    Condition(is_case_member),
    Condition(is_first_juror),
    Condition(anonymity_pending, _("There is no request for anonymity to decide.")),
    Condition(has_not_voted_on_anonymity, offered=True),  # a juror may still change their vote
)
case_permission(
    "tribunal.vote_in_jury",
    Condition(is_case_member),
    Condition(is_juror),
    Condition(defence_closed, _("The jury votes only once the defence period has closed.")),
    Condition(anonymity_decided, _("Decide first on the reporter's request for anonymity.")),
    Condition(has_not_voted, offered=True),  # the service says so after checking the vote
)
case_permission(
    "tribunal.appeal",
    Condition(is_accused | is_reporter),  # whatever their membership: an expulsion is appealed
    Condition(is_decided, _("Only a decided case can be appealed, once.")),
    Condition(appeal_period_runs, offered=True),  # the service checks it at its own time
)
