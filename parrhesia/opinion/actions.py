"""What conversations put on the organisation's public record: the catalogue of actions.

The strings are the record's format (each entry is hashed into the log): a new action gets a new
name, an existing one never changes.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    CONVERSATION_OPENED = "conversation.opened"
    CONVERSATION_CLOSED = "conversation.closed"
    CONVERSATION_IMPORTED = "conversation.imported"  # one entry for a whole Polis import
    STATEMENT_ADDED = "statement.added"
    STATEMENT_VOTED = "statement.voted"
    STATEMENT_VOTE_CHANGED = "statement.vote_changed"
    STATEMENT_MARKED = "statement.marked"  # or its mark cleared (payload "mark": null)
