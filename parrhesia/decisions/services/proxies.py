"""Proxies for one ballot (general-assembly style): a member of the electorate gives their vote
in it to another member, who holds at most the policy's number of proxies; the giver revokes it
until the holder has voted for them, and voting themselves first cancels it. Secret ballots too:
the holder casts the giver's secret ballot, and the record says that both were cast, never how
(docs/voting.md, "Proxies, delegation and mandates")."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.decisions.actions import Action
from parrhesia.decisions.models import Ballot, Proxy
from parrhesia.decisions.selectors import ballot_takes_votes, has_voted, in_electorate, policy_of
from parrhesia.decisions.services._shared import BallotError, ballot_locked
from parrhesia.kernel.access import member_for
from parrhesia.notifications.services import notify
from parrhesia.orgs.models import Membership, MembershipStatus
from parrhesia.record.services import record_append


def _entry(ballot: Ballot, actor: Membership, action: Action, proxy: Proxy) -> None:
    record_append(
        organisation=ballot.organisation,
        actor=actor,
        action=action,
        subject=("ballot", ballot.pk),
        payload={"giver": proxy.giver_id, "holder": proxy.holder_id},
    )


def proxy_give(
    *, user: User, ballot: Ballot, holder: Membership, now: datetime | None = None
) -> Proxy:
    """Give one's vote in ``ballot`` to ``holder``, a member of its electorate."""
    now = now or timezone.now()
    with transaction.atomic():
        giver = member_for(user, ballot, "decisions.vote")
        ballot = ballot_locked(ballot)
        if not ballot_takes_votes(ballot, now):
            raise BallotError(_("This vote has closed; no more ballots are accepted."))
        if not in_electorate(ballot, giver):
            raise BallotError(
                _("You joined after this vote opened; only members at its opening vote.")
            )
        if holder.pk == giver.pk:
            raise BallotError(_("Give your proxy to another member."))
        if not in_electorate(ballot, holder) or holder.status != MembershipStatus.ACTIVE:
            raise BallotError(_("Give your proxy to a member who may vote in this ballot."))
        if has_voted(ballot, giver):
            raise BallotError(_("You have voted in this ballot already."))
        if Proxy.objects.filter(ballot=ballot, giver=giver).exists():
            raise BallotError(_("You have given your proxy in this ballot already."))
        if Proxy.objects.filter(ballot=ballot, holder=giver).exists():
            raise BallotError(_("You hold proxies in this ballot: vote with them yourself."))
        if Proxy.objects.filter(ballot=ballot, giver=holder).exists():
            raise BallotError(
                _("This member has given their own proxy away; a proxy is not passed on.")
            )
        most = policy_of(ballot.organisation).proxies_max
        if Proxy.objects.filter(ballot=ballot, holder=holder).count() >= most:
            raise BallotError(
                _("This member holds %(n)d proxies in this ballot, the most one may hold.")
                % {"n": most}
            )
        proxy = Proxy.objects.create(ballot=ballot, giver=giver, holder=holder, given_at=now)
        _entry(ballot, giver, Action.PROXY_GIVEN, proxy)
        notify(
            [holder.user],
            organisation=ballot.organisation,
            kind="proxy_received",
            params={"name": giver.user.public_name, "ballot": ballot.title},
            url=reverse("decisions:detail", args=[ballot.organisation.slug, ballot.pk]),
        )
    return proxy


def proxy_revoke(*, user: User, ballot: Ballot, now: datetime | None = None) -> None:
    """Take one's proxy back, as long as the holder has not voted with it."""
    now = now or timezone.now()
    with transaction.atomic():
        giver = member_for(user, ballot, "decisions.vote")
        ballot = ballot_locked(ballot)
        proxy = Proxy.objects.filter(ballot=ballot, giver=giver).first()
        if proxy is None:
            raise BallotError(_("You have given no proxy in this ballot."))
        if proxy.used_at is not None:
            raise BallotError(_("Your proxy has voted for you; it can no longer be revoked."))
        if not ballot_takes_votes(ballot, now):
            raise BallotError(_("This vote has closed; no more ballots are accepted."))
        _entry(ballot, giver, Action.PROXY_REVOKED, proxy)
        proxy.delete()


def proxy_for_vote(ballot: Ballot, holder: Membership, giver: Membership, now: datetime) -> None:
    """In a vote's transaction (ballot locked): the holder may vote for the giver, while the
    giver is still a member; marks the proxy used, so that the giver can no longer revoke it."""
    proxy = Proxy.objects.filter(ballot=ballot, giver=giver, holder=holder).first()
    if proxy is None:
        raise BallotError(_("You hold no proxy of this member in this ballot."))
    if giver.status != MembershipStatus.ACTIVE:  # their proxy ended with their membership
        raise BallotError(_("This member is no longer a member: you cannot vote for them."))
    if proxy.used_at is None:
        proxy.used_at = now
        proxy.save(update_fields=["used_at"])


def proxy_cancel_by_own_vote(ballot: Ballot, giver: Membership) -> None:
    """In a vote's transaction (ballot locked), before the giver's own vote is written: their
    unused proxy is cancelled (on the record, before the vote); a used one refuses the vote."""
    proxy = Proxy.objects.filter(ballot=ballot, giver=giver).first()
    if proxy is None:
        return
    if proxy.used_at is not None:
        raise BallotError(_("Your proxy has voted for you in this ballot; your vote is cast."))
    _entry(ballot, giver, Action.PROXY_CANCELLED, proxy)
    proxy.delete()
