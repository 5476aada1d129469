"""Every write of the tribunal: one keyword-only function per step of a case, each on the record.

Each runs in one transaction, checks permission (``kernel.access.member_for`` on the
organisation; on a case, the case's permissions in rules.py through ``_shared.member_on_case``),
and appends its entry to the organisation's public record in that same transaction — except what
anonymity protects: a reporter whose identity is withheld is never an actor or a payload member
of any entry.

One module per part of the procedure: ``settings``; ``reports`` (the report, its dismissal,
conflicts of interest); ``measures`` (interim measures); ``defence`` (filed, extended, closed:
no verdict before it closes); ``juries`` (drawn by lot, recused from, replaced, given
deadlines); ``verdicts`` (the jury room, anonymity, votes, the verdict and its sanctions);
``appeals``; ``availability`` (a member's private word that they cannot sit on a jury: the one
write kept off the record). ``_shared`` holds what they share. Callers use this package: ``from
parrhesia.tribunal import services``. Reads are in ``tribunal.selectors``.
"""

from parrhesia.tribunal.services._shared import TribunalError
from parrhesia.tribunal.services.appeals import appeal_file
from parrhesia.tribunal.services.availability import jury_availability_set
from parrhesia.tribunal.services.defence import (
    advocate_step_down,
    defence_close_due,
    defence_extend,
    defence_file,
)
from parrhesia.tribunal.services.juries import (
    juries_draw_due,
    juror_recuse,
    jury_deadlines_due,
    jury_draw,
)
from parrhesia.tribunal.services.measures import (
    interim_measure_confirm,
    interim_measure_take,
    interim_measures_lapse_due,
)
from parrhesia.tribunal.services.reports import (
    case_dismiss,
    case_jury_request,
    conflict_declare,
    report_file,
)
from parrhesia.tribunal.services.settings import tribunal_settings_change
from parrhesia.tribunal.services.verdicts import (
    anonymity_decide,
    jury_vote,
    room_post,
    verdict_of,
    verdict_publish,
)

__all__ = [
    "TribunalError",
    "advocate_step_down",
    "anonymity_decide",
    "appeal_file",
    "case_dismiss",
    "case_jury_request",
    "conflict_declare",
    "defence_close_due",
    "defence_extend",
    "defence_file",
    "interim_measure_confirm",
    "interim_measure_take",
    "interim_measures_lapse_due",
    "juries_draw_due",
    "jury_availability_set",
    "juror_recuse",
    "jury_deadlines_due",
    "jury_draw",
    "jury_vote",
    "report_file",
    "room_post",
    "tribunal_settings_change",
    "verdict_of",
    "verdict_publish",
]
