"""Who may do what with ballots (rules predicates).

On the organisation: who sees the ballots, opens one (stewards, with every setting), starts a
quick proposal or poll (every member, or stewards only, as the decision policy says), changes
the defaults.

On a ballot, two kinds of permission:

- ``decisions.<action>``: *who* may act on it (a member of its organisation, a steward, one of
  its authors). Services ask it through ``kernel.access.member_for(user, ballot, …)``; a
  refusal is a 403, as is a view asked by someone without it.
- ``decisions.<action>_now``: whether the ballot lets them do it *now* (it takes votes, it may
  be closed, they were on the losing side and the time for minority reports runs). Pages ask
  it (``has_perm``) to offer a form or a button. Services check the same conditions one by
  one, with the time they are given, so that each refusal says why (a ``BallotError``): each
  condition is defined once, in ``selectors``.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from parrhesia.decisions import selectors
from parrhesia.decisions.models import Ballot
from parrhesia.kernel.access import active_membership
from parrhesia.orgs.models import Membership, Organisation
from parrhesia.orgs.rules import can_view, is_admin, is_member, is_steward
from parrhesia.tribunal.rules import can_post


def _member(user: Any, ballot: Ballot | None) -> Membership | None:
    return None if ballot is None else active_membership(user, ballot.organisation)


@rules.predicate
def is_ballot_member(user: Any, ballot: Ballot | None) -> bool:
    """A member of the ballot's organisation."""
    return ballot is not None and is_member(user, ballot.organisation)


@rules.predicate
def may_post_on_ballot(user: Any, ballot: Ballot | None) -> bool:
    """A member of the ballot's organisation whom no verdict suspends from posting."""
    return ballot is not None and bool(can_post.test(user, ballot.organisation))


@rules.predicate
def is_ballot_steward(user: Any, ballot: Ballot | None) -> bool:
    """A steward (or an admin) of the ballot's organisation."""
    return ballot is not None and is_steward(user, ballot.organisation)


@rules.predicate
def policy_lets_members_start(user: Any, organisation: Organisation | None) -> bool:
    """The decision policy lets every member start quick proposals and polls (the default)."""
    return organisation is not None and selectors.quick_open_to_members(organisation)


# Starting one speaks (a title, a text): a member whom no verdict suspends from posting.
may_start_quick = can_post & (policy_lets_members_start | is_steward)


@rules.predicate
def is_ballot_author(user: Any, ballot: Ballot | None) -> bool:
    return ballot is not None and selectors.is_author(ballot, _member(user, ballot))


@rules.predicate
def is_elector(user: Any, ballot: Ballot | None) -> bool:
    return ballot is not None and selectors.in_electorate(ballot, _member(user, ballot))


@rules.predicate
def is_dissenter(user: Any, ballot: Ballot | None) -> bool:
    return ballot is not None and selectors.minority_eligible(ballot, _member(user, ballot))


@rules.predicate
def takes_votes(user: Any, ballot: Ballot | None) -> bool:
    """The voting window: open and before its closing time (blocks are answered in it too)."""
    return ballot is not None and selectors.ballot_takes_votes(ballot, timezone.now())


@rules.predicate
def answers_blocks(user: Any, ballot: Ballot | None) -> bool:
    """Blocks are answered while the vote runs, or after the close where choices were hidden."""
    return ballot is not None and selectors.block_answerable(ballot, timezone.now())


@rules.predicate
def is_closable(user: Any, ballot: Ballot | None) -> bool:
    return ballot is not None and selectors.ballot_closable(ballot, timezone.now())


@rules.predicate
def dissent_open(user: Any, ballot: Ballot | None) -> bool:
    return ballot is not None and selectors.minority_window_open(ballot, timezone.now())


@rules.predicate
def delegation_on(user: Any, organisation: Organisation | None) -> bool:
    """The decision policy lets members delegate their vote by topic (off by default)."""
    return organisation is not None and selectors.policy_of(organisation).delegation_enabled


@rules.predicate
def gives_no_proxy_yet(user: Any, ballot: Ballot | None) -> bool:
    """The member has not voted in the ballot nor given their vote in it to someone."""
    member = _member(user, ballot)
    return (
        ballot is not None
        and member is not None
        and not selectors.has_voted(ballot, member)
        and not selectors.has_given_proxy(ballot, member)
    )


# on the organisation
rules.add_perm("decisions.view_ballots", can_view)
rules.add_perm("decisions.open_ballot", is_steward)
rules.add_perm("decisions.start_quick_ballot", may_start_quick)
rules.add_perm("decisions.change_policy", is_admin)
# proxies, topic delegation and mandates (docs/voting.md, "Proxies, delegation and mandates")
rules.add_perm("decisions.view_delegations", can_view)
rules.add_perm("decisions.manage_own_delegations", is_member)
rules.add_perm("decisions.delegate", is_member & delegation_on)
rules.add_perm("decisions.change_mandates", is_admin)
# on a ballot: who may
rules.add_perm("decisions.vote", is_ballot_member)
rules.add_perm("decisions.answer_block", is_ballot_author)
rules.add_perm("decisions.close_ballot_early", is_ballot_steward)
# a minority report speaks; co-signing one is like supporting (a suspension allows it)
rules.add_perm("decisions.file_minority_report", may_post_on_ballot)
rules.add_perm("decisions.cosign_minority_report", is_ballot_member)
# on a ballot: whether it lets them now
rules.add_perm("decisions.vote_now", is_ballot_member & is_elector & takes_votes)
rules.add_perm(
    "decisions.give_proxy_now", is_ballot_member & is_elector & takes_votes & gives_no_proxy_yet
)
rules.add_perm("decisions.answer_block_now", is_ballot_author & answers_blocks)
rules.add_perm("decisions.close_ballot_early_now", is_ballot_steward & is_closable)
rules.add_perm(
    "decisions.file_minority_report_now",
    is_ballot_member & dissent_open & is_dissenter & may_post_on_ballot,
)
