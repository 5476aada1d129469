"""Tribunal pages: the docket, a case with its notice and forms, reporting, the transparency report.

Each action posts to its own URL, calls one service, and comes back to the case page; a refused
action re-renders the case page with the error on its form.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parrhesia.kernel.content import UnknownContent, reportable_of
from parrhesia.kernel.pages import organisation_visible
from parrhesia.orgs.models import ConductCode, Membership, Organisation
from parrhesia.orgs.rules import active_membership
from parrhesia.orgs.selectors import conduct_code_current, members_active
from parrhesia.tribunal import forms, juries, selectors, services, verdicts
from parrhesia.tribunal.models import URGENT_LABELS, Case, MeasureSource, Phase, Round
from parrhesia.tribunal.procedure import TribunalError
from parrhesia.tribunal.transparency import SANCTIONS, report_rows


def _context(request: HttpRequest, organisation: Organisation, **extra: Any) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "membership": active_membership(request.user, organisation),
        **extra,
    }


def _org(request: HttpRequest, slug: str) -> Organisation:
    organisation = organisation_visible(request.user, slug)
    if not request.user.has_perm("tribunal.view_docket", organisation):
        raise Http404
    return organisation


def _party_org(request: HttpRequest, slug: str, number: int) -> Organisation:
    """The organisation, also for a party who is no longer a member (e.g. expelled, to appeal)."""
    try:
        return _org(request, slug)
    except Http404:
        if not request.user.is_authenticated:
            raise
        organisation = Organisation.objects.filter(slug=slug).first()
        membership = Membership.objects.filter(organisation=organisation, user=request.user).first()
        case = Case.objects.filter(organisation=organisation, number=number).first()
        if membership is None or case is None or case.accused_id != membership.pk:
            raise
        return organisation  # type: ignore[return-value]


@require_GET
def docket(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug)
    settings = selectors.tribunal_settings_of(organisation)
    return render(
        request,
        "tribunal/docket.html",
        _context(
            request,
            organisation,
            cases=selectors.cases_docket(organisation),
            settings=settings,
            urgent=[URGENT_LABELS.get(c, c) for c in settings.urgent_categories],
            can_report=request.user.has_perm("tribunal.report", organisation),
            can_configure=request.user.has_perm("tribunal.change_settings", organisation),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug)
    if not request.user.has_perm("tribunal.report", organisation):
        raise PermissionDenied
    code = conduct_code_current(organisation)
    kind = request.POST.get("kind") or request.GET.get("kind") or "member"
    try:
        reportable = reportable_of(kind)
    except UnknownContent:
        raise Http404 from None
    target = None
    object_id = request.POST.get("object_id") or request.GET.get("id")
    if kind != "member" and object_id:
        try:
            target = reportable.get(object_id)
        except UnknownContent:
            raise Http404 from None
        if reportable.organisation_of(target).pk != organisation.pk:
            raise Http404
    me = active_membership(request.user, organisation)
    form = forms.ReportForm(
        request.POST or None,
        initial={"kind": kind, "object_id": object_id or ""},
        rules=code.rules if code else [],
        members=members_active(organisation).exclude(pk=me.pk if me else None),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.report_file(
                user=request.user,
                organisation=organisation,
                kind=kind,
                object_id=data["object_id"],
                rules=data["rules"],
                description=data["description"],
                evidence=data["evidence"],
                anonymous=data["anonymous"],
            )
        except (TribunalError, UnknownContent) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your report opened case %(n)s.") % {"n": case.number})
            return redirect("tribunal:case", slug=organisation.slug, number=case.number)
    return render(
        request,
        "tribunal/report.html",
        _context(
            request,
            organisation,
            form=form,
            kind=kind,
            target_summary=reportable.summary_of(target) if target is not None else "",
            code=code,
        ),
    )


def _case_page(
    request: HttpRequest, organisation: Organisation, number: int, **bound: Form
) -> HttpResponse:
    case = selectors.case_get(organisation, number)
    me = (
        Membership.objects.filter(organisation=organisation, user=request.user).first()
        if (request.user.is_authenticated)
        else None
    )
    active = active_membership(request.user, organisation)
    jury = selectors.jury_current(case)
    first = selectors.jury_first(case)
    seat = selectors.juror_seat(jury, active) if jury and jury.decided_at is None else None
    settings = selectors.tribunal_settings_of(organisation)
    reportable = reportable_of(case.kind)
    try:
        target = reportable.get(case.object_id)
        target_url = reportable.url_of(target)
    except UnknownContent:
        target_url = ""
    code = ConductCode.objects.filter(organisation=organisation, version=case.code_version).first()
    rules = [r for r in (code.rules if code else []) if r["number"] in case.rules_cited]
    measures = list(case.measures.order_by("taken_at"))
    interim = next(
        (m for m in measures if m.source == MeasureSource.INTERIM and m.ended_at is None), None
    )
    defence = getattr(case, "defence", None) if hasattr(case, "defence") else None
    is_accused = me is not None and me.pk == case.accused_id
    is_reporter = me is not None and me.pk == case.reporter_id
    is_steward = request.user.has_perm("tribunal.dismiss", organisation)
    defence_open = case.phase == Phase.DEFENCE and case.defence_closed_at is None
    others = members_active(organisation).exclude(pk__in=case.party_ids)
    now = timezone.now()
    appeal_open = (
        case.phase == Phase.DECIDED
        and (is_accused or is_reporter)
        and case.decided_at is not None
        and now <= case.decided_at + timezone.timedelta(days=settings.appeal_days)
    )
    show_room = jury is not None and (
        seat is not None or (jury.decided_at and not jury.room_private)
    )
    context = _context(
        request,
        organisation,
        case=case,
        juries=list(case.juries.all()),
        jury=jury,
        first=first,
        seat=seat,
        rules=rules,
        target_url=target_url,
        measures=measures,
        interim=interim,
        defence=defence,
        is_accused=is_accused,
        is_reporter=is_reporter,
        reporter_visible=not case.reporter_hidden or is_reporter,
        settings=settings,
        room=list(jury.messages.select_related("juror__member__user")) if show_room else None,
        appeal_deadline=(
            case.decided_at + timezone.timedelta(days=settings.appeal_days)
            if case.decided_at
            else None
        ),
        forms={
            "dismiss": bound.get("dismiss")
            or (
                forms.ReasonForm(prefix="dismiss")
                if is_steward
                and case.phase == Phase.DEFENCE
                and not case.juries.exists()
                and not (active and active.pk in case.party_ids)
                else None
            ),
            "interim": bound.get("interim")
            or (
                forms.InterimForm(categories=settings.urgent_categories, prefix="interim")
                if is_steward
                and defence_open
                and reportable.hideable
                and interim is None
                and not (active and active.pk in case.party_ids)
                else None
            ),
            "defence": bound.get("defence")
            or (
                forms.DefenceForm(
                    prefix="defence",
                    members=others,
                    initial={"statement": defence.statement, "evidence": defence.evidence}
                    if defence
                    else None,
                )
                if is_accused and defence_open
                else None
            ),
            "extend": is_accused and defence_open and not case.defence_extended,
            "jury_request": is_reporter and case.phase == Phase.DISMISSED,
            "conflict": bound.get("conflict")
            or (
                forms.ReasonForm(prefix="conflict")
                if active
                and active.pk not in case.party_ids
                and case.phase in (Phase.DEFENCE, Phase.DELIBERATION, Phase.DECIDED)
                and not case.conflicts.filter(member=active).exists()
                and seat is None
                else None
            ),
            "recuse": bound.get("recuse")
            or (forms.ReasonForm(prefix="recuse") if seat and not seat.voted_at else None),
            "room": bound.get("room") or (forms.MessageForm(prefix="room") if seat else None),
            "confirm": bound.get("confirm")
            or (
                forms.ConfirmForm(prefix="confirm")
                if seat
                and jury
                and jury.round == Round.FIRST
                and interim
                and not interim.confirmed_at
                else None
            ),
            "anonymity": bound.get("anonymity")
            or (
                forms.AnonymityForm(prefix="anonymity")
                if seat
                and case.anonymity_requested
                and case.anonymity_granted is None
                and seat.grants_anonymity is None
                else None
            ),
            "vote": bound.get("vote")
            or (
                forms.VoteForm(rules=case.rules_cited, hideable=reportable.hideable, prefix="vote")
                if seat
                and case.defence_closed_at
                and not seat.voted_at
                and not (case.anonymity_requested and case.anonymity_granted is None)
                else None
            ),
            "appeal": bound.get("appeal")
            or (forms.AppealForm(prefix="appeal") if appeal_open else None),
        },
    )
    return render(request, "tribunal/case.html", context)


@require_GET
def case_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    organisation = _party_org(request, slug, number)
    return _case_page(request, organisation, number)


def _case_action(
    form_class: Callable[..., Form] | None,
    name: str,
    act: Callable[[HttpRequest, Case, dict[str, Any]], Any],
    success: str | Promise,
    form_kwargs: Callable[[Case], dict[str, Any]] | None = None,
) -> Callable[..., HttpResponse]:
    """A POST-only view: validate the form, call the service, come back to the case."""

    @login_required
    @require_POST
    def view(request: HttpRequest, slug: str, number: int) -> HttpResponse:
        organisation = _party_org(request, slug, number)
        case = selectors.case_get(organisation, number)
        form = None
        if form_class is not None:
            form = form_class(
                request.POST, prefix=name, **(form_kwargs(case) if form_kwargs else {})
            )
            if not form.is_valid():
                return _case_page(request, organisation, number, **{name: form})
        try:
            act(request, case, form.cleaned_data if form is not None else {})
        except TribunalError as error:
            if form is None:
                messages.error(request, str(error))
                return redirect("tribunal:case", slug=slug, number=number)
            form.add_error(None, str(error))
            return _case_page(request, organisation, number, **{name: form})
        messages.success(request, success)
        return redirect("tribunal:case", slug=slug, number=number)

    view.__name__ = f"case_{name}"
    return view


def _members(case: Case) -> dict[str, Any]:
    return {"members": members_active(case.organisation).exclude(pk__in=case.party_ids)}


def _vote_kwargs(case: Case) -> dict[str, Any]:
    return {"rules": case.rules_cited, "hideable": reportable_of(case.kind).hideable}


def _categories(case: Case) -> dict[str, Any]:
    return {"categories": selectors.tribunal_settings_of(case.organisation).urgent_categories}


def _vote(request: HttpRequest, case: Case, data: dict[str, Any]) -> Any:
    breaches = {n: data[f"rule_{n}"] for n in case.rules_cited}
    return verdicts.jury_vote(
        user=request.user,
        case=case,
        breaches=breaches,
        sanction=data["sanction"],
        suspension_days=data["suspension_days"] or 0,
        reasons=data["reasons"],
        keep_room_private=data["keep_room_private"],
        privacy_reason=data["privacy_reason"],
    )


case_dismiss = _case_action(
    forms.ReasonForm,
    "dismiss",
    lambda r, c, d: services.case_dismiss(user=r.user, case=c, reason=d["reason"]),
    gettext_lazy("The report is dismissed; the reason is on the docket."),
)
case_jury_request = _case_action(
    None,
    "jury_request",
    lambda r, c, d: services.case_jury_request(user=r.user, case=c),
    gettext_lazy("The case goes to a jury after all."),
)
case_interim = _case_action(
    forms.InterimForm,
    "interim",
    lambda r, c, d: services.interim_measure_take(user=r.user, case=c, category=d["category"]),
    gettext_lazy("The content is hidden until a jury confirms or the measure lapses."),
    _categories,
)
case_defence = _case_action(
    forms.DefenceForm,
    "defence",
    lambda r, c, d: services.defence_file(
        user=r.user,
        case=c,
        statement=d["statement"],
        evidence=d["evidence"],
        advocate=d["advocate"],
        answered=d["answered"],
    ),
    gettext_lazy("Your defence is filed."),
    _members,
)
case_extend = _case_action(
    None,
    "extend",
    lambda r, c, d: services.defence_extend(user=r.user, case=c),
    gettext_lazy("The defence period is extended."),
)
case_conflict = _case_action(
    forms.ReasonForm,
    "conflict",
    lambda r, c, d: services.conflict_declare(user=r.user, case=c, reason=d["reason"]),
    gettext_lazy("Your conflict is declared: you will not be drawn for this case."),
)
case_recuse = _case_action(
    forms.ReasonForm,
    "recuse",
    lambda r, c, d: juries.juror_recuse(user=r.user, case=c, reason=d["reason"]),
    gettext_lazy("You have recused yourself; a replacement was drawn."),
)
case_room = _case_action(
    forms.MessageForm,
    "room",
    lambda r, c, d: verdicts.room_post(user=r.user, case=c, text=d["text"]),
    gettext_lazy("Message posted in the jury room."),
)
case_confirm = _case_action(
    forms.ConfirmForm,
    "confirm",
    lambda r, c, d: services.interim_measure_confirm(user=r.user, case=c, confirm=d["confirm"]),
    gettext_lazy("Your vote on the interim measure is counted."),
)
case_anonymity = _case_action(
    forms.AnonymityForm,
    "anonymity",
    lambda r, c, d: verdicts.anonymity_decide(
        user=r.user, case=c, grant=d["grant"], reason=d["reason"]
    ),
    gettext_lazy("Your vote on anonymity is counted."),
)
case_vote = _case_action(
    forms.VoteForm, "vote", _vote, gettext_lazy("Your vote is cast."), _vote_kwargs
)
case_appeal = _case_action(
    forms.AppealForm,
    "appeal",
    lambda r, c, d: verdicts.appeal_file(user=r.user, case=c, material=d["material"]),
    gettext_lazy("Your appeal is filed; an appeal jury was drawn."),
)


# --- transparency report ------------------------------------------------------------------------

# The report's keys are codes (they are the CSV's and the JSON's); the page says them in words.
INTERIM_LABELS = {
    "taken": gettext_lazy("Interim measures taken"),
    "confirmed": gettext_lazy("Interim measures confirmed by the jury"),
    "lifted": gettext_lazy("Interim measures lifted"),
    "lapsed": gettext_lazy("Interim measures lapsed"),
}
INITIATOR_LABELS = {
    "member": pgettext_lazy("case initiated by", "a member"),
    "steward": pgettext_lazy("case initiated by", "a steward"),
    "anonymous": pgettext_lazy("case initiated by", "a member who asked for anonymity"),
}


def _bars(section: dict[str, int], labels: dict[str, str]) -> list[dict[str, Any]]:
    top = max(section.values(), default=0) or 1
    return [
        {
            "label": labels.get(key, key),
            "value": value,
            "width": round(300 * value / top),
            "y": i * 28,
        }
        for i, (key, value) in enumerate(section.items())
    ]


@require_GET
def transparency(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug)
    report = selectors.transparency_of(organisation)
    from parrhesia.tribunal.models import Sanction

    labels = {value: str(label) for value, label in Sanction.choices}
    return render(
        request,
        "tribunal/transparency.html",
        _context(
            request,
            organisation,
            report=report,
            outcome_bars=_bars(report["outcomes"], labels),
            interim_rows=[
                (str(INTERIM_LABELS.get(how, how)), count)
                for how, count in report["interim_measures"].items()
            ],
            initiator_rows=[
                (str(INITIATOR_LABELS.get(initiator, initiator)), count)
                for initiator, count in report["cases_by_initiator"].items()
            ],
            chart_height=28 * len(SANCTIONS),
            labels=labels,
        ),
    )


@require_GET
def transparency_json(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug)
    return JsonResponse(selectors.transparency_of(organisation))


@require_GET
def transparency_csv(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "item", "value"])
    writer.writerows(report_rows(selectors.transparency_of(organisation)))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-transparency.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def tribunal_settings(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug)
    if not request.user.has_perm("tribunal.change_settings", organisation):
        raise PermissionDenied
    current = selectors.tribunal_settings_of(organisation)
    known = set(URGENT_LABELS)
    form = forms.SettingsForm(
        request.POST or None,
        initial={
            "jury_size": current.jury_size,
            "defence_days": current.defence_days,
            "jury_days": current.jury_days,
            "min_membership_days": current.min_membership_days,
            "urgent_categories": [c for c in current.urgent_categories if c in known],
            "other_categories": "\n".join(c for c in current.urgent_categories if c not in known),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.tribunal_settings_change(
                user=request.user,
                organisation=organisation,
                jury_size=form.cleaned_data["jury_size"],
                defence_days=form.cleaned_data["defence_days"],
                jury_days=form.cleaned_data["jury_days"],
                min_membership_days=form.cleaned_data["min_membership_days"],
                urgent_categories=form.categories(),
                reason=form.cleaned_data["reason"],
            )
        except TribunalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The tribunal's settings are changed, on the record."))
            return redirect("tribunal:docket", slug=organisation.slug)
    return render(request, "tribunal/settings.html", _context(request, organisation, form=form))
