"""Sealed fields: free text and personal data enter the record as salted commitments
(``parrhesia-record/2``, docs/record.md §6).

A service marks a payload value as :class:`Sealed`. The entry's canonical bytes — the Merkle
leaf — then hold, in its place, the JSON object ``{"$commitment": C}`` with::

    C = base64(SHA-256("parrhesia-commitment/1" ‖ 0x0A ‖ salt ‖ canonical(value)))

``salt`` being 32 random bytes and ``canonical(value)`` the value's RFC 8785 bytes. The value and
its salt are kept beside the leaf and published in the export as the entry's *opening*: anyone can
check the opening against the commitment, so a disclosed value is exactly the value recorded.
Erasing the value (a verdict, a lawful erasure request) throws away the value and the salt: the
leaf, and so every root, checkpoint and proof, stays the same, and the commitment alone reveals
nothing (the salt is secret and random, so not even a guess of a short value can be checked).

Openings are addressed by JSON Pointers (RFC 6901) into the entry: ``/payload/reason``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .canonical import EntryError, canonical_json

__all__ = [
    "COMMITMENT",
    "REDACTED",
    "OpeningError",
    "Sealed",
    "check_openings",
    "commitment_of",
    "commitments_in",
    "opened_payload",
    "pointer_get",
    "pointer_join",
    "pointer_set",
    "seal_payload",
]

#: The member of the one-member object that stands for a sealed value in a leaf.
COMMITMENT = "$commitment"
#: The member of the one-member object that stands for an erased value in an opened payload.
REDACTED = "$redacted"
DOMAIN = b"parrhesia-commitment/1\n"
SALT_BYTES = 32


class OpeningError(EntryError):
    """An opening does not match its commitment, or openings and commitments disagree."""


@dataclass(frozen=True)
class Sealed:
    """A payload value that enters the leaf as a commitment (free text, personal data)."""

    value: Any


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64_strict(text: Any, size: int, what: str) -> bytes:
    """Canonical base64 of exactly ``size`` bytes (one value, one spelling)."""
    if not isinstance(text, str):
        raise OpeningError(f"{what} must be a base64 string")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise OpeningError(f"{what} is not base64") from None
    if len(data) != size or b64(data) != text:
        raise OpeningError(f"{what} must be the canonical base64 of {size} bytes")
    return data


def commitment_of(salt: bytes, value: Any) -> str:
    """``base64(SHA-256("parrhesia-commitment/1" ‖ LF ‖ salt ‖ canonical(value)))``."""
    if len(salt) != SALT_BYTES:
        raise ValueError(f"a salt is {SALT_BYTES} bytes")
    return b64(hashlib.sha256(DOMAIN + salt + canonical_json(value)).digest())


# --- JSON Pointers (RFC 6901) ------------------------------------------------------------------


def pointer_join(parts: list[str | int]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _pointer_parts(pointer: str) -> list[str]:
    if not pointer.startswith("/"):
        raise OpeningError(f"{pointer!r} is not a JSON Pointer")
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]


def _step(node: Any, part: str) -> tuple[Any, str | int]:
    if isinstance(node, dict) and part in node:
        return node, part
    if isinstance(node, list) and part.isdigit() and int(part) < len(node):
        return node, int(part)
    raise OpeningError(f"nothing at {part!r}")


def pointer_get(document: Any, pointer: str) -> Any:
    node = document
    for part in _pointer_parts(pointer):
        container, key = _step(node, part)
        node = container[key]
    return node


def pointer_set(document: Any, pointer: str, value: Any) -> None:
    parts = _pointer_parts(pointer)
    node = document
    for part in parts[:-1]:
        container, key = _step(node, part)
        node = container[key]
    container, key = _step(node, parts[-1])
    container[key] = value


# --- sealing and opening -----------------------------------------------------------------------


Sealing = tuple[dict[str, Any], dict[str, Any], dict[str, str]]


def seal_payload(payload: Mapping[str, Any]) -> Sealing:
    """``(leaf payload, plain payload, salts)`` of a payload that may hold :class:`Sealed` values.

    The leaf payload has a commitment where each sealed value was, the plain payload the value
    itself, ``salts`` the base64 salt of each, by JSON Pointer from the entry (``/payload/…``).
    The member names ``$commitment`` and ``$redacted`` are refused: they are reserved.
    """
    salts: dict[str, str] = {}

    def walk(value: Any, path: list[str | int]) -> tuple[Any, Any]:
        if isinstance(value, Sealed):
            reserved_check(value.value, pointer_join(path))
            salt = secrets.token_bytes(SALT_BYTES)
            salts[pointer_join(path)] = b64(salt)
            return {COMMITMENT: commitment_of(salt, value.value)}, value.value
        if isinstance(value, Mapping):
            leaf, plain = {}, {}
            for key, item in value.items():
                if key in (COMMITMENT, REDACTED):
                    raise EntryError(f"the payload member name {key!r} is reserved")
                leaf[key], plain[key] = walk(item, [*path, key])
            return leaf, plain
        if isinstance(value, list | tuple):
            pairs = [walk(item, [*path, index]) for index, item in enumerate(value)]
            return [p[0] for p in pairs], [p[1] for p in pairs]
        return value, value

    leaf, plain = walk(payload, ["payload"])
    return leaf, plain, salts


def reserved_check(value: Any, where: str) -> None:
    """Refuse the reserved member names anywhere in a value (a disclosed one, or what is sealed):
    an object named ``$redacted`` or ``$commitment`` could pass for an erasure or a commitment."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key in (COMMITMENT, REDACTED):
                raise OpeningError(f"{where}: the member name {key!r} is reserved")
            reserved_check(item, where)
    elif isinstance(value, list | tuple):
        for item in value:
            reserved_check(item, where)


