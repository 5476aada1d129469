"""Writes on accounts. Account changes belong to the person, not to an organisation's record:
nothing here writes a record entry, so the app has no ``actions``.

Callers use this package: ``from parrhesia.accounts import services`` (or its names).
"""

from parrhesia.accounts.services.profile import display_name_numbered, profile_update

__all__ = ["display_name_numbered", "profile_update"]
