"""The appeal: either party, within the appeal period, to a fresh jury of 2N+1 that shares no one
with the first jury or the acting stewards; its verdict (``verdicts.py``) is final."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parrhesia.methods.jury import JuryTooSmall
from parrhesia.methods.record.sealed import Sealed
from parrhesia.record.services import record_append
from parrhesia.tribunal import selectors
from parrhesia.tribunal.actions import Action
from parrhesia.tribunal.models import Case, Jury, Phase, Round
from parrhesia.tribunal.services._shared import (
    TribunalError,
    case_actor,
    case_locked,
    case_subject,
    member_on_case,
    now_or,
)
from parrhesia.tribunal.services.juries import deliberation_deadline_set, jurors_draw


def appeal_file(*, user: Any, case: Case, material: str = "", now: datetime | None = None) -> Jury:
    """Either party appeals within the appeal period, to a fresh jury of 2N+1.

    The appeal jury shares no one with the first jury or the acting stewards; its verdict is final.
    """
    now = now_or(now)
    with transaction.atomic():
        case = case_locked(case)
        # An expelled member may still appeal their expulsion: any membership of a party counts.
        member = member_on_case(user, case, "tribunal.appeal")
        settings = selectors.tribunal_settings_of(case.organisation)
        if case.decided_at and now > case.decided_at + timedelta(days=settings.appeal_days):
            raise TribunalError(_("The time to appeal has passed."))
        jury = Jury.objects.create(
            case=case,
            round=Round.APPEAL,
            size=settings.appeal_jury_size,
            drawn_at=now,
            appeal_material=material,
            appellant=member,
        )
        case.phase = Phase.APPEAL
        case.save(update_fields=["phase"])
        by_reporter = member.pk == case.reporter_id
        record_append(
            organisation=case.organisation,
            actor=None if by_reporter and case.reporter_hidden else case_actor(case, member),
            action=Action.APPEAL_FILED,
            subject=case_subject(case),
            payload={
                "appellant": "reporter" if by_reporter else "accused",
                "material": Sealed(material),
            },
        )
        try:
            jurors_draw(case, jury, label=Round.APPEAL.value, size=jury.size, now=now)
        except JuryTooSmall:
            raise TribunalError(
                _("Too few eligible members for an appeal jury of %(n)s.") % {"n": jury.size}
            ) from None
        deliberation_deadline_set(case, jury, now, days=settings.jury_days, why="appeal")
    return jury
