"""A person's own profile."""

from __future__ import annotations

from django.db import transaction

from parrhesia.accounts.models import User


def profile_update(*, user: User, display_name: str) -> User:
    with transaction.atomic():
        user.display_name = display_name
        user.save(update_fields=["display_name"])
    return user
