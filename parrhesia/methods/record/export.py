"""The ``parrhesia-record/1`` export file: its format, its streaming writer and its reader (the
offline verifier is ``verify.py``).

The file is JSON Lines; every line is RFC 8785 canonical JSON followed by ``\\n``:

1. header ``{"format":"parrhesia-record/1","organisation":SLUG,"origin":ORIGIN,
   "verifier_key":VKEY}``;
2. one line per entry, ``seq`` 0, 1, 2, …: exactly the bytes hashed as RFC 9162 leaves;
3. ``{"checkpoint":NOTE}``: a C2SP signed note holding the tlog-checkpoint of all those entries,
   signed with the header's verifier key.

Key rotation is recorded in the log itself by ``record.key_rotated`` entries whose payload is
``{"previous_verifier_key": OLD, "new_verifier_key": NEW, "endorsement": SIG}``, ``SIG`` being the
standard base64 Ed25519 signature by OLD of :func:`rotation_message`. The verifier checks that
rotations form an unbroken, endorsed chain and that the header key is its last key; with
``previous`` an older export signed with another key is accepted only when the chain leads from
the older export's key to the newer one's. See ``docs/record.md``.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, Protocol

from .canonical import Entry, canonical_json, parse_entry
from .checkpoint import (
    Signer,
    Verifier,
    open_checkpoint,
    sign_checkpoint,
)
from .merkle import CompactRange, leaf_hash

__all__ = [
    "FORMAT",
    "KEY_ROTATED",
    "RecordVerificationError",
    "checkpoint_line",
    "header_line",
    "export_last_line",
    "export_lines",
    "export_open",
    "iter_entries",
    "key_rotation_payload",
    "rotation_message",
    "write_export",
]

FORMAT = "parrhesia-record/1"
KEY_ROTATED = "record.key_rotated"
HEADER_KEYS = frozenset({"format", "organisation", "origin", "verifier_key"})
ROTATION_KEYS = frozenset({"previous_verifier_key", "new_verifier_key", "endorsement"})


class RecordVerificationError(Exception):
    """An export does not verify. ``line`` is 1-based (``None``: the file as a whole)."""

    def __init__(self, line: int | None, message: str, path: str | None = None) -> None:
        super().__init__(line, message, path)
        self.line = line
        self.message = message
        self.path = path

    def __str__(self) -> str:
        where = self.path or "<export>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class _Writable(Protocol):
    def write(self, data: bytes, /) -> Any: ...


# --- lines -------------------------------------------------------------------------------------


def header_line(organisation: str, origin: str, verifier_key: str) -> bytes:
    """The canonical header line (with its ``\\n``)."""
    Verifier.parse(verifier_key)
    if not organisation or not origin.endswith("/" + organisation):
        raise ValueError("the origin must end with '/' and the organisation slug")
    header = {
        "format": FORMAT,
        "organisation": organisation,
        "origin": origin,
        "verifier_key": verifier_key,
    }
    return canonical_json(header) + b"\n"


def checkpoint_line(note: str) -> bytes:
    """The canonical checkpoint line (with its ``\\n``)."""
    return canonical_json({"checkpoint": note}) + b"\n"


def rotation_message(origin: str, previous_verifier_key: str, new_verifier_key: str) -> bytes:
    """The bytes the previous key signs to endorse its successor."""
    return (
        f"{FORMAT} key rotation\n{origin}\n{previous_verifier_key}\n{new_verifier_key}\n"
    ).encode()


def key_rotation_payload(
    origin: str, previous_signer_key: str, new_verifier_key: str
) -> dict[str, str]:
    """Payload of a ``record.key_rotated`` entry (subject ``{"kind": "record", "id": null}``).

    Append that entry — its checkpoint still signed with the previous key or the new one — and
    sign every later checkpoint with the new key; exports then carry the new verifier key.
    """
    signer = Signer.parse(previous_signer_key)
    previous = signer.verifier().text()
    Verifier.parse(new_verifier_key)
    endorsement = signer.sign(rotation_message(origin, previous, new_verifier_key))
    return {
        "previous_verifier_key": previous,
        "new_verifier_key": new_verifier_key,
        "endorsement": base64.b64encode(endorsement).decode("ascii"),
    }


# --- writer ------------------------------------------------------------------------------------


def write_export(
    fp: _Writable,
    *,
    organisation: str,
    origin: str,
    verifier_key: str,
    entries: Iterable[bytes],
    checkpoint: str | None = None,
    signer_key: str | None = None,
) -> tuple[int, bytes]:
    """Stream an export to the binary file ``fp``; return ``(size, root)``.

    ``entries`` are canonical entry bytes (:func:`~.canonical.entry_bytes`, or the bytes stored
    with each entry) in ``seq`` order; each is re-validated. Give either ``checkpoint`` — an
    already signed note, which must match the entries written — or ``signer_key`` to sign one
    here. Memory use is O(log n).
    """
    if (checkpoint is None) == (signer_key is None):
        raise ValueError("give exactly one of checkpoint and signer_key")
    fp.write(header_line(organisation, origin, verifier_key))
    tree = CompactRange()
    for data in entries:
        entry = parse_entry(data)
        if entry.seq != tree.size:
            raise ValueError(f"entry seq {entry.seq} where {tree.size} was expected")
        fp.write(data + b"\n")
        tree.append(leaf_hash(data))
    root = tree.root()
    if checkpoint is None:
        assert signer_key is not None
        if Signer.parse(signer_key).verifier() != Verifier.parse(verifier_key):
            raise ValueError("the signer key does not match the verifier key")
        checkpoint = sign_checkpoint(origin, tree.size, root, signer_key)
    else:
        opened = open_checkpoint(checkpoint, verifier_key)
        if (opened.origin, opened.size, opened.root) != (origin, tree.size, root):
            raise ValueError("the checkpoint does not match the entries written")
    fp.write(checkpoint_line(checkpoint))
    return tree.size, root


# --- reader ------------------------------------------------------------------------------------


def export_lines(fp: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """``(line number, line without its newline)``; the file must end with a newline."""
    number = 0
    for raw in fp:
        number += 1
        if not raw.endswith(b"\n"):
            raise RecordVerificationError(number, "truncated file: the last line has no newline")
        yield number, raw[:-1]


def export_open(path: str) -> BinaryIO:
    try:
        return open(path, "rb")  # noqa: SIM115 - closed by the callers
    except FileNotFoundError:
        raise RecordVerificationError(None, "no such file") from None
    except IsADirectoryError:
        raise RecordVerificationError(None, "is a directory, not an export file") from None
    except OSError as error:
        raise RecordVerificationError(None, f"cannot read: {error.strerror or error}") from None


def iter_entries(path: str) -> Iterator[Entry]:
    """Parse an export's entries without verifying anything else (for tooling)."""
    with export_open(path) as fp:
        for number, line in export_lines(fp):
            if number > 1 and not line.startswith(b'{"checkpoint":'):
                yield parse_entry(line)


def export_last_line(path: str) -> bytes:
    """The last line of a file, read from its end (to learn the claimed size before streaming)."""
    with export_open(path) as fp:
        fp.seek(0, os.SEEK_END)
        end = fp.tell()
        position, tail = end, b""
        while position > 0:
            step = min(65536, position)
            position -= step
            fp.seek(position)
            tail = fp.read(step) + tail
            if tail.count(b"\n") >= 2:
                break
        return tail.rstrip(b"\n").rsplit(b"\n", 1)[-1]
