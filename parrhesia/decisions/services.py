"""Every write on ballots: open, vote, answer a block, close, file and co-sign minority reports.

Each runs in one transaction, checks permission, and appends its entry to the organisation's
public record in that same transaction; a vote is acknowledged only once both have committed.
What goes on the record (and why recounting from it works) is in docs/voting.md.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from parrhesia.accounts.models import User
from parrhesia.decisions import counting
from parrhesia.decisions.models import (
    Ballot,
    CoSignature,
    DecisionPolicy,
    Method,
    MinorityReport,
    Option,
    Participation,
    Reasons,
    Secrecy,
    SecretBallot,
    Status,
    Vote,
)
from parrhesia.methods.record.canonical import canonical_json
from parrhesia.orgs.models import Membership, MembershipStatus, Organisation
from parrhesia.orgs.rules import active_membership
from parrhesia.record.services import record_append

# The messages of counting.ChoiceError (a module without Django), for translation.
CHOICE_MESSAGES = (
    gettext_noop("Choose for, against, abstain or block."),
    gettext_noop("Choose one option."),
    gettext_noop("Approve only options of this ballot."),
    gettext_noop("Approve each option at most once."),
    gettext_noop("A ranking is a list of tiers of options."),
    gettext_noop("Rank at least one option."),
    gettext_noop("Rank only options of this ballot."),
    gettext_noop("Rank each option only once."),
    gettext_noop("Give each candidate a different number: ties are not counted in an election."),
)


class BallotError(Exception):
    """A ballot action that cannot happen as asked; the message says why."""


@dataclass(frozen=True)
class VoteOutcome:
    """What happened to a submission. ``receipt_code`` and ``tracker``: secret ballots only."""

    state: str  # "recorded" | "changed" | "unchanged" | "repeated"
    tracker: str | None = None
    receipt_code: str | None = None


def _require(user: User, permission: str, organisation: Organisation) -> Membership:
    if not user.has_perm(permission, organisation):
        raise PermissionDenied
    membership = active_membership(user, organisation)
    if membership is None:  # every ballot permission needs a membership
        raise PermissionDenied
    return membership


def policy_of(organisation: Organisation) -> DecisionPolicy:
    """The organisation's defaults (unsaved built-in defaults until an admin changes them)."""
    policy = DecisionPolicy.objects.filter(organisation=organisation).first()
    return policy or DecisionPolicy(organisation=organisation)


def policy_change(
    *,
    user: User,
    organisation: Organisation,
    threshold: str,
    reasons: str,
    quorum_percent: int,
    minority_window_days: int,
) -> DecisionPolicy:
    with transaction.atomic():
        admin = _require(user, "decisions.change_policy", organisation)
        policy = policy_of(organisation)
        policy.threshold, policy.reasons = threshold, reasons
        policy.quorum_percent, policy.minority_window_days = quorum_percent, minority_window_days
        policy.save()
        record_append(
            organisation=organisation,
            actor=admin,
            action="decision_policy.changed",
            subject=("organisation", organisation.pk),
            payload={
                "threshold": threshold,
                "reasons": reasons,
                "quorum_percent": quorum_percent,
                "minority_window_days": minority_window_days,
            },
        )
    return policy


# --- opening ---------------------------------------------------------------------------------


