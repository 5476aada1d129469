"""Where deliberation ends in a ballot: an agenda item ready for vote goes to a ranked vote over
its frozen motions plus the status quo, and the count decides the item.

Decisions knows the agenda; the agenda never imports decisions (it links ballots by URL name).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.agenda import services as agenda
from parrhesia.agenda.models import AgendaItem, Phase
from parrhesia.decisions.models import Ballot, Method, MinorityReport, Secrecy
from parrhesia.decisions.services import BallotError, ballot_open_for_motions
from parrhesia.notifications.services import notify
from parrhesia.orgs.models import Membership, MembershipStatus


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
    item = _item_of(ballot)
    if item is None or item.phase != Phase.VOTING:
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


# --- notifications (and so the members' digests) ---------------------------------------------


def _electorate_users(ballot: Ballot, exclude: Membership | None = None) -> list[User]:
    members = Membership.objects.filter(
        pk__in=ballot.electorate, status=MembershipStatus.ACTIVE
    ).select_related("user")
    if exclude is not None:
        members = members.exclude(pk=exclude.pk)
    return [m.user for m in members]


def _ballot_url(ballot: Ballot) -> str:
    return reverse(
        "decisions:detail", kwargs={"slug": ballot.organisation.slug, "ballot_id": ballot.pk}
    )


def _item_of(ballot: Ballot) -> AgendaItem | None:
    return AgendaItem.objects.filter(
        organisation=ballot.organisation, decision_ref=decision_ref_of(ballot)
    ).first()


def ballot_closed_notify(ballot: Ballot, item: AgendaItem | None) -> int:
    """Tell the electorate the result is out (in the closing transaction); ``item``: the agenda
    item the ballot decided, if any."""
    return notify(
        _electorate_users(ballot),
        organisation=ballot.organisation,
        topic=item.title if item else "",
        kind="ballot_closed",
        params={"ballot": ballot.title},
        url=_ballot_url(ballot),
    )


def minority_report_notify(report: MinorityReport) -> int:
    """Tell the electorate a minority report now stands beside the result: it reaches everyone
    who voted, in the app and in their digest, not only those who open the ballot again."""
    ballot = report.ballot
    item = _item_of(ballot)
    return notify(
        _electorate_users(ballot, exclude=report.author),
        organisation=ballot.organisation,
        topic=item.title if item else "",
        kind="minority_report",
        params={"ballot": ballot.title, "title": report.title},
        url=f"{_ballot_url(ballot)}#report-{report.pk}",
    )
