"""What every write of the tribunal shares: the error a step raises when it cannot happen as
asked, the acting member (through the case's permissions in rules.py), the case locked for the
step, the case as the subject of its record entries, the juror's seat locked for their vote, the
end of a measure that hid content (lifted, lapsed, superseded or reversed), the personal notice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from parrhesia.kernel.errors import DomainError
from parrhesia.notifications.services import notify_by_mail
from parrhesia.orgs.models import Membership
from parrhesia.tribunal.models import Case, ContentMeasure, Juror, Jury
from parrhesia.tribunal.rules import case_refusal
from parrhesia.tribunal.selectors import case_facts_for, case_facts_forget


class TribunalError(DomainError):
    """A step of the procedure that cannot happen as asked; the message says why."""


def now_or(now: datetime | None) -> datetime:
    """The time a step happens at: the one given (tests, the due-work sweep), or now."""
    return now or timezone.now()


def case_locked(case: Case) -> Case:
    """The case's row, fresh and locked until the transaction ends (every step locks it first)."""
    return Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)


def case_subject(case: Case) -> tuple[str, int]:
    """The case as the subject of its record entries."""
    return ("case", case.number)


def case_actor(case: Case, member: Membership) -> Membership | None:
    """Who a party's act on the record names: nobody for a hidden reporter or an accused known
    by a pseudonym (their act is still the party's: ``accused`` or ``reporter`` in the payload
    where it matters), the member otherwise."""
    if member.pk == case.reporter_id and case.reporter_hidden:
        return None
    if member.pk == case.accused_id and case.accused_hidden:
        return None
    return member


def member_on_case(user: Any, case: Case, permission: str, *, who_only: bool = False) -> Membership:
    """The member acting on the case, if ``permission`` (rules.py) lets them, as the case stands.

    Otherwise the first of its conditions that does not hold decides: :class:`PermissionDenied`
    for who they are, :class:`TribunalError` with its reason for where the case stands.
    ``who_only``: only who they are (a service that checks what they ask for before where the
    case stands asks again without it).
    """
    case_facts_forget(case)
    refused = case_refusal(user, case, permission, who_only=who_only)
    if refused is not None:
        if refused.reason is None:
            raise PermissionDenied
        raise TribunalError(str(refused.reason))
    membership = case_facts_for(case, user).membership
    assert membership is not None  # every case permission asks who the person is first
    return membership


def juror_locked(case: Case, member: Membership, round: str | None = None) -> Juror:
    """The member's sitting seat on the case's undecided jury (of ``round``), locked for their
    vote; :class:`PermissionDenied` if they have none (any more)."""
    juries = Jury.objects.filter(case=case, decided_at__isnull=True)
    if round is not None:
        juries = juries.filter(round=round)
    juror = (
        Juror.objects.select_for_update()
        .select_related("jury", "member")
        .filter(jury__in=juries, member=member, recused_at__isnull=True)
        .first()
    )
    if juror is None:
        raise PermissionDenied
    return juror


def measure_end(measure: ContentMeasure, end: str, now: datetime) -> None:
    """End a measure (``end``: a key of ``models.MEASURE_ENDS``); the row stays as history."""
    measure.ended_at = now
    measure.end = end
    measure.save(update_fields=["ended_at", "end"])


def member_notify(
    membership: Membership | None, case: Case, kind: str, subject: str, **params: Any
) -> None:
    """Personal notice to a member about a case (the docket is the public one), in the app and
    by e-mail at once (``notifications.services.notify_by_mail``)."""
    notify_by_mail(
        membership,
        kind=kind,
        params={"number": case.number, **params},
        url=reverse("tribunal:case", args=[case.organisation.slug, case.number]),
        subject=subject,
    )
