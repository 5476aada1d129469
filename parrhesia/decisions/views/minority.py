"""Filing and co-signing minority reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from parrhesia.decisions import services
from parrhesia.decisions.forms import MinorityReportForm
from parrhesia.decisions.models import MinorityReport
from parrhesia.decisions.services import BallotError
from parrhesia.decisions.views._shared import ballot_page
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import page_context


@login_required
@require_http_methods(["GET", "POST"])
def minority_report_new(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    organisation, ballot = ballot_page(request, slug, ballot_id)
    if not request.user.has_perm("decisions.file_minority_report", ballot):
        raise PermissionDenied
    form = MinorityReportForm(request.POST or None)
    if form_submit(form, services.minority_report_file, user=request.user, ballot=ballot):
        messages.success(request, _("Your minority report is published beside the result."))
        return redirect("decisions:detail", slug=slug, ballot_id=ballot.pk)
    return render(
        request,
        "decisions/minority.html",
        page_context(request, organisation, ballot=ballot, form=form),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def minority_report_cosign(
    request: HttpRequest, slug: str, ballot_id: int, report_id: int
) -> HttpResponse:
    """No form: a refusal is a message on the ballot's page."""
    _organisation, ballot = ballot_page(request, slug, ballot_id)
    if not request.user.has_perm("decisions.cosign_minority_report", ballot):
        raise PermissionDenied
    report = get_object_or_404(MinorityReport, pk=report_id, ballot=ballot)
    try:
        services.minority_report_cosign(user=request.user, report=report)
    except BallotError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You co-signed the minority report."))
    return redirect("decisions:detail", slug=slug, ballot_id=ballot.pk)
