"""Where deliberation ends in a ballot: an agenda item ready for vote goes to a ranked vote over
its frozen motions plus the status quo, and the count decides the item.

Decisions knows the agenda; the agenda never imports decisions (it links ballots by URL name).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.agenda import services as agenda
from parrhesia.agenda.models import AgendaItem, Phase
from parrhesia.decisions.models import Ballot, Method, Secrecy
from parrhesia.decisions.services import BallotError, ballot_open_for_motions


def decision_ref_of(ballot: Ballot) -> str:
    return f"ballot:{ballot.pk}"


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
    if item.phase != Phase.READY:
        raise BallotError(
            _("Only an item whose texts are final (ready for vote) can go to the vote.")
        )
    motions = agenda.motions_on_ballot(item)
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
        )
        agenda.agenda_item_voting_start(item=item, decision_ref=decision_ref_of(ballot))
    return ballot


def agenda_item_conclude(ballot: Ballot) -> AgendaItem | None:
    """Decide the agenda item whose ballot just closed (in the closing transaction)."""
    item = AgendaItem.objects.filter(
        organisation=ballot.organisation, decision_ref=decision_ref_of(ballot), phase=Phase.VOTING
    ).first()
    if item is None:
        return None
    result = ballot.result or {}
    outcome = result.get("outcome")
    if outcome == "adopted" and result.get("winners"):
        text = _("Adopted by the vote: %(motion)s.") % {"motion": result["winners"][0]}
    elif outcome == "no_quorum":
        text = _("The vote did not reach its quorum: nothing was decided, things stay as they are.")
    else:
        text = _("The vote kept the status quo: no motion beat it.")
    return agenda.agenda_item_decide(item=item, outcome=text, decision_ref=decision_ref_of(ballot))
