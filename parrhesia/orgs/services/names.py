"""A member's display name, unique in every organisation they belong to.

Names are compared as ``accounts.names.display_name_key`` does (NFKC, case-folded, invisible
characters gone), so nobody can take another member's name, or one that only looks the same,
in an organisation they share. A person's own name is theirs, not an organisation's: changing it
writes no record entry (entries keep the name the member had when they acted).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.accounts.names import display_name_clean
from parrhesia.accounts.services import profile_update
from parrhesia.orgs.models import MembershipStatus, Organisation
from parrhesia.orgs.services._shared import MembershipError, display_name_taken


def display_name_change(*, user: User, display_name: str) -> User:
    name = display_name_clean(display_name)
    if not name:
        raise MembershipError(_("Please give a display name."))
    with transaction.atomic():
        organisations = Organisation.objects.filter(
            memberships__user=user, memberships__status=MembershipStatus.ACTIVE
        )
        if display_name_taken(name, organisations=organisations, besides=user):
            raise MembershipError(
                _(
                    "Another member of an organisation you belong to already goes by this "
                    "name. Please choose another."
                )
            )
        return profile_update(user=user, display_name=name)
