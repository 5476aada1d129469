"""A secret vote's receipt, kept by the voter only: the page that shows it is never cached, the
voter downloads it as a file (the server sends back what the form holds and keeps nothing), and
after the close anyone finds a tracker among the published ballots (docs/voting.md, "Secrecy").

Both are POSTs that write nothing: a tracker or a receipt code in a URL would reach the access
log, the browser's history and any proxy's, next to the visitor's address."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from parrhesia.decisions import selectors
from parrhesia.decisions.forms import ReceiptForm, TrackerForm
from parrhesia.decisions.views._shared import ballot_page
from parrhesia.decisions.views.ballot import ballot_detail_with


@never_cache
@login_required
@require_POST
def receipt_download(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    """The receipt as a text file: the ballot, the tracker, the receipt code, what to do with
    them. Nothing is looked up or stored: it is the voter's own paper."""
    organisation, ballot = ballot_page(request, slug, ballot_id)
    if not ballot.is_secret or not request.user.has_perm("decisions.vote", ballot):
        raise PermissionDenied
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            "\n".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    text = render_to_string(
        "decisions/receipt.txt",
        {"organisation": organisation, "ballot": ballot, **form.cleaned_data},
        request=request,
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="receipt-ballot-{ballot.pk}.txt"'
    return response


@never_cache
@require_POST
def tracker_search(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    """The ballot's page with the published ballot of the tracker given (or that none has it)."""
    organisation, ballot = ballot_page(request, slug, ballot_id)
    form = TrackerForm(request.POST)
    if not form.is_valid():
        return ballot_detail_with(request, organisation, ballot, tracker_form=form, status=400)
    tracker = form.cleaned_data["tracker"]
    found = selectors.tracker_lookup(ballot, tracker)
    return ballot_detail_with(
        request, organisation, ballot, tracker_form=form, tracker_found=(tracker, found)
    )
