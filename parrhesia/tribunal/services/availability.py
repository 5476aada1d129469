"""A member's availability for juries: their private word, read by the lot alone.

A member may say they cannot sit on a jury for now (until a date, or until they say otherwise).
The lot passes over them as over a hidden reporter, and a draw's ``withheld`` counts them, so that
a member the lot passes over is "unavailable, or a hidden party" rather than the reporter
(docs/tribunal.md §4). Deliberately the one write of the tribunal that is not on the record, as a
member's notification settings are not: an entry would name who is unavailable, and a passed-over
member would again be the reporter. Nobody else sees it; its effect on the record is a number.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.kernel.access import member_for
from parrhesia.orgs.models import Organisation
from parrhesia.tribunal.models import JuryUnavailability
from parrhesia.tribunal.services._shared import TribunalError, now_or


def jury_availability_set(
    *,
    user: Any,
    organisation: Organisation,
    unavailable: bool,
    until: date | None = None,
    now: datetime | None = None,
) -> JuryUnavailability | None:
    """Say (``unavailable``) or take back that one cannot sit on a jury; ``until`` is the last
    day it holds (today or later), None for until taken back. Draws already made stand: a juror
    who is seated recuses, on the record, as before. Returns the standing word, if any."""
    now = now_or(now)
    if not unavailable:
        until = None
    elif until is not None and until < timezone.localdate(now):
        raise TribunalError(_("That day is past: choose today or a later day."))
    with transaction.atomic():
        member = member_for(user, organisation, "tribunal.set_availability")
        if not unavailable:
            JuryUnavailability.objects.filter(member=member).delete()
            return None
        word, _created = JuryUnavailability.objects.update_or_create(
            member=member, defaults={"until": until, "set_at": now}
        )
    return word
