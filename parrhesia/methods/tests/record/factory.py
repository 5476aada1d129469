"""Build small exports for the record tests."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from parrhesia.methods.record.canonical import entry_bytes
from parrhesia.methods.record.checkpoint import generate_signer
from parrhesia.methods.record.export import key_rotation_payload, write_export

ORG = "demo"
ORIGIN = "parrhesia.example/demo"
SIGNER, VERIFIER = generate_signer("parrhesia.example")
OTHER_SIGNER, OTHER_VERIFIER = generate_signer("parrhesia.example")  # same name, other key
THIRD_SIGNER, THIRD_VERIFIER = generate_signer("rotated.example")


def make_entry(
    seq: int, payload: dict[str, Any] | None = None, action: str = "motion.adopted"
) -> bytes:
    return entry_bytes(
        seq,
        f"2026-11-27T04:37:{seq % 60:02d}.{seq:06d}Z",
        seq % 3 or None,
        action,
        "motion",
        seq,
        payload if payload is not None else {"n": seq, "text": f"motion {seq} — adopted"},
    )


def make_entries(n: int, salt: str = "") -> list[bytes]:
    return [make_entry(i, {"n": i, "salt": salt}) for i in range(n)]


def export_bytes(
    entries: Sequence[bytes],
    signer: str = SIGNER,
    verifier: str = VERIFIER,
    organisation: str = ORG,
    origin: str = ORIGIN,
    version: int = 1,
) -> bytes:
    """An export of ``entries``; ``parrhesia-record/1`` unless ``version`` says otherwise (the
    tests of test_export.py pin /1, which every verifier must keep accepting)."""
    out = io.BytesIO()
    write_export(
        out,
        organisation=organisation,
        origin=origin,
        verifier_key=verifier,
        entries=entries,
        signer_key=signer,
        version=version,
    )
    return out.getvalue()


def rotation_entry(
    seq: int, previous_signer: str, new_verifier: str, origin: str = ORIGIN
) -> bytes:
    return entry_bytes(
        seq,
        "2026-11-27T05:00:00.000000Z",
        None,
        "record.key_rotated",
        "record",
        None,
        key_rotation_payload(origin, previous_signer, new_verifier),
    )
