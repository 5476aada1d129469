"""Signed checkpoints: C2SP ``tlog-checkpoint`` bodies in C2SP ``signed-note`` envelopes.

Checkpoint body (https://c2sp.org/tlog-checkpoint)::

    <origin>\\n<tree size in decimal>\\n<root hash, standard base64>\\n

Signed note (https://c2sp.org/signed-note): the body, a blank line, then one or more signature
lines ``— <key name> <base64(4-byte key hash ‖ signature)>\\n`` (U+2014 EM DASH, a space). The
Ed25519 signature covers the body bytes exactly, final newline included.

Keys (https://c2sp.org/signed-note, the format of ``golang.org/x/mod/sumdb/note``):

* key hash: the first 4 bytes, big-endian, of ``SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)``;
* verifier key: ``<name>+<8 hex digits key hash>+<base64(0x01 ‖ 32-byte public key)>``;
* signer key: ``PRIVATE+KEY+<name>+<8 hex digits>+<base64(0x01 ‖ 32-byte seed)>``.

A key name is non-empty, has no whitespace and no ``+``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

__all__ = [
    "Checkpoint",
    "CheckpointError",
    "Signer",
    "Verifier",
    "checkpoint_body",
    "generate_signer",
    "open_checkpoint",
    "open_note",
    "parse_checkpoint_body",
    "sign_checkpoint",
    "sign_note",
    "verifier_from_signer",
]

ALG_ED25519 = 0x01
EM_DASH_PREFIX = "\u2014 "
MAX_SIGNATURES = 100  # as golang.org/x/mod/sumdb/note
_HEX8 = re.compile(r"\A[0-9a-f]{8}\Z")
_DECIMAL = re.compile(r"\A(0|[1-9][0-9]{0,19})\Z")


class CheckpointError(ValueError):
    """A key, note or checkpoint is malformed, or its signature does not verify."""


def _valid_name(name: str) -> bool:
    return bool(name) and "+" not in name and not any(ch.isspace() for ch in name)


def _b64decode(text: str) -> bytes:
    """Strict standard base64: padded, and canonical (unused trailing bits must be zero, so that
    no two spellings decode to the same bytes — altering any character is detected)."""
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise CheckpointError("bad base64") from None
    if base64.b64encode(data).decode("ascii") != text:
        raise CheckpointError("non-canonical base64")
    return data


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def key_hash(name: str, key: bytes) -> int:
    """``SHA-256(name ‖ "\\n" ‖ key)[:4]`` as a big-endian integer; ``key`` includes 0x01."""
    return int.from_bytes(hashlib.sha256(name.encode() + b"\n" + key).digest()[:4], "big")


@dataclass(frozen=True)
class Verifier:
    """A parsed verifier key."""

    name: str
    hash: int
    public_key: bytes

    @classmethod
    def parse(cls, text: str) -> Verifier:
        parts = text.split("+", 2)
        if len(parts) != 3:
            raise CheckpointError("malformed verifier key: want NAME+HASH+KEY")
        name, hash16, key64 = parts
        if not _valid_name(name) or not _HEX8.match(hash16):
            raise CheckpointError("malformed verifier key")
        key = _b64decode(key64)
        if len(key) != 33 or key[0] != ALG_ED25519:
            raise CheckpointError("verifier key is not an Ed25519 key")
        if key_hash(name, key) != int(hash16, 16):
            raise CheckpointError("verifier key hash does not match its name and key")
        return cls(name, int(hash16, 16), key[1:])

    def text(self) -> str:
        return f"{self.name}+{self.hash:08x}+{_b64(bytes([ALG_ED25519]) + self.public_key)}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True)
class Signer:
    """A parsed signer (private) key."""

    name: str
    hash: int
    seed: bytes

    @classmethod
    def parse(cls, text: str) -> Signer:
        parts = text.split("+", 4)
        if len(parts) != 5 or parts[0] != "PRIVATE" or parts[1] != "KEY":
            raise CheckpointError("malformed signer key: want PRIVATE+KEY+NAME+HASH+KEY")
        name, hash16, key64 = parts[2:]
        if not _valid_name(name) or not _HEX8.match(hash16):
            raise CheckpointError("malformed signer key")
        key = _b64decode(key64)
        if len(key) != 33 or key[0] != ALG_ED25519:
            raise CheckpointError("signer key is not an Ed25519 key")
        signer = cls(name, int(hash16, 16), key[1:])
        if key_hash(name, bytes([ALG_ED25519]) + signer.public_key()) != signer.hash:
            raise CheckpointError("signer key hash does not match its name and key")
        return signer

    def public_key(self) -> bytes:
        return (
            Ed25519PrivateKey.from_private_bytes(self.seed)
            .public_key()
            .public_bytes(Encoding.Raw, PublicFormat.Raw)
        )

    def text(self) -> str:
        return f"PRIVATE+KEY+{self.name}+{self.hash:08x}+{_b64(bytes([ALG_ED25519]) + self.seed)}"

    def verifier(self) -> Verifier:
        return Verifier(self.name, self.hash, self.public_key())

    def sign(self, message: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)


def generate_signer(name: str) -> tuple[str, str]:
    """A new Ed25519 key pair as ``(signer_key_text, verifier_key_text)``."""
    if not _valid_name(name):
        raise CheckpointError("a key name is non-empty, without spaces or '+'")
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes_raw()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    signer = Signer(name, key_hash(name, bytes([ALG_ED25519]) + public), seed)
    return signer.text(), signer.verifier().text()


def verifier_from_signer(signer_key_text: str) -> str:
    """The verifier key text that matches a signer key text."""
    return Signer.parse(signer_key_text).verifier().text()


# --- signed notes ------------------------------------------------------------------------------


def _check_text(text: str) -> None:
    if not text.endswith("\n") or "\n\n" in text:
        raise CheckpointError("malformed note: the text must end with one newline, no blank lines")
    if any(ord(ch) < 0x20 and ch != "\n" for ch in text):
        raise CheckpointError("malformed note: control character")


def sign_note(text: str, signer_key_text: str) -> str:
    """Sign ``text`` (C2SP signed-note); return the note with one signature line."""
    _check_text(text)
    signer = Signer.parse(signer_key_text)
    signature = signer.hash.to_bytes(4, "big") + signer.sign(text.encode("utf-8"))
    return f"{text}\n{EM_DASH_PREFIX}{signer.name} {_b64(signature)}\n"


@dataclass(frozen=True)
class OpenedNote:
    text: str
    key_name: str


def open_note(note: str, verifier_key_text: str) -> OpenedNote:
    """Split a signed note and verify the signature made with the given verifier key.

    Signatures by other keys are ignored (C2SP signed-note: unknown keys are skipped), but a
    signature line naming this key (name and key hash) that does not verify is an error, and
    at least one must verify.
    """
    verifier = Verifier.parse(verifier_key_text)
    if any(ord(ch) < 0x20 and ch != "\n" for ch in note):
        raise CheckpointError("malformed note: control character")
    split = note.rfind("\n\n")
    if split < 0:
        raise CheckpointError("malformed note: no blank line before the signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not text or not block.endswith("\n"):
        raise CheckpointError("malformed note: it must end with a signature line and a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise CheckpointError("malformed note: too many signatures")
    verified = False
    for line in lines:
        if not line.startswith(EM_DASH_PREFIX):
            raise CheckpointError("malformed note: a signature line must start with '\u2014 '")
        name, space, sig64 = line[len(EM_DASH_PREFIX) :].partition(" ")
        if not space or not _valid_name(name) or " " in sig64:
            raise CheckpointError("malformed note: bad signature line")
        signature = _b64decode(sig64)
        if len(signature) < 5:
            raise CheckpointError("malformed note: signature too short")
        if name != verifier.name or int.from_bytes(signature[:4], "big") != verifier.hash:
            continue
        if not verifier.verify(text.encode("utf-8"), signature[4:]):
            raise CheckpointError(f"invalid signature for key {verifier.name}+{verifier.hash:08x}")
        verified = True
    if not verified:
        raise CheckpointError(
            f"no signature by key {verifier.name}+{verifier.hash:08x} (signed by another key?)"
        )
    return OpenedNote(text, verifier.name)


# --- checkpoints -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """A verified checkpoint: ``origin``, tree ``size``, ``root`` hash, and who signed it."""

    origin: str
    size: int
    root: bytes
    key_name: str = ""


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    """The C2SP tlog-checkpoint body (three lines, no extensions)."""
    if not origin or "\n" in origin or any(ord(ch) < 0x20 for ch in origin):
        raise CheckpointError("origin must be one non-empty line")
    if size < 0 or len(root) != 32:
        raise CheckpointError("bad size or root hash")
    return f"{origin}\n{size}\n{_b64(root)}\n"


def parse_checkpoint_body(text: str) -> tuple[str, int, bytes]:
    """Parse a tlog-checkpoint body; extension lines after the third are allowed and ignored."""
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise CheckpointError("malformed checkpoint: want origin, size and root hash lines")
    origin, size_text, root64 = lines[0], lines[1], lines[2]
    if not origin:
        raise CheckpointError("malformed checkpoint: empty origin")
    if not _DECIMAL.match(size_text) or int(size_text) >= 1 << 64:
        raise CheckpointError("malformed checkpoint: bad tree size")
    root = _b64decode(root64)
    if len(root) != 32 or _b64(root) != root64:
        raise CheckpointError("malformed checkpoint: bad root hash")
    return origin, int(size_text), root


def sign_checkpoint(origin: str, size: int, root: bytes, signer_key_text: str) -> str:
    """The signed-note text of the checkpoint for a tree of ``size`` leaves and ``root``."""
    return sign_note(checkpoint_body(origin, size, root), signer_key_text)


def open_checkpoint(note_text: str, verifier_key_text: str) -> Checkpoint:
    """Verify a signed checkpoint with a verifier key; raise :class:`CheckpointError` if bad."""
    opened = open_note(note_text, verifier_key_text)
    origin, size, root = parse_checkpoint_body(opened.text)
    return Checkpoint(origin, size, root, opened.key_name)


verify_checkpoint = open_checkpoint
