"""What decisions write on the public record: the actions, by name.

The strings are the record's format (docs/record.md, docs/voting.md "On the record"): an entry
once written keeps its action forever, and ``parrhesia decisions recount`` reads exports by
these names, so a name here never changes; a new kind of event gets a new name. Pure Python (no
Django): the recount imports it.

No payload is built in more than one place: the one shared, ``ballot.opened``'s, is the ballot's
facts (``selectors.ballot_facts``), which the count and the ballot's document read too.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    POLICY_CHANGED = "decision_policy.changed"
    BALLOT_OPENED = "ballot.opened"
    # an open ballot's vote: its choices and reason (``{"hidden": true}`` while results are hidden)
    BALLOT_VOTED = "ballot.voted"
    # a secret ballot's participation: who voted, never how
    BALLOT_PARTICIPATED = "ballot.participated"
    BALLOT_BLOCK_ANSWERED = "ballot.block_answered"
    BALLOT_CLOSED = "ballot.closed"
    MINORITY_REPORT_FILED = "minority_report.filed"
    MINORITY_REPORT_COSIGNED = "minority_report.cosigned"
    # proxies (docs/voting.md, "Proxies, delegation and mandates"), subject the ballot
    PROXY_GIVEN = "proxy.given"
    PROXY_REVOKED = "proxy.revoked"
    # the giver voted themselves before their proxy did
    PROXY_CANCELLED = "proxy.cancelled"
    # topic delegation, subject the delegator's membership
    DELEGATION_GIVEN = "delegation.given"
    DELEGATION_REVOKED = "delegation.revoked"
    DELEGATION_RENEWED = "delegation.renewed"
    # at a ballot's close: the weight a delegate could not carry went back to its delegators
    DELEGATION_CAPPED = "delegation.capped"
    DELEGATION_POLICY_CHANGED = "delegation_policy.changed"
    # a membership's voting weight (mandates), subject the membership
    MANDATE_CHANGED = "mandate.changed"
