"""Standard Webhooks signatures (https://www.standardwebhooks.com, spec "Signature scheme").

The signed content is ``{webhook-id}.{webhook-timestamp}.{body}``; the signature is
``v1,`` + base64(HMAC-SHA256(key, content)), ``key`` being the base64 part of the secret
``whsec_<base64>``. During a secret's rotation the header carries several signatures separated
by spaces; a receiver accepts the message if any one verifies.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping

PREFIX = "whsec_"
SECRET_BYTES = 32  # the spec asks for 24 to 64 random bytes
TOLERANCE = 5 * 60  # seconds a receiver accepts between the timestamp and its clock


class SignatureError(ValueError):
    """A message's signature or timestamp does not verify."""


def secret_generate() -> str:
    """A new signing secret, ``whsec_`` + base64 of 32 random bytes."""
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_`` secret (the prefix is optional, as in the reference
    libraries)."""
    text = secret.removeprefix(PREFIX)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError("the secret is not whsec_ followed by base64") from None


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,<base64>`` signature of the message."""
    content = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signature_header(secrets_: Iterable[str], message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header: one signature per secret, space-separated."""
    return " ".join(signature(secret, message_id, timestamp, body) for secret in secrets_)


def headers_for(
    secrets_: Iterable[str], message_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(secrets_, message_id, timestamp, body),
    }


def signature_verify(
    secret: str, headers: Mapping[str, str], body: bytes, *, now: int, tolerance: int = TOLERANCE
) -> None:
    """Check a received message as the spec says: a recent timestamp and one matching ``v1``
    signature (compared in constant time); :class:`SignatureError` otherwise."""
    lowered = {name.lower(): value for name, value in headers.items()}
    try:
        message_id = lowered["webhook-id"]
        timestamp = int(lowered["webhook-timestamp"])
        received = lowered["webhook-signature"]
    except (KeyError, ValueError):
        raise SignatureError("missing or malformed webhook-* headers") from None
    if abs(now - timestamp) > tolerance:
        raise SignatureError("the timestamp is too far from now (replayed or delayed message?)")
    expected = signature(secret, message_id, timestamp, body)
    for candidate in received.split(" "):
        if candidate.startswith("v1,") and hmac.compare_digest(candidate, expected):
            return
    raise SignatureError("no signature matches")