def commitments_in(entry: Any) -> Iterator[tuple[str, str]]:
    """``(pointer, commitment)`` of every sealed value of a parsed entry (payload only)."""

    def walk(value: Any, path: list[str | int]) -> Iterator[tuple[str, str]]:
        if isinstance(value, dict):
            if COMMITMENT in value:
                if set(value) != {COMMITMENT}:
                    raise OpeningError(f"{pointer_join(path)}: a commitment has one member")
                b64_strict(value[COMMITMENT], 32, f"{pointer_join(path)} commitment")
                yield pointer_join(path), value[COMMITMENT]
                return
            if REDACTED in value:
                raise OpeningError(f"{pointer_join(path)}: the member name '$redacted' is reserved")
            for key, item in value.items():
                yield from walk(item, [*path, key])
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, [*path, index])

    yield from walk(entry.get("payload") if isinstance(entry, dict) else None, ["payload"])


def opened_payload(entry: Mapping[str, Any], openings: Mapping[str, Any]) -> dict[str, Any]:
    """The entry's payload with each commitment replaced by its disclosed value, or by
    ``{"$redacted": BY}`` where it was erased by the ``record.redacted`` entry ``BY``.

    The openings must be checked first (``verify.check_openings``); this only substitutes.
    """
    document = {"payload": _copy(entry["payload"])}
    for pointer, opening in openings.items():
        if "value" in opening:
            pointer_set(document, pointer, opening["value"])
        else:
            pointer_set(document, pointer, {REDACTED: opening["redacted"]["by"]})
    payload: dict[str, Any] = document["payload"]
    return payload


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def check_openings(seq: int, entry: Mapping[str, Any], openings: Any) -> dict[str, tuple[int, int]]:
    """Check an entry's openings against its commitments; the erasures they claim.

    Every commitment has exactly one opening and every opening a commitment. A disclosed opening
    is ``{"salt": B64, "value": V}`` and must hash to the commitment; an erased one is
    ``{"redacted": {"by": R}}``, ``R`` being the seq of a later ``record.redacted`` entry that
    must list it. Returns ``{pointer: (seq, R)}`` for the erased ones, for the caller to match.
    """
    if not isinstance(openings, dict):
        raise OpeningError("openings must be a JSON object")
    commitments = dict(commitments_in(entry))
    if set(commitments) != set(openings):
        missing = sorted(set(commitments) - set(openings))
        extra = sorted(set(openings) - set(commitments))
        raise OpeningError(
            f"openings do not match the commitments (missing {missing}, extra {extra})"
        )
    claims: dict[str, tuple[int, int]] = {}
    for pointer, opening in openings.items():
        if isinstance(opening, dict) and set(opening) == {"salt", "value"}:
            salt = b64_strict(opening["salt"], SALT_BYTES, f"{pointer} salt")
            reserved_check(opening["value"], pointer)
            if commitment_of(salt, opening["value"]) != commitments[pointer]:
                raise OpeningError(f"{pointer}: the disclosed value does not match its commitment")
        elif (
            isinstance(opening, dict)
            and set(opening) == {"redacted"}
            and isinstance(opening["redacted"], dict)
            and set(opening["redacted"]) == {"by"}
            and type(opening["redacted"]["by"]) is int
            and opening["redacted"]["by"] > seq
        ):
            claims[pointer] = (seq, opening["redacted"]["by"])
        else:
            raise OpeningError(
                f'{pointer}: an opening is {{"salt", "value"}} or {{"redacted": {{"by": SEQ}}}} '
                "with SEQ a later entry"
            )
    return claims
