"""The tribunal's settings: an admin changes them, on the record, with a reason."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parrhesia.kernel.access import member_for
from parrhesia.methods.record.sealed import Sealed
from parrhesia.orgs.models import Organisation
from parrhesia.record.services import record_append
from parrhesia.tribunal.actions import Action
from parrhesia.tribunal.models import TribunalSettings
from parrhesia.tribunal.services._shared import TribunalError


def tribunal_settings_change(
    *,
    user: Any,
    organisation: Organisation,
    jury_size: int,
    defence_days: int,
    urgent_categories: list[str],
    reason: str,
    min_membership_days: int = 30,
    jury_days: int | None = None,
) -> TribunalSettings:
    """Change the settings, on the record; ``jury_days=None`` keeps the jury's time to decide."""
    if jury_size < 1 or jury_size % 2 == 0:
        raise TribunalError(_("A jury has an odd number of jurors."))
    if not 1 <= defence_days <= 60:
        raise TribunalError(_("The defence period is 1 to 60 days."))
    if jury_days is not None and not 2 <= jury_days <= 60:
        raise TribunalError(_("A jury has 2 to 60 days to decide."))
    if not reason.strip():
        raise TribunalError(_("Say why the tribunal's settings change."))
    with transaction.atomic():
        admin = member_for(user, organisation, "tribunal.change_settings")
        settings, _created = TribunalSettings.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        settings.jury_size = jury_size
        settings.defence_days = defence_days
        settings.min_membership_days = min_membership_days
        if jury_days is not None:
            settings.jury_days = jury_days
        settings.urgent_categories = list(urgent_categories)
        settings.save()
        record_append(
            organisation=organisation,
            actor=admin,
            action=Action.SETTINGS_CHANGED,
            subject=("tribunal", organisation.slug),
            payload={
                "jury_size": jury_size,
                "appeal_jury_size": settings.appeal_jury_size,
                "defence_days": defence_days,
                "min_membership_days": min_membership_days,
                "jury_days": settings.jury_days,
                "urgent_categories": list(urgent_categories),
                "reason": Sealed(reason),  # free text: it can be erased
            },
        )
    return settings
