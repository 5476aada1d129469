"""Answering blocks: a motion's authors answer in writing every member who blocked it (a block
counts against). Where the choices are shown while the vote runs, before the close (and no early
close comes before the answer); where they are hidden (a secret ballot, or results hidden until
the close), after the close, since nothing may show a block before it (docs/privacy.md)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.decisions.actions import Action
from parrhesia.decisions.models import Ballot
from parrhesia.decisions.selectors import (
    ballot_has_blocks,
    ballot_takes_votes,
    minority_window_open,
)
from parrhesia.decisions.services._shared import BallotError, ballot_locked
from parrhesia.kernel.access import member_for
from parrhesia.methods.record.sealed import Sealed
from parrhesia.record.services import record_append


def ballot_block_answer(
    *, user: User, ballot: Ballot, text: str, now: datetime | None = None
) -> Ballot:
    """The motion's authors answer the blocks in writing; the answer is shown with the result.

    Choices shown: only while the vote runs (past its closing time the ballot is closed for
    answers too, even before the close task or ``parrhesia due`` has made the count). Choices
    hidden: only after the close, while minority reports may be filed, and only if members
    blocked."""
    now = now or timezone.now()
    text = text.strip()
    if not text:
        raise BallotError(_("Write the answer to the block."))
    with transaction.atomic():
        member = member_for(user, ballot, "decisions.answer_block")
        ballot = ballot_locked(ballot)
        if ballot.hides_results:
            _check_after_close(ballot, now)
        elif not ballot_takes_votes(ballot, now):
            raise BallotError(_("This vote has closed; answers are given before the close."))
        ballot.block_answer, ballot.block_answered_by = text, member
        ballot.save(update_fields=["block_answer", "block_answered_by"])
        record_append(
            organisation=ballot.organisation,
            actor=member,
            action=Action.BALLOT_BLOCK_ANSWERED,
            subject=("ballot", ballot.pk),
            payload={"text": Sealed(text)},
        )
    return ballot


def _check_after_close(ballot: Ballot, now: datetime) -> None:
    """A vote whose choices are hidden: its refusals before the close say nothing of blocks."""
    if ballot.is_open:
        raise BallotError(
            _("The choices of this vote are hidden: blocks are answered after the close.")
        )
    if not ballot_has_blocks(ballot):
        raise BallotError(_("No one blocked this motion."))
    if not minority_window_open(ballot, now):
        raise BallotError(_("The time to answer the blocks has run out."))
