"""What the record writes about itself: its own two actions.

The verifier (``methods.record.export``) reads the same strings to follow a key rotation and to
check erasures, so the names are defined there, below every app, and only named here.
"""

from __future__ import annotations

from enum import StrEnum

from parrhesia.methods.record.export import KEY_ROTATED, REDACTED_ACTION, key_rotation_payload

__all__ = ["Action", "key_rotation_payload"]


class Action(StrEnum):
    # payload: key_rotation_payload(origin, previous signer key, new verifier key)
    KEY_ROTATED = KEY_ROTATED
    # payload: {"erased": [{"seq", "pointer"}], "grounds": "verdict" | "erasure_request",
    #           "case": N | null, "reason": sealed text (optional)}   (services.redact)
    REDACTED = REDACTED_ACTION
