"""The check of a delivered record entry (docs/webhooks.md, "Verifying a delivery").

A delivery's ``data`` holds one entry as the ``parrhesia-record/2`` export writes it (the entry
and the openings of its sealed values), its RFC 9162 inclusion proof and the signed checkpoint
the proof leads to. The checks are those ``parrhesia record verify`` makes on an export line and
its closing checkpoint, with the same functions: canonical bytes, the openings against their
commitments, the checkpoint's Ed25519 signature by the organisation's key and origin, and the
inclusion proof from the entry's leaf hash to the checkpoint's root.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from parrhesia.methods.record.canonical import Entry, EntryError, canonical_json, parse_entry
from parrhesia.methods.record.checkpoint import CheckpointError, open_checkpoint
from parrhesia.methods.record.export import FORMAT_V2
from parrhesia.methods.record.merkle import ProofError, leaf_hash, verify_inclusion
from parrhesia.methods.record.sealed import OpeningError, check_openings, opened_payload

DATA_KEYS = frozenset(
    {"format", "organisation", "origin", "verifier_key", "entry", "openings", "inclusion"}
    | {"checkpoint", "url"}
)


class DeliveryVerificationError(ValueError):
    """A delivered entry does not verify; the message says which check failed."""


@dataclass(frozen=True)
class VerifiedEntry:
    """What a verified delivery proves: this entry is number ``entry.seq`` of the log whose
    first ``size`` entries the organisation's key signed with root ``root``."""

    entry: Entry
    payload: dict[str, Any]  # with the sealed values opened (or marked erased)
    size: int
    root: bytes
    erased: dict[str, int]  # pointer → the seq of the record.redacted entry that erased it


def _b64(text: Any, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise DeliveryVerificationError(f"{what} is not base64") from None


def delivery_verify(data: Any, verifier_key: str) -> VerifiedEntry:
    """Verify a delivery's ``data`` against the organisation's verifier key (take it from the
    record's page or an export you trust, not from the delivery: ``data["verifier_key"]`` only
    says which key the sender used)."""
    if not isinstance(data, dict) or not DATA_KEYS <= set(data):
        raise DeliveryVerificationError(f"data must hold {sorted(DATA_KEYS)}")
    if data["format"] != FORMAT_V2:
        raise DeliveryVerificationError(f"unsupported format {data['format']!r}")
    try:
        leaf = canonical_json(data["entry"])
        entry = parse_entry(leaf)
        erasures = check_openings(entry.seq, entry.to_json(), data["openings"])
    except (EntryError, TypeError, ValueError) as error:  # OpeningError is an EntryError
        raise DeliveryVerificationError(f"entry: {error}") from None
    try:
        checkpoint = open_checkpoint(data["checkpoint"], verifier_key)
    except (CheckpointError, TypeError) as error:
        raise DeliveryVerificationError(f"checkpoint: {error}") from None
    if checkpoint.origin != data["origin"]:
        raise DeliveryVerificationError(
            f"checkpoint origin {checkpoint.origin!r} is not {data['origin']!r}"
        )
    if not str(data["origin"]).endswith("/" + str(data["organisation"])):
        raise DeliveryVerificationError("origin does not name the organisation")
    proof = data["inclusion"]
    if not isinstance(proof, dict) or not isinstance(proof.get("proof"), list):
        raise DeliveryVerificationError("inclusion must be {index, size, leaf_hash, proof, root}")
    if proof.get("index") != entry.seq or proof.get("size") != checkpoint.size:
        raise DeliveryVerificationError(
            "the inclusion proof is not for this entry in the checkpoint's tree"
        )
    digest = leaf_hash(leaf)
    if _b64(proof.get("leaf_hash"), "leaf_hash") != digest:
        raise DeliveryVerificationError("leaf_hash is not the hash of the entry")
    path = [_b64(node, "a proof node") for node in proof["proof"]]
    try:
        verify_inclusion(digest, entry.seq, checkpoint.size, path, checkpoint.root)
    except ProofError as error:
        raise DeliveryVerificationError(f"inclusion: {error}") from None
    try:
        opened = opened_payload(entry.to_json(), data["openings"])
    except OpeningError as error:  # pragma: no cover - check_openings passed
        raise DeliveryVerificationError(f"openings: {error}") from None
    return VerifiedEntry(
        entry=entry,
        payload=opened,
        size=checkpoint.size,
        root=checkpoint.root,
        erased={pointer: by for pointer, (_, by) in erasures.items()},
    )
