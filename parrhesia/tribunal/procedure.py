"""What every write of the tribunal shares, in ``services.py`` (the steps of a case up to the
jury), ``juries.py`` (drawing juries, their recusals and their deadlines) and ``verdicts.py`` (what
the jury decides, and the appeal): the error a step raises when it cannot happen as asked, the
acting member, the case locked for the step, the case as the subject of its record entries, tasks
enqueued for a deadline once the step commits, the end of a measure that hid content (lifted,
lapsed, superseded or reversed), the personal notice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from parrhesia.notifications.services import notify_by_mail
from parrhesia.orgs.models import Membership, Organisation
from parrhesia.orgs.rules import active_membership
from parrhesia.tribunal.models import Case, ContentMeasure


class TribunalError(Exception):
    """A step of the procedure that cannot happen as asked; the message says why."""


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _member(user: Any, organisation: Organisation, permission: str) -> Membership:
    if not user.has_perm(permission, organisation):
        raise PermissionDenied
    membership = active_membership(user, organisation)
    if membership is None:
        raise PermissionDenied
    return membership


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)


def _subject(case: Case) -> tuple[str, int]:
    return ("case", case.number)


def _after_commit_enqueue(task_name: str, when: datetime, *args: Any) -> None:
    def enqueue() -> None:
        from parrhesia.tribunal import tasks
        from parrhesia.web.scheduling import task_enqueue_at

        task_enqueue_at(getattr(tasks, task_name), when, *args)

    transaction.on_commit(enqueue, robust=True)


def _measure_end(measure: ContentMeasure, end: str, now: datetime) -> None:
    measure.ended_at = now
    measure.end = end
    measure.save(update_fields=["ended_at", "end"])


def _notify(
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
