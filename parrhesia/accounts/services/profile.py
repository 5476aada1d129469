"""A person's own profile."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.kernel.errors import DomainError


class ProfileError(DomainError):
    """A change to one's profile that cannot be made."""


def profile_update(*, user: User, display_name: str) -> User:
    # A name is what others read beside everything one says: a member suspended from posting
    # (the tribunal grants this permission) keeps the name they had until the suspension ends.
    if not user.has_perm("accounts.change_display_name"):
        raise ProfileError(_("You cannot change your display name while you are suspended."))
    with transaction.atomic():
        user.display_name = display_name
        user.save(update_fields=["display_name"])
    return user


def display_name_numbered(*, user: User, number: int) -> User:
    """Give a newcomer whose name another member of the organisation they join goes by their
    name with their member number ("Carol Member (17)"): joining never depends on other members'
    names (``orgs.services.membership_admit``). Not the person's choice, so it is made even
    while they are suspended; they may choose another name in their profile."""
    suffix = f" ({number})"
    limit = User._meta.get_field("display_name").max_length - len(suffix)
    with transaction.atomic():
        user.display_name = user.public_name[:limit].rstrip() + suffix
        user.save(update_fields=["display_name"])
    return user
