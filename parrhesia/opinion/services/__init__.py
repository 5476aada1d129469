"""Every write on conversations: one function per action.

Each runs in one transaction, checks permission (``kernel.access.member_for`` on the rules of
rules.py), and appends its entry to the organisation's public record in that same transaction.
Votes are actions too, so each is on the record. Lock order, to keep writers from deadlocking: a
member's own participant and vote rows, the conversation row, the statement row, then the
record's head.

- ``conversations``: opening and closing a conversation;
- ``statements``: adding a statement, voting on it, a steward's mark;
- ``imports``: a conversation from a Polis export, and the counters a bulk write sets;
- ``_shared``: the errors, the conversation's lock, participant rows, a statement's creation.
"""

from parrhesia.opinion.services._shared import ConversationClosed, OpinionError
from parrhesia.opinion.services.conversations import conversation_close, conversation_open
from parrhesia.opinion.services.imports import conversation_import, statements_count
from parrhesia.opinion.services.statements import statement_add, statement_mark, statement_vote

__all__ = [
    "ConversationClosed",
    "OpinionError",
    "conversation_close",
    "conversation_import",
    "conversation_open",
    "statement_add",
    "statement_mark",
    "statement_vote",
    "statements_count",
]
