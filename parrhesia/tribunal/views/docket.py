"""The docket, reporting, the tribunal's settings, and a member's availability for juries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from parrhesia.kernel.access import active_membership
from parrhesia.kernel.content import UnknownContent
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import org_page, page_context
from parrhesia.orgs.selectors import conduct_code_current, members_active
from parrhesia.tribunal import forms, selectors, services
from parrhesia.tribunal.models import URGENT_LABELS

REPORT_FIELDS = ("object_id", "rules", "description", "evidence", "anonymous")
SETTINGS_FIELDS = ("jury_size", "defence_days", "jury_days", "min_membership_days", "reason")


@require_GET
def docket(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "tribunal.view_docket", hidden=True)
    settings = selectors.tribunal_settings_of(organisation)
    return render(
        request,
        "tribunal/docket.html",
        page_context(
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
    organisation = org_page(request, slug, "tribunal.report")
    kind = request.POST.get("kind") or request.GET.get("kind") or "member"
    object_id = request.POST.get("object_id") or request.GET.get("id")
    try:
        reportable, target = selectors.report_target(organisation, kind, object_id)
    except UnknownContent:
        raise Http404 from None
    code = conduct_code_current(organisation)
    me = active_membership(request.user, organisation)
    form = forms.ReportForm(
        request.POST or None,
        initial={"kind": kind, "object_id": object_id or ""},
        rules=code.rules if code else [],
        members=members_active(organisation).exclude(pk=me.pk if me else None),
    )
    submitted = form_submit(
        form,
        services.report_file,
        fields=REPORT_FIELDS,
        user=request.user,
        organisation=organisation,
        kind=kind,
    )
    if submitted.value is not None:
        number = submitted.value.number
        messages.success(request, _("Your report opened case %(n)s.") % {"n": number})
        return redirect("tribunal:case", slug=organisation.slug, number=number)
    return render(
        request,
        "tribunal/report.html",
        page_context(
            request,
            organisation,
            form=form,
            kind=kind,
            target_summary=reportable.summary_of(target) if target is not None else "",
            code=code,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def tribunal_settings(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "tribunal.change_settings")
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

    def arguments(cleaned: dict[str, Any]) -> dict[str, Any]:
        return {
            **{name: cleaned[name] for name in SETTINGS_FIELDS},
            "urgent_categories": form.categories(),
        }

    changed = form_submit(
        form,
        services.tribunal_settings_change,
        data=arguments,
        user=request.user,
        organisation=organisation,
    )
    if changed:
        messages.success(request, _("The tribunal's settings are changed, on the record."))
        return redirect("tribunal:docket", slug=organisation.slug)
    return render(request, "tribunal/settings.html", page_context(request, organisation, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def jury_availability(request: HttpRequest, slug: str) -> HttpResponse:
    """A member's own word that they cannot sit on a jury for now: only they see it."""
    organisation = org_page(request, slug, "tribunal.set_availability")
    current = selectors.jury_unavailability_of(active_membership(request.user, organisation))
    form = forms.AvailabilityForm(
        request.POST if request.method == "POST" else None,  # all unticked: an empty POST
        initial={"unavailable": current is not None, "until": current and current.until},
    )
    done = form_submit(
        form, services.jury_availability_set, user=request.user, organisation=organisation
    )
    if done:
        messages.success(request, _("Your availability for juries is saved. Nobody else sees it."))
        return redirect("tribunal:availability", slug=organisation.slug)
    return render(
        request,
        "tribunal/availability.html",
        page_context(request, organisation, form=form, current=current),
        status=400 if form.is_bound else 200,
    )
