"""What the organisation writes on its public record: the actions and how their facts read.

The strings are the record's format (docs/record.md): an entry once written keeps its action
forever, so a name here never changes; a new kind of event gets a new name.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from parrhesia.methods.record.sealed import Sealed

if TYPE_CHECKING:
    from parrhesia.accounts.models import User
    from parrhesia.orgs.models import Membership, Organisation


class Action(StrEnum):
    ORGANISATION_CREATED = "organisation.created"
    ORGANISATION_SETTINGS_CHANGED = "organisation.settings_changed"
    CONDUCT_CODE_ADOPTED = "conduct_code.adopted"
    CONDUCT_CODE_AMENDED = "conduct_code.amended"
    INVITATION_CREATED = "invitation.created"
    INVITATION_REVOKED = "invitation.revoked"
    MEMBERSHIP_FOUNDED = "membership.founded"
    MEMBERSHIP_JOINED = "membership.joined"
    MEMBERSHIP_JOIN_REQUESTED = "membership.join_requested"
    MEMBERSHIP_JOIN_REQUEST_WITHDRAWN = "membership.join_request_withdrawn"
    MEMBERSHIP_JOIN_REQUEST_ACCEPTED = "membership.join_request_accepted"
    MEMBERSHIP_JOIN_REQUEST_REFUSED = "membership.join_request_refused"
    MEMBERSHIP_LEFT = "membership.left"
    MEMBERSHIP_ROLE_CHANGED = "membership.role_changed"


def member_facts(membership: Membership, **extra: Any) -> dict[str, Any]:
    """Who a membership entry is about: the member id the record names, their public name (only
    if the organisation shows its member list to visitors: the record is read by everyone who
    may read the organisation, and its entries never change) and role, then ``extra`` (which may
    restate the role, e.g. the one held before leaving). The name is sealed (personal data: an
    erasure can take it out of the record)."""
    named = membership.organisation.member_list_public
    return {
        "member": membership.pk,
        **({"display_name": Sealed(membership.user.public_name)} if named else {}),
        "role": membership.role,
        **extra,
    }


def requester_facts(user: User, organisation: Organisation, **extra: Any) -> dict[str, Any]:
    """Who a join request entry is about: the requester is no member yet, so only their name,
    and only if the organisation shows its member list to visitors (a requester accepted joins
    it); otherwise the entry says that a request exists, and the stewards' page says whose.
    The name is sealed, as in :func:`member_facts`."""
    named = organisation.member_list_public
    return {**({"requester": Sealed(user.public_name)} if named else {}), **extra}
