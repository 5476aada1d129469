"""The record page, its JSON endpoints (docs/record.md §HTTP) and the downloads."""

from __future__ import annotations

import functools
import logging
import tempfile
from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from parrhesia.kernel.content import subject_url
from parrhesia.kernel.pages import organisation_visible, page_context
from parrhesia.methods.record.checkpoint import parse_checkpoint_body
from parrhesia.record import selectors
from parrhesia.record.checkpoints import SigningKeyMissing, checkpoint_latest, signer_load
from parrhesia.record.exports import (
    RecordEmpty,
    entry_openings,
    member_download_write,
    record_export_write,
)
from parrhesia.record.forms import TimelineFilterForm

PAGE_SIZE = 50
log = logging.getLogger(__name__)


def _signing_key_guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A server without the organisation's signing key answers 503 with the fix, not a crash."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except SigningKeyMissing as error:
            log.error("%s", error)
            message = _(
                "This server cannot sign the record right now: the organisation's signing key "
                "is missing. The operator must restore the key directory (PARRHESIA_KEY_DIR)."
            )
            if request.path.endswith(("/checkpoint", "/entries", "/inclusion", "/consistency")):
                return JsonResponse({"error": str(message)}, status=503)
            return render(request, "record/unavailable.html", {"message": message}, status=503)

    return guarded


MAX_RANGE = 1000


def _actor_names(request: HttpRequest, organisation: Any) -> dict[int, str]:
    """The actors' names for whoever may see the member list (orgs.view_members); anyone else
    reads the record by member id only, as the export has it."""
    if not request.user.has_perm("orgs.view_members", organisation):
        return {}
    return selectors.actor_names(organisation)


@require_http_methods(["GET"])
@_signing_key_guard
def record_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_visible(request.user, slug)
    names = _actor_names(request, organisation)
    form = TimelineFilterForm(
        request.GET or None,
        actions=selectors.action_names(organisation),
        actors=sorted(names.items(), key=lambda item: item[1].lower()),
        kinds=selectors.subject_kinds(organisation),
    )
    page = Paginator(selectors.entries_filtered(organisation, form.criteria()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    entries = [
        {
            "entry": entry,
            "actor_name": names.get(entry.actor) if entry.actor is not None else None,
            "subject_url": subject_url(organisation, entry.subject_kind, entry.subject_id),
            "leaf_hex": bytes(entry.leaf_hash).hex(),
        }
        for entry in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "record/page.html",
        page_context(
            request,
            organisation,
            form=form,
            page=page,
            entries=entries,
            query=query.urlencode(),
            size=selectors.record_size(organisation),
            activity=selectors.activity_by_week(organisation),
            chart_width=12 * selectors.BAR_STEP,
            verifier_key=signer_load(organisation).verifier_key,
        ),
    )


@require_http_methods(["GET"])
@_signing_key_guard
def record_entry(request: HttpRequest, slug: str, seq: int) -> HttpResponse:
    organisation = organisation_visible(request.user, slug)
    entry = selectors.entry_at(organisation, seq)
    checkpoint = checkpoint_latest(organisation)
    assert checkpoint is not None  # the record holds at least this entry
    proof = selectors.inclusion(organisation, seq, checkpoint.size)
    return render(
        request,
        "record/entry.html",
        page_context(
            request,
            organisation,
            entry=entry,
            canonical=bytes(entry.canonical).decode("utf-8"),
            openings=sorted(entry_openings(entry.openings, entry.payload).items()),
            actor_name=(
                _actor_names(request, organisation).get(entry.actor) if entry.actor else None
            ),
            subject_url=subject_url(organisation, entry.subject_kind, entry.subject_id),
            proof=proof,
            checkpoint=checkpoint,
            verifier_key=signer_load(organisation).verifier_key,
        ),
    )


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _int_params(request: HttpRequest, *names: str) -> list[int] | JsonResponse:
    values = []
    for name in names:
        raw = request.GET.get(name)
        if raw is None:
            return _error(f"the query parameter '{name}' is required")
        try:
            values.append(int(raw))
        except ValueError:
            return _error(f"'{name}' must be a whole number, not {raw!r}")
    return values


@require_http_methods(["GET"])
@_signing_key_guard
def api_checkpoint(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_visible(request.user, slug)
    checkpoint = checkpoint_latest(organisation)
    if checkpoint is None:
        return _error("the record has no entry yet", status=404)
    if request.GET.get("format") == "note":
        return HttpResponse(checkpoint.note, content_type="text/plain; charset=utf-8")
    origin, size, root = parse_checkpoint_body(checkpoint.note.split("\n\n", 1)[0] + "\n")
    return JsonResponse(
        {
            "origin": origin,
            "size": size,
            "root": selectors.b64(root),
            "note": checkpoint.note,
            "verifier_key": signer_load(organisation).verifier_key,
            "signed_at": checkpoint.signed_at.isoformat(),
        }
    )


@require_http_methods(["GET"])
@_signing_key_guard
def api_entries(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_visible(request.user, slug)
    params = _int_params(request, "start", "end")
    if isinstance(params, JsonResponse):
        return params
    start, end = params
    if start < 0 or end < start:
        return _error("want 0 <= start <= end")
    end = min(end, start + MAX_RANGE, selectors.record_size(organisation))
    entries = selectors.entries_range(organisation, start, end)
    return JsonResponse(
        {"start": start, "end": start + len(entries), "entries": [e.decode() for e in entries]}
    )


@require_http_methods(["GET"])
@_signing_key_guard
def api_inclusion(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_visible(request.user, slug)
    params = _int_params(request, "index", "size")
    if isinstance(params, JsonResponse):
        return params
    try:
        return JsonResponse(selectors.inclusion(organisation, *params))
    except selectors.ProofRequestError as error:
        return _error(str(error))


@require_http_methods(["GET"])
@_signing_key_guard
def api_consistency(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_visible(request.user, slug)
    params = _int_params(request, "old", "new")
    if isinstance(params, JsonResponse):
        return params
    try:
        return JsonResponse(selectors.consistency(organisation, *params))
    except selectors.ProofRequestError as error:
        return _error(str(error))


def _spooled() -> Any:
    return tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)


@require_http_methods(["GET"])
@_signing_key_guard
def record_export(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_visible(request.user, slug)
    handle = _spooled()
    try:
        record_export_write(organisation, handle)
    except RecordEmpty:
        raise Http404 from None
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{organisation.slug}-record.jsonl",
        content_type="application/jsonl",
    )


@require_http_methods(["GET"])
@_signing_key_guard
def member_download(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_visible(request.user, slug)
    handle = _spooled()
    member_download_write(request.user, organisation, handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{slugify(organisation.slug)}-everything.zip",
        content_type="application/zip",
    )
