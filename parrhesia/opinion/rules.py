"""Who may do what in a conversation (rules predicates), on the organisation and on the object.

Reading follows the organisation (members; everyone for a public-read one). Any member may open a
conversation, add statements and vote: opening one is no privilege in a member-run organisation.
Stewards mark statements (always with a reason) and close conversations; hiding is the tribunal's.

Each permission is asked of the organisation, of a conversation or of a statement. On the
organisation it is the role alone (what a page of the organisation may offer); on a conversation
or one of its statements, adding, voting and closing also need the conversation open (the phase:
``is_open``). Services ask the same permissions through ``kernel.access.member_for``; pages ask
them through ``has_perm``.
"""

from __future__ import annotations

from typing import Any

import rules

from parrhesia.kernel.access import organisation_of
from parrhesia.opinion.models import Conversation, Statement
from parrhesia.orgs.rules import can_view, is_admin, is_member, is_steward
from parrhesia.tribunal.rules import can_post


def conversation_of(obj: Any) -> Conversation | None:
    """The conversation ``obj`` is or belongs to; None for the organisation (or nothing)."""
    if isinstance(obj, Conversation):
        return obj
    if isinstance(obj, Statement):
        return obj.conversation
    return None


def _of_organisation(predicate: rules.Predicate) -> rules.Predicate:
    """``predicate`` (asked of an organisation) asked of the organisation ``obj`` belongs to."""

    def lifted(user: Any, obj: Any) -> bool:
        return bool(predicate.test(user, None if obj is None else organisation_of(obj)))

    return rules.predicate(lifted, name=f"{predicate.name}_of_organisation")


@rules.predicate
def is_open(user: Any, obj: Any) -> bool:
    """The conversation (of a statement) is not closed; always true of the organisation."""
    conversation = conversation_of(obj)
    return conversation is None or conversation.is_open


rules.add_perm("opinion.view_conversation", _of_organisation(can_view))
rules.add_perm("opinion.open_conversation", _of_organisation(can_post))
rules.add_perm("opinion.add_statement", _of_organisation(can_post) & is_open)
rules.add_perm("opinion.vote", _of_organisation(is_member) & is_open)
rules.add_perm("opinion.mark_statement", _of_organisation(is_steward))
# Named votes are the organisation's choice, not the opener's: only an admin opens one so.
rules.add_perm("opinion.choose_named_votes", _of_organisation(is_admin))
rules.add_perm("opinion.close_conversation", _of_organisation(is_steward) & is_open)
