"""What the jury decides: the jury room, the reporter's anonymity, the jurors' votes, the verdict
and its sanctions, each on the record.

A juror votes only once the defence period has closed (``defence.py`` closes it), and
``verdict_publish`` checks it once more: no verdict, hence no sanction, before the defence. The
last vote of a jury publishes its verdict; the sanction takes effect in the same transaction
(content hidden, a suspension, an expulsion), and an appeal verdict (``appeals.py``) first undoes
the first verdict's.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parrhesia.kernel.access import forget_memberships
from parrhesia.kernel.content import reportable_of
from parrhesia.kernel.membership_hooks import membership_ended
from parrhesia.methods.record.sealed import Sealed
from parrhesia.orgs.models import Membership, MembershipStatus
from parrhesia.record.services import record_append
from parrhesia.tribunal.actions import Action, content_facts
from parrhesia.tribunal.models import (
    EXPELLED,
    SEVERITY,
    Case,
    ContentMeasure,
    Juror,
    Jury,
    MeasureSource,
    Phase,
    RoomMessage,
    Round,
    Sanction,
    Suspension,
)
from parrhesia.tribunal.services._shared import (
    TribunalError,
    case_locked,
    case_subject,
    juror_locked,
    measure_end,
    member_notify,
    member_on_case,
    now_or,
)
from parrhesia.tribunal.services.erasure import personal_data_erase, personal_data_found

# --- the jury room, anonymity, votes -------------------------------------------------------------


def room_post(*, user: Any, case: Case, text: str) -> RoomMessage:
    """A message in the jury room: private to the jurors until the verdict."""
    if not text.strip():
        raise TribunalError(_("Write a message."))
    with transaction.atomic():
        juror = juror_locked(case, member_on_case(user, case, "tribunal.post_in_room"))
        return RoomMessage.objects.create(jury=juror.jury, juror=juror, text=text)


def anonymity_decide(*, user: Any, case: Case, grant: bool, reason: str) -> Case:
    """A juror's vote on the reporter's request for anonymity; a majority decides, with reasons."""
    if not reason.strip():
        raise TribunalError(_("Give the reason for your vote on anonymity."))
    with transaction.atomic():
        case = case_locked(case)
        member = member_on_case(user, case, "tribunal.decide_anonymity")
        juror = juror_locked(case, member, Round.FIRST)
        juror.grants_anonymity = grant
        juror.anonymity_reason = reason
        juror.save(update_fields=["grants_anonymity", "anonymity_reason"])
        sitting = list(juror.jury.jurors.filter(recused_at__isnull=True))
        for decision in (True, False):
            side = [j for j in sitting if j.grants_anonymity is decision]
            if 2 * len(side) > len(sitting) or (not decision and 2 * len(side) == len(sitting)):
                case.anonymity_granted = decision
                case.anonymity_reason = "\n".join(j.anonymity_reason for j in side)
                case.save(update_fields=["anonymity_granted", "anonymity_reason"])
                record_append(
                    organisation=case.organisation,
                    actor=None,
                    action=Action.ANONYMITY_GRANTED if decision else Action.REPORTER_REVEALED,
                    subject=case_subject(case),
                    payload={"reason": Sealed(case.anonymity_reason)}
                    if decision
                    else {"reporter": case.reporter_id, "reason": Sealed(case.anonymity_reason)},
                )
                break
    return case


def jury_vote(
    *,
    user: Any,
    case: Case,
    breaches: dict[int, bool],
    sanction: str,
    reasons: str,
    suspension_days: int = 0,
    keep_room_private: bool = False,
    privacy_reason: str = "",
    personal_data: bool = False,
    now: datetime | None = None,
) -> Juror:
    """A juror's vote on each cited rule and on the sanction, with written reasons.

    The last vote of the jury publishes the verdict (:func:`verdict_publish`).
    """
    now = now_or(now)
    if not reasons.strip():
        raise TribunalError(_("Written reasons are mandatory."))
    if sanction not in Sanction.values:
        raise TribunalError(_("Unknown sanction."))
    if keep_room_private and not privacy_reason.strip():
        raise TribunalError(_("Keeping the jury room private needs a reason."))
    with transaction.atomic():
        case = case_locked(case)
        juror = juror_locked(case, member_on_case(user, case, "tribunal.vote_in_jury"))
        votes = {str(rule): bool(breaches.get(rule, False)) for rule in case.rules_cited}
        if not any(votes.values()) and sanction != Sanction.NONE:
            raise TribunalError(_("Without a breach there is no sanction."))
        if sanction == Sanction.HIDE and not reportable_of(case.kind).hideable:
            raise TribunalError(_("This kind of case cannot be hidden."))
        if sanction == Sanction.SUSPENSION and not 1 <= suspension_days <= 365:
            raise TribunalError(_("A suspension lasts 1 to 365 days."))
        if juror.voted_at:
            raise TribunalError(_("You have already voted."))
        juror.breaches = votes
        juror.sanction = sanction
        juror.suspension_days = suspension_days if sanction == Sanction.SUSPENSION else 0
        juror.reasons = reasons
        juror.keep_room_private = keep_room_private
        juror.privacy_reason = privacy_reason if keep_room_private else ""
        juror.personal_data = personal_data
        juror.voted_at = now
        juror.save()
        record_append(
            organisation=case.organisation,
            actor=juror.member,
            action=Action.JURY_VOTED,
            subject=case_subject(case),
            payload={"round": juror.jury.round, "member": juror.member_id},
        )
        sitting = list(juror.jury.jurors.filter(recused_at__isnull=True))
        if all(j.voted_at for j in sitting):
            verdict_publish(case=case, jury=juror.jury, jurors=sitting, now=now)
    return juror


# --- verdicts and sanctions ----------------------------------------------------------------------


def verdict_of(jurors: list[Juror], rules: list[int]) -> tuple[dict[str, bool], str, int]:
    """The jury's decision from its votes: ``(breaches, sanction, suspension days)``.

    A rule is breached when a majority says so. Sanctions are ordered by severity; the verdict is
    the most severe one that a majority (expulsion: ≥ 4/5) voted for or for something harsher —
    the median juror's sanction. Suspension days are the median of the suspension votes.
    """
    n = len(jurors)
    breaches = {
        str(rule): 2 * sum(1 for j in jurors if j.breaches.get(str(rule))) > n for rule in rules
    }
    if not any(breaches.values()):
        return breaches, Sanction.NONE, 0
    rank = {sanction: index for index, sanction in enumerate(SEVERITY)}
    chosen = Sanction.WARNING
    for sanction in reversed(SEVERITY[1:]):
        support = sum(1 for j in jurors if rank[Sanction(j.sanction)] >= rank[sanction])
        needed = -(-4 * n // 5) if sanction == Sanction.EXPULSION else n // 2 + 1
        if support >= needed:
            chosen = sanction
            break
    days = 0
    if chosen == Sanction.SUSPENSION:
        lengths = sorted(j.suspension_days for j in jurors if j.sanction == Sanction.SUSPENSION)
        days = lengths[(len(lengths) - 1) // 2] if lengths else 30
    return breaches, chosen, days


def verdict_publish(*, case: Case, jury: Jury, jurors: list[Juror], now: datetime) -> Jury:
    """Publish the verdict and make its sanction take effect (called by the last vote)."""
    if case.defence_closed_at is None:  # the guarantee, checked once more where it matters
        raise TribunalError(_("No verdict before the defence period has closed."))
    breaches, sanction, days = verdict_of(jurors, case.rules_cited)
    private = [j for j in jurors if j.keep_room_private]
    jury.breaches, jury.sanction, jury.suspension_days = breaches, sanction, days
    jury.room_private = 2 * len(private) > len(jurors)
    jury.room_private_reason = (
        "\n".join(j.privacy_reason for j in private) if jury.room_private else ""
    )
    jury.decided_at = now
    jury.save()
    final = jury.round == Round.APPEAL
    case.phase = Phase.FINAL if final else Phase.DECIDED
    case.decided_at = case.decided_at or now
    case.save(update_fields=["phase", "decided_at"])
    record_append(
        organisation=case.organisation,
        actor=None,
        action=Action.VERDICT_PUBLISHED,
        subject=case_subject(case),
        payload={
            "round": jury.round,
            "final": final,
            "breaches": breaches,
            "sanction": sanction,
            "suspension_days": days,
            "room_private": jury.room_private,
            "room_private_reason": Sealed(jury.room_private_reason),
            "votes": [
                {
                    "member": j.member_id,
                    "breaches": j.breaches,
                    "sanction": j.sanction,
                    "suspension_days": j.suspension_days,
                    "reasons": Sealed(j.reasons),
                    "dissent": j.sanction != sanction or j.breaches != breaches,
                    "personal_data": j.personal_data,
                }
                for j in jurors
            ],
        },
    )
    if final:
        _sanctions_undo(case, now)
    _sanction_apply(case, sanction, days, now)
    if personal_data_found(case, breaches, jurors):
        personal_data_erase(case)
    for party in (case.accused, case.reporter):  # the reporter follows the case
        member_notify(
            party,
            case,
            "verdict",
            _("Case %(number)s: the verdict") % {"number": case.number},
        )
    return jury


def _sanction_apply(case: Case, sanction: str, days: int, now: datetime) -> None:
    organisation = case.organisation
    for measure in ContentMeasure.objects.filter(
        case=case, source=MeasureSource.INTERIM, ended_at__isnull=True
    ):
        measure_end(measure, "superseded" if sanction == Sanction.HIDE else "lifted", now)
        record_append(
            organisation=organisation,
            actor=None,
            action=Action.INTERIM_MEASURE_ENDED,
            subject=case_subject(case),
            payload={"end": measure.end},
        )
    accused = case.accused
    if sanction == Sanction.HIDE:
        ContentMeasure.objects.create(
            organisation=organisation,
            kind=case.kind,
            object_id=case.object_id,
            case=case,
            source=MeasureSource.VERDICT,
            taken_at=now,
        )
        record_append(
            organisation=organisation,
            actor=None,
            action=Action.CONTENT_HIDDEN,
            subject=case_subject(case),
            payload=content_facts(case.kind, case.object_id),
        )
    elif sanction == Sanction.WARNING and accused is not None:
        record_append(
            organisation=organisation,
            actor=None,
            action=Action.MEMBER_WARNED,
            subject=case_subject(case),
            payload={"member": accused.pk},
        )
    elif sanction == Sanction.SUSPENSION and accused is not None:
        suspension = Suspension.objects.create(
            member=accused, case=case, starts_at=now, ends_at=now + timedelta(days=days)
        )
        record_append(
            organisation=organisation,
            actor=None,
            action=Action.MEMBER_SUSPENDED,
            subject=case_subject(case),
            payload={"member": accused.pk, "until": suspension.ends_at.isoformat()},
        )
    elif sanction == Sanction.EXPULSION and accused is not None:
        member = Membership.objects.select_for_update().select_related("user").get(pk=accused.pk)
        member.status = EXPELLED
        member.left_at = now
        member.save(update_fields=["status", "left_at"])
        forget_memberships(member.user)
        record_append(
            organisation=organisation,
            actor=None,
            action=Action.MEMBER_EXPELLED,
            subject=case_subject(case),
            payload={"member": member.pk},
        )
        membership_ended(member.pk, now)  # their delegations and proxies end with it


def _sanctions_undo(case: Case, now: datetime) -> None:
    """Before the appeal verdict takes effect, undo the first verdict's sanctions."""
    for measure in ContentMeasure.objects.filter(
        case=case, source=MeasureSource.VERDICT, ended_at__isnull=True
    ):
        measure_end(measure, "reversed", now)
        record_append(
            organisation=case.organisation,
            actor=None,
            action=Action.CONTENT_RESTORED,
            subject=case_subject(case),
            payload=content_facts(case.kind, case.object_id),
        )
    for suspension in Suspension.objects.filter(case=case, lifted_at__isnull=True):
        suspension.lifted_at = now
        suspension.save(update_fields=["lifted_at"])
        record_append(
            organisation=case.organisation,
            actor=None,
            action=Action.MEMBER_SUSPENSION_LIFTED,
            subject=case_subject(case),
            payload={"member": suspension.member_id},
        )
    if case.accused_id:
        member = (
            Membership.objects.select_for_update().select_related("user").get(pk=case.accused_id)
        )
        if member.status == EXPELLED:
            member.status = MembershipStatus.ACTIVE
            member.left_at = None
            member.save(update_fields=["status", "left_at"])
            forget_memberships(member.user)
            record_append(
                organisation=case.organisation,
                actor=None,
                action=Action.MEMBER_REINSTATED,
                subject=case_subject(case),
                payload={"member": member.pk},
            )
