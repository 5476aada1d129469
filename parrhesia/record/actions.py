"""What the record writes about itself: the one action of its own.

The verifier (``methods.record.export``) reads the same string to follow a key rotation, so the
name is defined there, below every app, and only named here.
"""

from __future__ import annotations

from enum import StrEnum

from parrhesia.methods.record.export import KEY_ROTATED, key_rotation_payload

__all__ = ["Action", "key_rotation_payload"]


class Action(StrEnum):
    # payload: key_rotation_payload(origin, previous signer key, new verifier key)
    KEY_ROTATED = KEY_ROTATED
