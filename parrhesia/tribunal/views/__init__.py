"""Tribunal pages: the docket, reporting and the settings (``docket``), a case with its notice
and the forms of what one may do there (``cases``, ``case_actions``), the transparency report
(``transparency``)."""

from parrhesia.tribunal.views.cases import (
    case_anonymity,
    case_appeal,
    case_confirm,
    case_conflict,
    case_defence,
    case_detail,
    case_dismiss,
    case_extend,
    case_interim,
    case_jury_request,
    case_recuse,
    case_room,
    case_step_down,
    case_vote,
)
from parrhesia.tribunal.views.docket import docket, jury_availability, report, tribunal_settings
from parrhesia.tribunal.views.transparency import (
    transparency,
    transparency_csv,
    transparency_json,
)

__all__ = [
    "case_anonymity",
    "case_appeal",
    "case_confirm",
    "case_conflict",
    "case_defence",
    "case_detail",
    "case_dismiss",
    "case_extend",
    "case_step_down",
    "case_interim",
    "case_jury_request",
    "case_recuse",
    "case_room",
    "case_vote",
    "docket",
    "jury_availability",
    "report",
    "transparency",
    "transparency_csv",
    "transparency_json",
    "tribunal_settings",
]
