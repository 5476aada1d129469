"""The decisions' notices to an item's followers and voters: a ballot one may vote in opens,
a reminder a day before it closes to whoever has not voted, its result.

A secret ballot's notices say no more than an open one's before the close: the same wording,
its title and closing time; the reminder goes to each non-voter alone and names no one else.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from parrhesia.decisions.delegation_selectors import delegation_edges
from parrhesia.decisions.models import Ballot, Participation, Status, Vote
from parrhesia.decisions.tasks import ballot_remind_task
from parrhesia.kernel.deferred import task_after_commit
from parrhesia.notifications.models import Delivery
from parrhesia.notifications.notices import notice_register
from parrhesia.notifications.services import notify
from parrhesia.orgs.models import Membership, MembershipStatus

# How long before a ballot closes its reminder goes out.
REMINDER_BEFORE = timedelta(hours=24)

notice_register(
    "ballot_opened",
    gettext_lazy("A vote you may take part in has opened: “%(ballot)s”, until %(deadline)s."),
    delivery=Delivery.EMAIL,
    label=gettext_lazy("A vote you may take part in opens"),
)
notice_register(
    "ballot_closing",
    gettext_lazy("You have not voted yet in “%(ballot)s”: it closes at %(deadline)s."),
    delivery=Delivery.EMAIL,
    label=gettext_lazy("A vote closes within a day and you have not voted"),
)
notice_register(
    "ballot_closed",
    gettext_lazy("The vote “%(ballot)s” has closed: see the result."),
    delivery=Delivery.EMAIL,
    label=gettext_lazy("A vote's result is published"),
)
# To the voter alone (notices are private, never on the record). It carries no tracker and no
# receipt code: a stored notice naming its recipient would link them to their ballot.
notice_register(
    "ballot_participated",
    gettext_lazy(
        "You took part in the secret vote “%(ballot)s”. Keep the receipt you were shown or"
        " downloaded: after the close, enter its tracker on the vote's page to see your ballot"
        " counted."
    ),
    label=gettext_lazy("You took part in a secret vote"),
)
# Proxies and delegation (docs/voting.md, "Proxies, delegation and mandates").
notice_register(
    "proxy_received",
    gettext_lazy("%(name)s gave you their vote in “%(ballot)s”: vote for them on its page."),
    delivery=Delivery.EMAIL,
    label=gettext_lazy("A member gives you their proxy"),
)
notice_register(
    "proxy_used",
    gettext_lazy("Your proxy cast your secret ballot in “%(ballot)s”."),
    label=gettext_lazy("Your proxy voted for you"),
)
notice_register(
    "delegation_received",
    gettext_lazy("%(name)s delegated their vote to you (%(area)s)."),
    label=gettext_lazy("A member delegates their vote to you"),
)
# A membership ended (decisions.services.leavers): to the member on the other side.
notice_register(
    "delegation_ended",
    gettext_lazy(
        "%(name)s is no longer a member: the delegation between you has ended. Choose another"
        " delegate, or vote yourself."
    ),
    delivery=Delivery.EMAIL,
    label=gettext_lazy("A delegation ends because a member left"),
)
notice_register(
    "proxy_ended",
    gettext_lazy(
        "%(name)s is no longer a member: the proxy between you in “%(ballot)s” is revoked."
    ),
    delivery=Delivery.EMAIL,
    label=gettext_lazy("A proxy ends because a member left"),
)
# To each member who delegated to a voter (decisions.services.voting): their delegate's open
# vote is public, and they may still take their weight back by voting themselves.
notice_register(
    "delegate_voted",
    gettext_lazy(
        "%(name)s, your delegate, voted in “%(ballot)s”. If you would vote otherwise, vote"
        " yourself before %(deadline)s: your own vote takes your weight back."
    ),
    label=gettext_lazy("Your delegate votes in an open ballot"),
)
notice_register(
    "delegation_expiring",
    gettext_lazy(
        "Your delegation to %(name)s expires on %(deadline)s: renew it, or your vote counts"
        " alone again."
    ),
    delivery=Delivery.EMAIL,
    label=gettext_lazy("A delegation of yours is about to expire"),
)
notice_register(
    "delegation_over_cap",
    gettext_lazy(
        "%(name)s already carries the most weight a delegate may: while that lasts, your"
        " delegation to them is returned and your vote counts only if you cast it."
    ),
    delivery=Delivery.EMAIL,
    label=gettext_lazy("A delegation you give is over the cap"),
)
notice_register(
    "delegation_capped",
    gettext_lazy(
        "Your delegated vote was not counted in “%(ballot)s”: your delegate already carried the"
        " most any delegate may (%(cap)s). Vote yourself, or choose another delegate."
    ),
    delivery=Delivery.EMAIL,
    label=gettext_lazy("The cap on delegates returned your delegated vote"),
)
notice_register(
    "minority_report",
    gettext_lazy("A minority report was filed on the vote “%(ballot)s”: “%(title)s”."),
    label=gettext_lazy("A minority report is filed"),
)


def _url(ballot: Ballot) -> str:
    return reverse(
        "decisions:detail", kwargs={"slug": ballot.organisation.slug, "ballot_id": ballot.pk}
    )


def _params(ballot: Ballot) -> dict[str, str]:
    return {"ballot": ballot.title, "deadline": ballot.closes_at.isoformat()}


def ballot_opened_notify(ballot: Ballot) -> int:
    """Tell every member of the electorate but its opener (in the opening transaction), and
    schedule the reminder a day before the close (``parrhesia due`` is the safety net)."""
    members = Membership.objects.filter(
        pk__in=ballot.electorate, status=MembershipStatus.ACTIVE
    ).select_related("user")
    if ballot.opened_by_id is not None:
        members = members.exclude(pk=ballot.opened_by_id)
    remind_at = ballot.closes_at - REMINDER_BEFORE
    if remind_at > ballot.opened_at:
        task_after_commit(ballot_remind_task, ballot.pk, run_after=remind_at)
    return notify(
        [m.user for m in members],
        organisation=ballot.organisation,
        kind="ballot_opened",
        params=_params(ballot),
        url=_url(ballot),
        key=f"ballot:{ballot.pk}",
    )


def ballot_reminders_due(*, now: datetime, ballot_id: int | None = None) -> int:
    """Remind each member of the electorate who has not voted in an open ballot closing within
    a day; once per member and ballot (idempotent: a late, repeated or swept run sends none
    twice). Returns how many were reminded."""
    ballots = Ballot.objects.filter(
        status=Status.OPEN, closes_at__gt=now, closes_at__lte=now + REMINDER_BEFORE
    ).select_related("organisation")
    if ballot_id is not None:
        ballots = ballots.filter(pk=ballot_id)
    reminded = 0
    for ballot in ballots:
        voted = Q(pk__in=Vote.objects.filter(ballot=ballot).values("member_id")) | Q(
            pk__in=Participation.objects.filter(ballot=ballot).values("member_id")
        )
        members = (
            Membership.objects.filter(pk__in=ballot.electorate, status=MembershipStatus.ACTIVE)
            .exclude(voted)
            .select_related("user")
        )
        reminded += notify(
            [m.user for m in members],
            organisation=ballot.organisation,
            kind="ballot_closing",
            params=_params(ballot),
            url=_url(ballot),
            key=f"ballot:{ballot.pk}",
        )
    return reminded


def delegate_voted_notify(ballot: Ballot, area: str, delegate: Membership, now: datetime) -> int:
    """Tell the members who delegated to ``delegate`` (directly) and have not voted themselves
    that their delegate voted: once per ballot, so that they can see the vote and override it
    before the close (issue 17). In the vote's transaction."""
    pairs = delegation_edges(ballot.organisation, area, now, ballot.electorate)
    delegators = {giver for giver, taker in pairs if taker == delegate.pk}
    voted = set(
        Vote.objects.filter(ballot=ballot, member_id__in=delegators).values_list(
            "member_id", flat=True
        )
    )
    members = Membership.objects.filter(pk__in=delegators - voted).select_related("user")
    return notify(
        [member.user for member in members],
        organisation=ballot.organisation,
        kind="delegate_voted",
        params={**_params(ballot), "name": delegate.user.public_name},
        url=_url(ballot),
        key=f"ballot:{ballot.pk}",
    )
