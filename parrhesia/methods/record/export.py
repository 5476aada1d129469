"""The ``parrhesia-record/2`` export file (and ``/1``, which it extends): its format, its
streaming writer and its reader (the offline verifier is ``verify.py``).

The file is JSON Lines; every line is RFC 8785 canonical JSON followed by ``\\n``:

1. header ``{"format":"parrhesia-record/2","organisation":SLUG,"origin":ORIGIN,
   "verifier_key":VKEY}``;
2. one line per entry, ``seq`` 0, 1, 2, …: in ``/2`` the object ``{"entry":E,"openings":O}``,
   the canonical bytes of ``E`` being the RFC 9162 leaf and ``O`` the openings of its sealed
   values (``sealed.py``); in ``/1`` exactly the leaf bytes;
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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any, BinaryIO, Protocol

from .canonical import Entry, EntryError, canonical_json, parse_canonical, parse_entry
from .checkpoint import (
    Signer,
    Verifier,
    open_checkpoint,
    sign_checkpoint,
)
from .merkle import CompactRange, leaf_hash
from .sealed import check_openings, commitments_in, opened_payload

__all__ = [
    "FORMAT",
    "FORMAT_V1",
    "FORMAT_V2",
    "REDACTED_ACTION",
    "entry_line",
    "entry_of_line",
    "export_version",
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

FORMAT_V1 = "parrhesia-record/1"
FORMAT_V2 = "parrhesia-record/2"
#: The format written; the verifier reads both.
FORMAT = FORMAT_V2
FORMATS = {FORMAT_V1: 1, FORMAT_V2: 2}
KEY_ROTATED = "record.key_rotated"
REDACTED_ACTION = "record.redacted"
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


def header_line(organisation: str, origin: str, verifier_key: str, version: int = 2) -> bytes:
    """The canonical header line (with its ``\\n``)."""
    Verifier.parse(verifier_key)
    if not organisation or not origin.endswith("/" + organisation):
        raise ValueError("the origin must end with '/' and the organisation slug")
    header = {
        "format": FORMAT_V2 if version == 2 else FORMAT_V1,
        "organisation": organisation,
        "origin": origin,
        "verifier_key": verifier_key,
    }
    return canonical_json(header) + b"\n"


def entry_line(leaf: bytes, openings: Mapping[str, Any]) -> bytes:
    """A ``/2`` entry line (without its newline): ``{"entry":E,"openings":O}``.

    ``leaf`` is canonical, so splicing it in keeps the line canonical (members sorted).
    """
    return b'{"entry":' + leaf + b',"openings":' + canonical_json(dict(openings)) + b"}"


def entry_of_line(line: bytes, version: int) -> tuple[bytes, dict[str, Any]]:
    """``(leaf bytes, openings)`` of an entry line; :class:`EntryError` if it is malformed."""
    if version == 1:
        return line, {}
    value = parse_canonical(line)
    if not isinstance(value, dict) or set(value) != {"entry", "openings"}:
        raise EntryError('an entry line is {"entry": ENTRY, "openings": OPENINGS}')
    if not isinstance(value["openings"], dict):
        raise EntryError("openings must be a JSON object")
    return canonical_json(value["entry"]), value["openings"]


def checkpoint_line(note: str) -> bytes:
    """The canonical checkpoint line (with its ``\\n``)."""
    return canonical_json({"checkpoint": note}) + b"\n"


def rotation_message(origin: str, previous_verifier_key: str, new_verifier_key: str) -> bytes:
    """The bytes the previous key signs to endorse its successor."""
    return (  # the /1 wording: endorsements outlive format versions
        f"{FORMAT_V1} key rotation\n{origin}\n{previous_verifier_key}\n{new_verifier_key}\n"
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
    entries: Iterable[bytes | tuple[bytes, Mapping[str, Any]]],
    checkpoint: str | None = None,
    signer_key: str | None = None,
    version: int = 2,
) -> tuple[int, bytes]:
    """Stream an export to the binary file ``fp``; return ``(size, root)``.

    ``entries`` are canonical entry bytes (:func:`~.canonical.entry_bytes`, or the bytes stored
    with each entry) in ``seq`` order, each alone or with its openings (``{pointer: {"salt",
    "value"}}`` or ``{pointer: {"redacted": {"by": SEQ}}}``); each is re-validated. Give either
    ``checkpoint`` — an already signed note, which must match the entries written — or
    ``signer_key`` to sign one here. ``version`` 1 writes the older format, which cannot carry
    openings. Memory use is O(log n).
    """
    if (checkpoint is None) == (signer_key is None):
        raise ValueError("give exactly one of checkpoint and signer_key")
    fp.write(header_line(organisation, origin, verifier_key, version))
    tree = CompactRange()
    for item in entries:
        data, openings = (item, {}) if isinstance(item, bytes | bytearray) else item
        entry = parse_entry(data)
        if entry.seq != tree.size:
            raise ValueError(f"entry seq {entry.seq} where {tree.size} was expected")
        if version == 1:
            if openings or any(commitments_in(entry.to_json())):
                raise ValueError(f"entry {entry.seq} has sealed values: write {FORMAT_V2}")
            fp.write(data + b"\n")
        else:
            check_openings(entry.seq, entry.to_json(), openings)
            fp.write(entry_line(data, openings) + b"\n")
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


def export_version(line: bytes) -> int:
    """The format version (1 or 2) a header line names; :class:`EntryError` otherwise."""
    header = parse_canonical(line)
    if not isinstance(header, dict) or header.get("format") not in FORMATS:
        raise EntryError(f"not a {FORMAT_V1} or {FORMAT_V2} export header")
    return FORMATS[header["format"]]


def iter_entries(path: str) -> Iterator[Entry]:
    """Parse an export's entries without verifying anything else (for tooling).

    In a ``/2`` export each entry's payload is opened: a sealed value is given as disclosed, or
    as ``{"$redacted": SEQ}`` where it was erased (``SEQ``: the ``record.redacted`` entry).
    """
    with export_open(path) as fp:
        version = 1
        for number, line in export_lines(fp):
            if number == 1:
                version = export_version(line)
            elif not line.startswith(b'{"checkpoint":'):
                leaf, openings = entry_of_line(line, version)
                entry = parse_entry(leaf)
                if openings:
                    opened = opened_payload(entry.to_json(), openings)
                    entry = replace(entry, payload=opened, leaf=leaf)
                yield entry


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
