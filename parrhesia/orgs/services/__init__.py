"""Every write on organisations and membership: one keyword-only function per action.

Each runs in one transaction, checks permission (``kernel.access.member_for``, or the user's
own permission where the actor is no member yet: founding, asking to join, withdrawing that
request), and appends its entry to the organisation's public record in that same transaction.

One module per part: ``organisations`` (founding, settings), ``conduct`` (the code of
conduct), ``memberships`` (leaving, roles), ``names`` (display names), ``joining``
(invitations and join requests); ``_shared`` holds what they share. Callers use this
package: ``from parrhesia.orgs import services``. Reads are in ``orgs.selectors``.
"""

from parrhesia.orgs.services._shared import EXPELLED_MESSAGE, MembershipError
from parrhesia.orgs.services.conduct import conduct_code_amend
from parrhesia.orgs.services.erasure import erasable_kind, record_entry_erase
from parrhesia.orgs.services.joining import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    join_request_accept,
    join_request_create,
    join_request_refuse,
    join_request_withdraw,
)
from parrhesia.orgs.services.memberships import membership_leave, membership_role_change
from parrhesia.orgs.services.names import display_name_change
from parrhesia.orgs.services.organisations import (
    DEFAULT_CONDUCT_RULES,
    organisation_create,
    organisation_update,
)

__all__ = [
    "DEFAULT_CONDUCT_RULES",
    "EXPELLED_MESSAGE",
    "MembershipError",
    "conduct_code_amend",
    "display_name_change",
    "erasable_kind",
    "invitation_accept",
    "invitation_create",
    "invitation_revoke",
    "join_request_accept",
    "join_request_create",
    "join_request_refuse",
    "join_request_withdraw",
    "membership_leave",
    "membership_role_change",
    "organisation_create",
    "organisation_update",
    "record_entry_erase",
]
