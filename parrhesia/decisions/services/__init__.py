"""Every write on ballots: one keyword-only function per action.

Each runs in one transaction, checks permission (``kernel.access.member_for`` with the ballot's
rules, then the ballot's state, each refusal a ``BallotError`` saying why), and appends its
entry to the organisation's public record in that same transaction; a vote is acknowledged
only once both have committed. What goes on the record (and why recounting from it works) is
in docs/voting.md.

One module per part: ``policy`` (the organisation's defaults), ``opening`` (quick proposals and
polls too), ``agenda_items``
(an agenda item's ballot), ``voting`` (votes, receipts), ``blocks`` (the authors' answer),
``closing`` (the count), ``running`` (the running count of an open
ballot), ``minority`` (minority reports), ``proxies`` (a vote given to another member for one
ballot), ``delegations`` (topic delegation, its rules, mandates), ``leavers`` (what ends with a
membership); ``_shared`` holds what they
share.
Callers use this package: ``from parrhesia.decisions import services``. Reads are in
``decisions.selectors``.
"""

from parrhesia.decisions.services._shared import BallotError, too_many_options
from parrhesia.decisions.services.agenda_items import ballot_open_for_agenda_item
from parrhesia.decisions.services.blocks import ballot_block_answer
from parrhesia.decisions.services.closing import (
    ballot_close,
    ballot_close_if_due,
    ballots_close_due,
)
from parrhesia.decisions.services.delegations import (
    delegation_give,
    delegation_policy_change,
    delegation_renew,
    delegation_revoke,
    delegations_expired_reweigh,
    delegations_remind,
    mandate_set,
)
from parrhesia.decisions.services.minority import minority_report_cosign, minority_report_file
from parrhesia.decisions.services.opening import (
    ballot_open,
    ballot_open_for_motions,
    ballot_open_quick,
)
from parrhesia.decisions.services.policy import policy_change
from parrhesia.decisions.services.proxies import proxy_give, proxy_revoke
from parrhesia.decisions.services.running import (
    running_count_refresh,
    running_count_touch,
    running_counts_refresh_due,
)
from parrhesia.decisions.services.voting import (
    CHOICE_MESSAGES,
    VoteOutcome,
    ballot_vote,
    tracker_of,
)

__all__ = [
    "CHOICE_MESSAGES",
    "BallotError",
    "VoteOutcome",
    "ballot_block_answer",
    "ballot_close",
    "ballot_close_if_due",
    "ballot_open",
    "ballot_open_for_agenda_item",
    "ballot_open_for_motions",
    "ballot_open_quick",
    "ballot_vote",
    "ballots_close_due",
    "delegation_give",
    "delegation_policy_change",
    "delegation_renew",
    "delegation_revoke",
    "delegations_expired_reweigh",
    "delegations_remind",
    "mandate_set",
    "minority_report_cosign",
    "minority_report_file",
    "policy_change",
    "proxy_give",
    "proxy_revoke",
    "running_count_refresh",
    "running_count_touch",
    "running_counts_refresh_due",
    "too_many_options",
    "tracker_of",
]
