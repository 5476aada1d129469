"""The public record: its entries, the latest signed checkpoint, and the proofs that let anyone
check an entry is in it and that it only grew (docs/record.md)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from parrhesia.api.auth import organisation_for
from parrhesia.api.endpoints.orgs import Limit
from parrhesia.api.paging import page_of
from parrhesia.api.problems import INVALID, Problem
from parrhesia.api.schemas import (
    CheckpointOut,
    ConsistencyOut,
    EntryOut,
    EntryPage,
    InclusionOut,
)
from parrhesia.methods.record.checkpoint import parse_checkpoint_body
from parrhesia.orgs.models import Organisation
from parrhesia.record import selectors
from parrhesia.record.checkpoints import checkpoint_latest, signer_load
from parrhesia.record.models import RecordEntry

router = Router(tags=["record"])
Position = Query(..., ge=0, le=2**53)


def actor_names(request: HttpRequest, organisation: Organisation) -> dict[int, str]:
    """Actors by name to whoever may see the member list; by member id to anyone else."""
    if not request.user.has_perm("orgs.view_members", organisation):
        return {}
    return selectors.actor_names(organisation)


def entry_out(entry: RecordEntry, names: dict[int, str]) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "entry": json.loads(bytes(entry.canonical)),
        "leaf_hash": bytes(entry.leaf_hash).hex(),
        "actor_name": names.get(entry.actor) if entry.actor is not None else None,
    }


@router.get("/orgs/{slug}/record/entries", response=EntryPage)
def record_entry_list(
    request: HttpRequest, slug: str, cursor: str | None = None, limit: int = Limit
) -> dict[str, Any]:
    """The entries in their order (``seq``), as the export holds them."""
    organisation = organisation_for(request, slug)
    rows = RecordEntry.objects.filter(organisation=organisation)
    found, following = page_of(request, rows, cursor=cursor, limit=limit, key="seq")
    names = actor_names(request, organisation)
    return {"items": [entry_out(e, names) for e in found], "next": following}


@router.get("/orgs/{slug}/record/entries/{seq}", response=EntryOut)
def record_entry_detail(request: HttpRequest, slug: str, seq: int) -> dict[str, Any]:
    organisation = organisation_for(request, slug)
    if seq > 2**53:
        raise Problem(404, _("The record has no such entry."))
    entry = selectors.entry_at(organisation, seq)
    return entry_out(entry, actor_names(request, organisation))


@router.get("/orgs/{slug}/record/checkpoint", response=CheckpointOut)
def record_checkpoint(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The latest checkpoint, signed over the whole record (signed now if it was not yet)."""
    organisation = organisation_for(request, slug)
    checkpoint = checkpoint_latest(organisation)
    if checkpoint is None:
        raise Problem(404, _("The record has no entry yet."))
    origin, size, root = parse_checkpoint_body(checkpoint.note.split("\n\n", 1)[0] + "\n")
    return {
        "origin": origin,
        "size": size,
        "root": selectors.b64(root),
        "note": checkpoint.note,
        "verifier_key": signer_load(organisation).verifier_key,
        "signed_at": checkpoint.signed_at,
    }


@router.get("/orgs/{slug}/record/proof/inclusion", response=InclusionOut)
def record_inclusion(
    request: HttpRequest, slug: str, index: int = Position, size: int = Position
) -> dict[str, Any]:
    """That entry ``index`` is in the record of ``size`` entries (RFC 9162 §2.1.3)."""
    organisation = organisation_for(request, slug)
    try:
        return selectors.inclusion(organisation, index, size)
    except selectors.ProofRequestError as error:
        raise Problem(400, str(error), type=INVALID) from None


@router.get("/orgs/{slug}/record/proof/consistency", response=ConsistencyOut)
def record_consistency(
    request: HttpRequest, slug: str, old: int = Position, new: int = Position
) -> dict[str, Any]:
    """That the record of ``new`` entries extends the one of ``old`` (RFC 9162 §2.1.4)."""
    organisation = organisation_for(request, slug)
    try:
        return selectors.consistency(organisation, old, new)
    except selectors.ProofRequestError as error:
        raise Problem(400, str(error), type=INVALID) from None
