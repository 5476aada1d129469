"""The body of each delivery (docs/webhooks.md, "Payload").

Standard Webhooks' shape, ``{"type", "timestamp", "data"}``; for a record entry ``type`` is the
entry's action and ``data`` the entry as the ``parrhesia-record/2`` export writes it — its
canonical object and the openings of its sealed values, erased ones as the export shows them —
with its RFC 9162 inclusion proof and the signed checkpoint the proof leads to. The body is
built at each attempt from the record as it stands, so a value erased since the entry was
queued is not sent.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse

from parrhesia.methods.record.canonical import parse_canonical
from parrhesia.methods.record.export import FORMAT_V2
from parrhesia.record.checkpoints import OrganisationSigner
from parrhesia.record.exports import entry_openings
from parrhesia.record.models import Checkpoint, RecordEntry
from parrhesia.record.selectors import inclusion

if TYPE_CHECKING:
    from parrhesia.orgs.models import Organisation

PING = "webhook.test"


def body_bytes(event_type: str, now: datetime, data: dict[str, Any]) -> bytes:
    document = {"type": event_type, "timestamp": now.isoformat(), "data": data}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_data(
    organisation: Organisation, seq: int, checkpoint: Checkpoint, signer: OrganisationSigner
) -> dict[str, Any]:
    """What a delivery says of entry ``seq``: see the module's docstring."""
    row = (
        RecordEntry.objects.filter(organisation=organisation, seq=seq)
        .values("canonical", "openings", "payload")
        .get()
    )
    path = reverse("record:entry", args=[organisation.slug, seq])
    return {
        "format": FORMAT_V2,
        "organisation": organisation.slug,
        "origin": signer.origin,
        "verifier_key": signer.verifier_key,
        "entry": parse_canonical(bytes(row["canonical"])),
        "openings": entry_openings(row["openings"], row["payload"]),
        "inclusion": inclusion(organisation, seq, checkpoint.size),
        "checkpoint": checkpoint.note,
        "url": settings.PARRHESIA_SITE_URL.rstrip("/") + path,
    }


def ping_data(organisation: Organisation, webhook: int) -> dict[str, Any]:
    return {
        "organisation": organisation.slug,
        "webhook": webhook,
        "message": "A test from Parrhesia: this URL receives the organisation's record entries.",
    }
