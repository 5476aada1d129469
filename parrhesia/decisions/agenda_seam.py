"""What decisions ask of the agenda: whether an item may go to the vote and its final motions,
moving it to voting, deciding it when its ballot closes; and the notices of a ballot, which the
digest files under the item it came from.

Decisions knows the agenda; the agenda never imports decisions (it links ballots by URL name).
The ballot services call this seam (opening an item's ballot, closing one, filing a minority
report); the seam calls no service of decisions, so the two import each other in one direction
only.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.agenda import selectors as agenda_reads
from parrhesia.agenda import services as agenda
from parrhesia.agenda.models import CLOSED_PHASES, AgendaItem, Motion, Phase
from parrhesia.decisions.models import Ballot, MinorityReport
from parrhesia.notifications.services import notify
from parrhesia.orgs.models import Membership, MembershipStatus, Organisation


def decision_ref_of(ballot: Ballot) -> str:
    return f"ballot:{ballot.pk}"


def agenda_item_of(organisation: Organisation, item_id: int) -> AgendaItem | None:
    return AgendaItem.objects.filter(pk=item_id, organisation=organisation).first()


def agenda_item_takes_quick_ballots(organisation: Organisation, item: AgendaItem) -> bool:
    """Whether a quick proposal or poll may be held inside the item: one of the organisation's,
    not yet decided, lapsed or withdrawn."""
    return item.organisation_id == organisation.pk and item.phase not in CLOSED_PHASES


def agenda_item_ready(item: AgendaItem) -> bool:
    """Whether the item's texts are final, so that it may go to the vote."""
    return item.phase == Phase.READY


def motions_on_ballot(item: AgendaItem) -> list[Motion]:
    """The item's final motions, which go to the vote in filing order."""
    return agenda_reads.motions_on_ballot(item)


def agenda_item_voting_start(item: AgendaItem, ballot: Ballot) -> None:
    """The item moves to voting on ``ballot`` (in the opening transaction)."""
    agenda.agenda_item_voting_start(item=item, decision_ref=decision_ref_of(ballot))


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
