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
