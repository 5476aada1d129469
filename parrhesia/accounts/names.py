"""Display names: what is kept of what a person types, and when two names are the same.

A name is what other members go by when they read who wrote, objected or voted, so it must not
be able to pass for someone else's. Invisible characters go at input: format characters
(Unicode category Cf: the bidirectional controls U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
U+061C that can reverse how a name reads, zero-width spaces and joiners, the byte-order mark…)
and control characters. Two names are the same when they are equal after NFKC normalisation
and case folding ("ALICE", "alice" and "ａｌｉｃｅ" are one name); orgs.services refuses a name that
is the same as another member's in an organisation they share.
"""

from __future__ import annotations

import unicodedata

INVISIBLE_CATEGORIES = {"Cf", "Cc", "Zl", "Zp"}


def display_name_clean(name: str) -> str:
    """The name without invisible characters, its runs of spaces made one, trimmed."""
    visible = "".join(
        " " if character.isspace() else character
        for character in name
        if character.isspace() or unicodedata.category(character) not in INVISIBLE_CATEGORIES
    )
    return " ".join(visible.split())


def display_name_key(name: str) -> str:
    """What two names must share to be the same name (NFKC, case-folded, cleaned)."""
    folded = unicodedata.normalize("NFKC", display_name_clean(name)).casefold()
    return " ".join(unicodedata.normalize("NFKC", folded).split())
