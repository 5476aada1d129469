"""What one may do on a case page: each action's permission (rules.py), form, service and word
of success. The case page offers an action's form where its permission holds; its URL posts the
form to its service (``cases.case_action_view``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.forms import Form
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from parrhesia.kernel.content import reportable_of
from parrhesia.tribunal import forms, selectors, services
from parrhesia.tribunal.models import Case


@dataclass(frozen=True)
class CaseAction:
    permission: str
    service: Callable[..., Any]
    success: Promise
    form: type[Form] | None = None  # None: a button, nothing to fill in
    form_kwargs: Callable[[Case], dict[str, Any]] | None = None
    # the service's arguments from the form's cleaned data (if not those very fields)
    data: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    def form_for(self, case: Case, data: Any = None, *, prefix: str) -> Form:
        kwargs = self.form_kwargs(case) if self.form_kwargs else {}
        assert self.form is not None
        return self.form(data, prefix=prefix, **kwargs)


def _defence_form(case: Case) -> dict[str, Any]:
    defence = getattr(case, "defence", None)
    return {
        "members": selectors.advocate_choices(case),
        "initial": {"statement": defence.statement, "evidence": defence.evidence}
        if defence
        else None,
    }


def _interim_form(case: Case) -> dict[str, Any]:
    return {"categories": selectors.tribunal_settings_of(case.organisation).urgent_categories}


def _vote_form(case: Case) -> dict[str, Any]:
    kind = reportable_of(case.kind)
    return {"rules": case.rules_cited, "hideable": kind.hideable, "erasable": bool(kind.erase)}


def _vote_data(cleaned: dict[str, Any]) -> dict[str, Any]:
    return {
        "breaches": {int(name[5:]): v for name, v in cleaned.items() if name.startswith("rule_")},
        "sanction": cleaned["sanction"],
        "suspension_days": cleaned["suspension_days"] or 0,
        "reasons": cleaned["reasons"],
        "keep_room_private": cleaned["keep_room_private"],
        "privacy_reason": cleaned["privacy_reason"],
        "personal_data": bool(cleaned.get("personal_data")),
    }


# In the order the case page shows them (templates/tribunal/case.html); the keys are the forms'
# prefixes and the URLs' names.
CASE_ACTIONS: dict[str, CaseAction] = {
    "interim": CaseAction(
        "tribunal.take_interim_measure",
        services.interim_measure_take,
        gettext_lazy("The content is hidden; the case page says until when."),
        forms.InterimForm,
        _interim_form,
        lambda cleaned: {"category": cleaned["category"]},
    ),
    "dismiss": CaseAction(
        "tribunal.dismiss",
        services.case_dismiss,
        gettext_lazy("The report is dismissed; the reason is on the docket."),
        forms.ReasonForm,
    ),
    "defence": CaseAction(
        "tribunal.defend_case",
        services.defence_file,
        gettext_lazy("Your defence is filed."),
        forms.DefenceForm,
        _defence_form,
    ),
    "step_down": CaseAction(
        "tribunal.step_down",
        services.advocate_step_down,
        gettext_lazy("You are no longer the advocate in this case."),
    ),
    "extend": CaseAction(
        "tribunal.extend_defence",
        services.defence_extend,
        gettext_lazy("The defence period is extended."),
    ),
    "jury_request": CaseAction(
        "tribunal.request_jury",
        services.case_jury_request,
        gettext_lazy("The case goes to a jury after all."),
    ),
    "confirm": CaseAction(
        "tribunal.confirm_interim_measure",
        services.interim_measure_confirm,
        gettext_lazy("Your vote on the interim measure is counted."),
        forms.ConfirmForm,
    ),
    "anonymity": CaseAction(
        "tribunal.decide_anonymity",
        services.anonymity_decide,
        gettext_lazy("Your vote on anonymity is counted."),
        forms.AnonymityForm,
    ),
    "vote": CaseAction(
        "tribunal.vote_in_jury",
        services.jury_vote,
        gettext_lazy("Your vote is cast."),
        forms.VoteForm,
        _vote_form,
        data=_vote_data,
    ),
    "room": CaseAction(
        "tribunal.post_in_room",
        services.room_post,
        gettext_lazy("Message posted in the jury room."),
        forms.MessageForm,
    ),
    "recuse": CaseAction(
        "tribunal.recuse",
        services.juror_recuse,
        gettext_lazy("You have recused yourself; a replacement was drawn."),
        forms.ReasonForm,
    ),
    "appeal": CaseAction(
        "tribunal.appeal",
        services.appeal_file,
        gettext_lazy("Your appeal is filed; an appeal jury was drawn."),
        forms.AppealForm,
    ),
    "conflict": CaseAction(
        "tribunal.declare_conflict",
        services.conflict_declare,
        gettext_lazy("Your conflict is declared: you will not be drawn for this case."),
        forms.ReasonForm,
    ),
}
