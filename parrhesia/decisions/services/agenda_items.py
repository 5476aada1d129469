"""Where deliberation ends in a ballot: an agenda item ready for vote goes to a ranked vote
over its final motions plus the status quo (the count decides the item: ``closing``)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.agenda.models import AgendaItem
from parrhesia.decisions.agenda_seam import (
    agenda_item_ready,
    agenda_item_voting_start,
    motions_on_ballot,
)
from parrhesia.decisions.models import Ballot, Method, Secrecy
from parrhesia.decisions.services._shared import BallotError
from parrhesia.decisions.services.opening import ballot_open_for_motions


def ballot_open_for_agenda_item(
    *,
    user: User,
    item: AgendaItem,
    closes_at: datetime,
    method: str = Method.SCHULZE,
    secrecy: str = Secrecy.OPEN,
    early_close_allowed: bool = False,
) -> Ballot:
    """Put the item's frozen motions and the status quo to the vote; the item moves to voting."""
    if not agenda_item_ready(item):
        raise BallotError(
            _("Only an item whose texts are final (ready for vote) can go to the vote.")
        )
    motions = motions_on_ballot(item)
    if not motions:
        raise BallotError(_("This item has no motion left to vote on."))
    with transaction.atomic():
        ballot = ballot_open_for_motions(
            user=user,
            organisation=item.organisation,
            title=item.title,
            options=[(motion.title, "motion", str(motion.pk)) for motion in motions],
            status_quo_label=_("None of these: keep things as they are"),
            closes_at=closes_at,
            method=method,
            secrecy=secrecy,
            early_close_allowed=early_close_allowed,
            area=item.item_type,
        )
        agenda_item_voting_start(item, ballot)
    return ballot