def ballot_facts(ballot: Ballot) -> dict[str, Any]:
    """The payload of ``ballot.opened``: everything a recount needs besides the ballots."""
    return {
        "title": ballot.title,
        "description": ballot.description,
        "method": ballot.method,
        "seats": ballot.seats,
        "secrecy": ballot.secrecy,
        "results_hidden": ballot.hides_results,
        "reasons": ballot.reasons,
        "threshold": ballot.threshold,
        "quorum_percent": ballot.quorum_percent,
        "minority_window_days": ballot.minority_window_days,
        "early_close_allowed": ballot.early_close_allowed,
        "closes_at": ballot.closes_at.isoformat(),
        "options": [
            {
                "key": option.key,
                "label": option.label,
                "status_quo": option.is_status_quo,
                "source": (
                    {"kind": option.source_kind, "id": option.source_id}
                    if option.source_kind
                    else None
                ),
            }
            for option in ballot.options.order_by("key")
        ],
        "authors": ballot.authors,
        "electorate": ballot.electorate,
        "electorate_size": len(ballot.electorate),
    }


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
    now: datetime | None = None,
) -> Ballot:
    """Open a ballot; its electorate is frozen now: the organisation's active members.

    ``options`` are labels, or ``(label, source_kind, source_id)`` for options that come from
    elsewhere (an agenda motion). A competing-motions ballot gets ``status_quo_label`` as one
    more option, which a motion must beat to win.
    """
    now = now or timezone.now()
    rows = [(o, "", "") if isinstance(o, str) else o for o in options]
    rows = [(label.strip(), kind, str(source)) for label, kind, source in rows if label.strip()]
    _check_opening(method, rows, status_quo_label, seats, closes_at, now)
    policy = policy_of(organisation)
    with transaction.atomic():
        opener = _require(user, "decisions.open_ballot", organisation)
        electorate = list(
            Membership.objects.filter(organisation=organisation, status=MembershipStatus.ACTIVE)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        ballot = Ballot.objects.create(
            organisation=organisation,
            title=title,
            description=description,
            method=method,
            seats=seats,
            secrecy=secrecy,
            results_hidden=results_hidden or secrecy == Secrecy.SECRET,
            reasons=reasons or policy.reasons,
            threshold=threshold or policy.threshold,
            quorum_percent=policy.quorum_percent if quorum_percent is None else quorum_percent,
            minority_window_days=minority_window_days or policy.minority_window_days,
            early_close_allowed=early_close_allowed,
            electorate=electorate,
            authors=[m.pk for m in authors] if authors else [opener.pk],
            opened_by=opener,
            opened_at=now,
            closes_at=closes_at,
        )
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
        record_append(
            organisation=organisation,
            actor=opener,
            action="ballot.opened",
            subject=("ballot", ballot.pk),
            payload=ballot_facts(ballot),
        )
        transaction.on_commit(lambda: _schedule_close(ballot))
    return ballot


def _schedule_close(ballot: Ballot) -> None:
    from parrhesia.decisions.tasks import ballot_close_task
    from parrhesia.web.scheduling import task_enqueue_at

    task_enqueue_at(ballot_close_task, ballot.closes_at, ballot.pk)


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


# --- voting ----------------------------------------------------------------------------------


def ballot_vote(
    *,
    user: User,
    ballot: Ballot,
    choices: Any,
    reason: str = "",
    idempotency_key: str = "",
    receipt_code: str = "",
    now: datetime | None = None,
) -> VoteOutcome:
    """Cast or change a vote. A retry with the same ``idempotency_key`` changes nothing.

    Secret ballots: the first vote returns a tracker and a receipt code, shown once; the code
    (which only the voter keeps) is needed to change the vote.
    """
    now = now or timezone.now()
    reason = reason.strip()
    with transaction.atomic():
        member = _require(user, "decisions.vote", ballot.organisation)
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if not ballot.is_open or now >= ballot.closes_at:
            raise BallotError(_("This vote has closed; no more ballots are accepted."))
        if member.pk not in ballot.electorate:
            raise BallotError(
                _("You joined after this vote opened; only members at its opening vote.")
            )
        try:
            choices = counting.choices_check(ballot_facts_light(ballot), choices)
        except counting.ChoiceError as error:
            raise BallotError(_(str(error))) from None
        _check_reason(ballot, choices, reason)
        if ballot.is_secret:
            return _secret_vote(ballot, member, choices, reason, idempotency_key, receipt_code)
        return _open_vote(ballot, member, choices, reason, idempotency_key, now)


def ballot_facts_light(ballot: Ballot) -> dict[str, Any]:
    """What checking choices needs: the method and the option keys."""
    return {
        "method": ballot.method,
        "options": [{"key": key} for key in ballot.options.values_list("key", flat=True)],
    }


def _check_reason(ballot: Ballot, choices: Any, reason: str) -> None:
    if choices == "block" and not reason:
        raise BallotError(_("A block needs a reason: say what the authors must answer."))
    if ballot.reasons == Reasons.REQUIRED and not reason:
        raise BallotError(_("This vote asks every voter for a reason."))


def _open_vote(
    ballot: Ballot, member: Membership, choices: Any, reason: str, key: str, now: datetime
) -> VoteOutcome:
    if ballot.reasons == Reasons.OFF and choices != "block":
        reason = ""
    vote = Vote.objects.filter(ballot=ballot, member=member).first()
    if vote is not None and key and vote.idempotency_key == key:
        return VoteOutcome("repeated")
    if vote is not None and vote.choices == choices and vote.reason == reason:
        return VoteOutcome("unchanged")
    state = "recorded" if vote is None else "changed"
    Vote.objects.update_or_create(
        ballot=ballot,
        member=member,
        defaults={"choices": choices, "reason": reason, "idempotency_key": key, "updated_at": now},
    )
    # With results hidden, the choices go on the record at the close, all at once.
    payload = {"hidden": True} if ballot.results_hidden else {"choices": choices, "reason": reason}
    record_append(
        organisation=ballot.organisation,
        actor=member,
        action="ballot.voted",
        subject=("ballot", ballot.pk),
        payload=payload,
    )
    return VoteOutcome(state)


def tracker_of(ballot_id: int, choices: Any, code: str) -> str:
    """SHA-256 of the ballot id, the canonical choices and the voter's random code."""
    data = b"%d|" % ballot_id + canonical_json(choices) + b"|" + code.encode()
    return hashlib.sha256(data).hexdigest()


def _code_hash(code: str) -> str:
    return hashlib.sha256(b"parrhesia-receipt|" + code.strip().encode()).hexdigest()


def _secret_vote(
    ballot: Ballot, member: Membership, choices: Any, reason: str, key: str, code: str
) -> VoteOutcome:
    if ballot.reasons == Reasons.OFF and choices != "block":
        reason = ""
    participation = Participation.objects.filter(ballot=ballot, member=member).first()
    if participation is not None:
        if key and participation.idempotency_key == key:
            return VoteOutcome("repeated")
        if not code.strip():
            raise BallotError(
                _("You have voted. To change a secret vote, give the receipt code you were shown.")
            )
        secret = SecretBallot.objects.filter(ballot=ballot, change_hash=_code_hash(code)).first()
        if secret is None:
            raise BallotError(_("This receipt code is not one of this vote's."))
        code = code.strip()
        secret.choices, secret.reason = choices, reason
        secret.tracker = tracker_of(ballot.pk, choices, code)
        secret.save(update_fields=["choices", "reason", "tracker"])
        return VoteOutcome("changed", secret.tracker, code)
    code = secrets.token_urlsafe(16)
    tracker = tracker_of(ballot.pk, choices, code)
    SecretBallot.objects.create(
        ballot=ballot, choices=choices, reason=reason, tracker=tracker, change_hash=_code_hash(code)
    )
    Participation.objects.create(ballot=ballot, member=member, idempotency_key=key)
    record_append(
        organisation=ballot.organisation,
        actor=member,
        action="ballot.participated",
        subject=("ballot", ballot.pk),
        payload={},
    )
    return VoteOutcome("recorded", tracker, code)


def ballot_block_answer(*, user: User, ballot: Ballot, text: str) -> Ballot:
    """The motion's authors answer the blocks in writing; the answer is shown with the result."""
    text = text.strip()
    if not text:
        raise BallotError(_("Write the answer to the block."))
    with transaction.atomic():
        member = _require(user, "decisions.answer_block", ballot.organisation)
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if member.pk not in ballot.authors:
            raise PermissionDenied
        if not ballot.is_open:
            raise BallotError(_("This vote has closed; answers are given before the close."))
        ballot.block_answer, ballot.block_answered_by = text, member
        ballot.save(update_fields=["block_answer", "block_answered_by"])
        record_append(
            organisation=ballot.organisation,
            actor=member,
            action="ballot.block_answered",
            subject=("ballot", ballot.pk),
            payload={"text": text},
        )
    return ballot


def ballot_has_blocks(ballot: Ballot) -> bool:
    model = SecretBallot if ballot.is_secret else Vote
    return model.objects.filter(ballot=ballot, choices="block").exists()


# --- closing ---------------------------------------------------------------------------------


def ballot_close(*, user: User, ballot: Ballot, now: datetime | None = None) -> Ballot:
    """A steward closes a ballot early, if the ballot allows it (or after its closing time)."""
    now = now or timezone.now()
    with transaction.atomic():
        steward = _require(user, "decisions.close_ballot_early", ballot.organisation)
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if not ballot.is_open:
            raise BallotError(_("This vote is already closed."))
        if now < ballot.closes_at:
            if not ballot.early_close_allowed:
                raise BallotError(_("This vote may not be closed before its closing time."))
            if ballot_has_blocks(ballot) and not ballot.block_answer:
                raise BallotError(
                    _("The motion's authors must answer the blocks before an early close.")
                )
        return _close(ballot, steward, now)


def ballot_close_if_due(*, ballot_id: int, now: datetime) -> bool:
    """Close the ballot if its time has come; idempotent (False when nothing was to be done)."""
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().filter(pk=ballot_id).first()
        if ballot is None or not ballot.is_open or now < ballot.closes_at:
            return False
        _close(ballot, None, now)
    return True


def ballots_close_due(*, now: datetime) -> int:
    """Close every ballot past its closing time (catch-up for a worker that was down)."""
    due = Ballot.objects.filter(status=Status.OPEN, closes_at__lte=now).values_list("pk", flat=True)
    return sum(ballot_close_if_due(ballot_id=pk, now=now) for pk in list(due))


def _close(ballot: Ballot, closer: Membership | None, now: datetime) -> Ballot:
    facts = ballot_facts(ballot)
    payload: dict[str, Any] = {}
    if ballot.is_secret:
        published = _secret_ballots_publish(ballot)
        ballots = [item["choices"] for item in published]
        payload["ballots"] = published
        ballot.published_ballots = published
    else:
        votes = list(Vote.objects.filter(ballot=ballot).order_by("member_id"))
        ballots = [vote.choices for vote in votes]
        if ballot.results_hidden:
            payload["votes"] = [
                {"member": v.member_id, "choices": v.choices, "reason": v.reason} for v in votes
            ]
    result = counting.result_count(facts, ballots)
    payload = {"result": result, **payload}
    ballot.status, ballot.closed_at, ballot.closed_by, ballot.result = (
        Status.CLOSED,
        now,
        closer,
        result,
    )
    ballot.save(update_fields=["status", "closed_at", "closed_by", "result", "published_ballots"])
    record_append(
        organisation=ballot.organisation,
        actor=closer,
        action="ballot.closed",
        subject=("ballot", ballot.pk),
        payload=payload,
    )
    from parrhesia.decisions.agenda_seam import agenda_item_conclude, ballot_closed_notify

    item = agenda_item_conclude(ballot)  # the vote decides the agenda item it came from, if any
    ballot_closed_notify(ballot, item)
    return ballot


def _secret_ballots_publish(ballot: Ballot) -> list[dict[str, Any]]:
    """The anonymous ballots sorted by tracker; the rows are rewritten in that order.

    Rewriting erases whatever the storage kept of the order in which they were cast (row ids,
    PostgreSQL's per-row transaction ids and physical order).
    """
    rows = sorted(SecretBallot.objects.filter(ballot=ballot), key=lambda row: row.tracker)
    if len(rows) != Participation.objects.filter(ballot=ballot).count():
        raise BallotError("secret ballots and participations differ in number")  # never
    SecretBallot.objects.filter(ballot=ballot).delete()
    SecretBallot.objects.bulk_create(
        SecretBallot(
            ballot=ballot,
            choices=row.choices,
            reason=row.reason,
            tracker=row.tracker,
            change_hash=secrets.token_hex(32),  # no one may change a closed ballot
        )
        for row in rows
    )
    return [{"tracker": r.tracker, "choices": r.choices, "reason": r.reason} for r in rows]


# --- minority reports ------------------------------------------------------------------------


def minority_eligible(ballot: Ballot, member: Membership | None) -> bool:
    """Whether the member was on the losing side (see counting.dissenters).

    A secret ballot cannot know how anyone voted, so every participant may file or co-sign.
    """
    if member is None or ballot.is_open or ballot.result is None:
        return False
    if ballot.is_secret:
        return Participation.objects.filter(ballot=ballot, member=member).exists()
    vote = Vote.objects.filter(ballot=ballot, member=member).first()
    if vote is None:
        return False
    return counting.dissenters(ballot_facts(ballot), ballot.result, vote.choices)


def _check_minority(ballot: Ballot, member: Membership, now: datetime) -> None:
    if ballot.is_open:
        raise BallotError(_("A minority report is filed after the vote closes."))
    if now > ballot.minority_window_ends:
        raise BallotError(_("The time for minority reports on this vote is over."))
    if not minority_eligible(ballot, member):
        raise BallotError(
            _("Only members who voted on the losing side may file or co-sign a minority report.")
        )


def minority_report_file(
    *, user: User, ballot: Ballot, title: str, text: str, now: datetime | None = None
) -> MinorityReport:
    """File a minority report: published at once and frozen, beside the result for good."""
    now = now or timezone.now()
    if not title.strip() or not text.strip():
        raise BallotError(_("A minority report needs a title and a text."))
    with transaction.atomic():
        member = _require(user, "decisions.file_minority_report", ballot.organisation)
        _check_minority(ballot, member, now)
        try:
            with transaction.atomic():
                report = MinorityReport.objects.create(
                    ballot=ballot,
                    author=member,
                    title=title.strip(),
                    text=text.strip(),
                    filed_at=now,
                )
        except IntegrityError:
            raise BallotError(_("You have already filed a minority report on this vote.")) from None
        record_append(
            organisation=ballot.organisation,
            actor=member,
            action="minority_report.filed",
            subject=("minority_report", report.pk),
            payload={"ballot": ballot.pk, "title": report.title, "text": report.text},
        )
        from parrhesia.decisions.agenda_seam import minority_report_notify

        minority_report_notify(report)
    return report


def minority_report_cosign(
    *, user: User, report: MinorityReport, now: datetime | None = None
) -> CoSignature:
    now = now or timezone.now()
    ballot = report.ballot
    with transaction.atomic():
        member = _require(user, "decisions.file_minority_report", ballot.organisation)
        if member.pk == report.author_id:
            raise BallotError(_("You wrote this report; your name is already on it."))
        _check_minority(ballot, member, now)
        signature, created = CoSignature.objects.get_or_create(
            report=report, member=member, defaults={"signed_at": now}
        )
        if created:
            record_append(
                organisation=ballot.organisation,
                actor=member,
                action="minority_report.cosigned",
                subject=("minority_report", report.pk),
                payload={"ballot": ballot.pk},
            )
    return signature
