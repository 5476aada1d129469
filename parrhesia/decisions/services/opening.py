"""Opening a ballot: its settings checked, its electorate frozen, its close scheduled. A secret
ballot takes no reasons: words of a voter's own could give their ballot away. A quick proposal
or poll is a ballot too, with fewer choices and a short timeline."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.agenda.models import AgendaItem
from parrhesia.decisions.actions import Action
from parrhesia.decisions.agenda_seam import agenda_item_takes_quick_ballots
from parrhesia.decisions.delegation_selectors import delegation_rules_at_opening, weights_of
from parrhesia.decisions.models import Ballot, Method, Option, Reasons, Secrecy
from parrhesia.decisions.notices import ballot_opened_notify
from parrhesia.decisions.selectors import ballot_facts, policy_of
from parrhesia.decisions.services._shared import (
    BallotError,
    min_anonymity_checked,
    too_many_options,
)
from parrhesia.decisions.services.running import running_count_start
from parrhesia.decisions.tasks import ballot_close_task
from parrhesia.kernel.access import member_for
from parrhesia.kernel.deferred import task_after_commit
from parrhesia.methods.record.sealed import Sealed
from parrhesia.orgs.models import Membership, MembershipStatus, Organisation
from parrhesia.record.services import record_append


def ballot_open(
    *,
    user: User,
    organisation: Organisation,
    title: str,
    method: str,
    options: list[str] | list[tuple[str, str, str]],
    closes_at: datetime,
    description: str = "",
    status_quo_label: str = "",
    seats: int = 1,
    secrecy: str = Secrecy.OPEN,
    results_hidden: bool = False,
    reasons: str | None = None,
    threshold: str | None = None,
    quorum_percent: int | None = None,
    minority_window_days: int | None = None,
    early_close_allowed: bool = False,
    authors: list[Membership] | None = None,
    min_anonymity: int | None = None,
    quick: bool = False,
    agenda_item: AgendaItem | None = None,
    now: datetime | None = None,
    area: str = "",
) -> Ballot:
    """Open a ballot; its electorate is frozen now: the organisation's active members. Stewards
    open any; a ``quick`` one, whom the policy lets (:func:`ballot_open_quick`).

    ``options`` are labels, or ``(label, source_kind, source_id)`` for options that come from
    elsewhere (an agenda motion). A competing-motions ballot gets ``status_quo_label`` as one
    more option, which a motion must beat to win. The close task is enqueued for the closing
    time once the ballot is committed (``parrhesia due`` is the safety net)."""
    now = now or timezone.now()
    rows = [(o, "", "") if isinstance(o, str) else o for o in options]
    rows = [(label.strip(), kind, str(source)) for label, kind, source in rows if label.strip()]
    _check_opening(method, rows, status_quo_label, seats, closes_at, now)
    min_anonymity_checked(min_anonymity)
    permission = _permission_checked(quick, organisation, method, closes_at, now, agenda_item)
    policy = policy_of(organisation)
    with transaction.atomic():
        opener = member_for(user, organisation, permission)
        electorate = _electorate(organisation)
        if secrecy == Secrecy.SECRET:
            _anonymity_reachable(len(electorate), _or(min_anonymity, policy.min_anonymity))
        ballot = Ballot.objects.create(
            organisation=organisation,
            title=title,
            description=description,
            method=method,
            seats=seats,
            secrecy=secrecy,
            results_hidden=results_hidden or secrecy == Secrecy.SECRET,
            reasons=Reasons.OFF if secrecy == Secrecy.SECRET else reasons or policy.reasons,
            threshold=threshold or policy.threshold,
            quorum_percent=_or(quorum_percent, policy.quorum_percent),
            minority_window_days=minority_window_days or policy.minority_window_days,
            early_close_allowed=early_close_allowed,
            min_anonymity=_or(min_anonymity, policy.min_anonymity),
            electorate=electorate,
            authors=[m.pk for m in authors] if authors else [opener.pk],
            opened_by=opener,
            opened_at=now,
            closes_at=closes_at,
            quick=quick,
            agenda_item=agenda_item,
        )
        _options_create(ballot, rows, status_quo_label)
        opened = ballot_facts(ballot_weighing_fix(ballot, policy, area))
        record_append(
            organisation=organisation,
            actor=opener,
            action=Action.BALLOT_OPENED,
            subject=("ballot", ballot.pk),
            # the ballot's facts, its opener's description sealed (the recount never reads it)
            payload={**opened, "description": Sealed(opened["description"])},
        )
        running_count_start(ballot=ballot, opened=opened)
        task_after_commit(ballot_close_task, ballot.pk, run_after=ballot.closes_at)
        ballot_opened_notify(ballot)
    return ballot


# A quick proposal or poll: a motion vote (for, against, abstain, block), or a poll of one
# choice or of several; it runs from an hour to thirty days.
QUICK_METHODS = (Method.MOTION, Method.PLURALITY, Method.APPROVAL)
QUICK_SHORTEST = timedelta(hours=1)
QUICK_LONGEST = timedelta(days=30)
# A closing time typed to the minute, or computed by the form a moment before, is still "an hour".
QUICK_SLACK = timedelta(minutes=1)


def ballot_open_quick(
    *,
    user: User,
    organisation: Organisation,
    title: str,
    method: str,
    closes_at: datetime,
    options: list[str] | None = None,
    description: str = "",
    secrecy: str = Secrecy.OPEN,
    early_close_allowed: bool = False,
    agenda_item: AgendaItem | None = None,
    now: datetime | None = None,
) -> Ballot:
    """Start a quick proposal (``motion``) or poll (``plurality``: one choice, ``approval``:
    several), on its own or inside ``agenda_item``, with the organisation's defaults for the
    rest. It opens at once, and is counted, recorded and closed like any ballot."""
    return ballot_open(
        user=user,
        organisation=organisation,
        title=title,
        method=method,
        options=options or [],
        closes_at=closes_at,
        description=description,
        secrecy=secrecy,
        early_close_allowed=early_close_allowed,
        quick=True,
        agenda_item=agenda_item,
        now=now,
    )


def _permission_checked(
    quick: bool,
    organisation: Organisation,
    method: str,
    closes_at: datetime,
    now: datetime,
    agenda_item: AgendaItem | None,
) -> str:
    """The permission the opening asks: a steward's, or a quick proposal's or poll's once its
    settings are checked."""
    if not quick:
        if agenda_item is not None:  # an agenda item's own vote decides it, and is not quick
            raise BallotError(_("Only a quick proposal or poll is held inside an agenda item."))
        return "decisions.open_ballot"
    if method not in QUICK_METHODS:
        raise BallotError(
            _("A quick proposal is a motion vote, and a quick poll picks one option or several.")
        )
    if not now + QUICK_SHORTEST - QUICK_SLACK <= closes_at <= now + QUICK_LONGEST:
        raise BallotError(
            _("A quick proposal or poll runs from one hour to 30 days: close it within that.")
        )
    if agenda_item is not None and not agenda_item_takes_quick_ballots(organisation, agenda_item):
        raise BallotError(
            _("This agenda item is closed: start the proposal or poll on its own instead.")
        )
    return "decisions.start_quick_ballot"


def _options_create(
    ballot: Ballot, rows: list[tuple[str, str, str]], status_quo_label: str
) -> None:
    """The options, numbered from 0 in order; the status quo, if any, last."""
    labels = rows + ([(status_quo_label.strip(), "", "")] if status_quo_label else [])
    Option.objects.bulk_create(
        Option(
            ballot=ballot,
            key=key,
            label=label,
            is_status_quo=bool(status_quo_label) and key == len(rows),
            source_kind=kind,
            source_id=source,
        )
        for key, (label, kind, source) in enumerate(labels)
    )


def ballot_weighing_fix(ballot: Ballot, policy: Any, area: str) -> Ballot:
    """The electorate's mandates and, on an open ballot whose choices are shown, delegation's
    rules for its area (an item type: ``area``, or that of the agenda item it is held in),
    fixed at the opening (docs/voting.md, "Proxies, delegation and mandates")."""
    ballot.area = ballot.agenda_item.item_type if ballot.agenda_item is not None else area
    weights = weights_of(ballot.electorate)
    ballot.weights = {str(member): weight for member, weight in sorted(weights.items())}
    ballot.delegation = delegation_rules_at_opening(ballot, policy)
    ballot.save(update_fields=["area", "weights", "delegation"])
    return ballot


def _electorate(organisation: Organisation) -> list[int]:
    """The ids of the organisation's active members, now."""
    return list(
        Membership.objects.filter(organisation=organisation, status=MembershipStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _or(given: int | None, default: int) -> int:
    return default if given is None else given


def _anonymity_reachable(members: int, needed: int) -> None:
    """A secret ballot whose electorate (frozen at the opening) is smaller than its minimum
    anonymity set could never publish a count: refused now, not found out at the close."""
    if members < needed:
        raise BallotError(
            _(
                "A secret vote publishes its count only if at least %(needed)s members vote, and "
                "only %(members)s members can vote now: it could never publish one. Lower the "
                "fewest voters of a secret vote in the decision policy, or open an open vote."
            )
            % {"needed": needed, "members": members}
        )


def _check_opening(
    method: str,
    rows: list[tuple[str, str, str]],
    status_quo_label: str,
    seats: int,
    closes_at: datetime,
    now: datetime,
) -> None:
    if method not in Method.values:
        raise BallotError(_("Unknown voting method."))
    labels = [label for label, _kind, _source in rows]
    if status_quo_label:
        labels.append(status_quo_label.strip())
    if len(labels) > settings.DECISIONS_MAX_OPTIONS:
        raise BallotError(too_many_options(len(labels)))
    if len(set(labels)) != len(labels):
        raise BallotError(_("Two options have the same name; make each one distinct."))
    if method == Method.MOTION:
        if rows:
            raise BallotError(_("A motion vote has no options: members vote for or against it."))
    elif len(rows) < (1 if status_quo_label else 2):
        raise BallotError(_("Give at least two options."))
    if method in ("schulze", "ranked-pairs") and not status_quo_label:
        raise BallotError(_("Competing motions need a status quo option to beat."))
    if method not in ("schulze", "ranked-pairs") and status_quo_label:
        raise BallotError(_("Only competing motions have a status quo option."))
    single_seat = method in ("motion", "schulze", "ranked-pairs", "irv")
    if (single_seat and seats != 1) or not 1 <= seats <= max(1, len(rows)):
        raise BallotError(_("The number of seats must be at least 1 and at most the options."))
    if closes_at <= now:
        raise BallotError(_("The closing time must be in the future."))


def ballot_open_for_motions(
    *,
    user: User,
    organisation: Organisation,
    title: str,
    options: list[tuple[str, str, str]],
    status_quo_label: str,
    closes_at: datetime,
    method: str = Method.SCHULZE,
    secrecy: str = Secrecy.OPEN,
    **settings: Any,
) -> Ballot:
    """The seam for the deliberation app: put frozen motions to a ranked vote.

    ``options`` are ``(label, source_kind, source_id)``, e.g. ``("Motion A", "motion", 12)``;
    each option keeps its source, and the ``ballot.opened`` entry names it. ``method`` is
    ``"schulze"`` (default) or ``"ranked-pairs"``; other settings as :func:`ballot_open`.
    """
    if method not in (Method.SCHULZE, Method.RANKED_PAIRS):
        raise BallotError(_("Competing motions are counted by Schulze or ranked pairs."))
    return ballot_open(
        user=user,
        organisation=organisation,
        title=title,
        method=method,
        options=options,
        status_quo_label=status_quo_label,
        secrecy=secrecy,
        closes_at=closes_at,
        **settings,
    )
