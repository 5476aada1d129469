"""The offline verifier of ``parrhesia-record/2`` and ``/1`` exports (the format: ``export.py``).

One pass over the file checks every line's canonical JSON, ``seq`` continuity, the key-rotation
chain and the closing checkpoint's signature, size and root (RFC 9162 Merkle tree hash); in ``/2``
also every opening against its commitment and every erasure against the ``record.redacted``
entry that made it; with a previous export (of either version), that the new one extends it
(same leaves, an RFC 9162 consistency proof between the two checkpoints, endorsed key changes).
See ``docs/record.md``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .canonical import Entry, EntryError, parse_canonical, parse_entry
from .checkpoint import CheckpointError, Verifier, open_checkpoint
from .export import (
    FORMAT_V1,
    FORMAT_V2,
    FORMATS,
    HEADER_KEYS,
    KEY_ROTATED,
    REDACTED_ACTION,
    ROTATION_KEYS,
    RecordVerificationError,
    entry_of_line,
    export_last_line,
    export_lines,
    export_open,
    rotation_message,
)
from .merkle import CompactRange, ProofError, consistency_proof, leaf_hash, needed_for_consistency
from .merkle import verify_consistency as merkle_verify_consistency
from .sealed import OpeningError, check_openings

__all__ = ["ExportSummary", "Header", "verify_export"]


@dataclass(frozen=True)
class Header:
    organisation: str
    origin: str
    verifier_key: str
    verifier: Verifier
    version: int = 2


@dataclass(frozen=True)
class _Rotation:
    seq: int
    line: int
    previous: Verifier
    new: Verifier


@dataclass(frozen=True)
class ExportSummary:
    """What a verified export proved."""

    path: str
    organisation: str
    origin: str
    size: int
    root: bytes
    key_name: str
    verifier_key: str
    rotations: int = 0
    previous_path: str | None = None
    previous_size: int | None = None
    captured: dict[tuple[int, int], bytes] = field(default_factory=dict, repr=False)

    @property
    def root_b64(self) -> str:
        return base64.b64encode(self.root).decode("ascii")

    def describe(self) -> str:
        """The one-line summary the CLI prints."""
        text = (
            f"OK: {self.organisation}, {self.size} entries, root {self.root_b64}, "
            f"checkpoint signed by {self.key_name}"
        )
        if self.rotations:
            text += f", {self.rotations} key rotation(s)"
        if self.previous_path is not None:
            text += f"; extends {self.previous_path} ({self.previous_size} entries) consistently"
        return text


def _parse_header(line: bytes) -> Header:
    try:
        value = parse_canonical(line)
    except EntryError as error:
        raise RecordVerificationError(1, f"not a parrhesia-record export header: {error}") from None
    if not isinstance(value, dict) or "format" not in value:
        raise RecordVerificationError(1, "not a parrhesia-record export (no format in the header)")
    if value["format"] not in FORMATS:
        raise RecordVerificationError(
            1, f"unsupported format {value['format']!r}, want {FORMAT_V2} or {FORMAT_V1}"
        )
    if set(value) != HEADER_KEYS:
        raise RecordVerificationError(1, f"header must have exactly the keys {sorted(HEADER_KEYS)}")
    organisation, origin, key = value["organisation"], value["origin"], value["verifier_key"]
    if not all(isinstance(v, str) and v for v in (organisation, origin, key)):
        raise RecordVerificationError(1, "header organisation, origin and key must be strings")
    if not origin.endswith("/" + organisation):
        raise RecordVerificationError(
            1, f"origin {origin!r} must end with '/' and the organisation {organisation!r}"
        )
    try:
        verifier = Verifier.parse(key)
    except CheckpointError as error:
        raise RecordVerificationError(1, f"header verifier_key: {error}") from None
    return Header(organisation, origin, key, verifier, FORMATS[value["format"]])


def _parse_rotation(entry: Entry, number: int, origin: str) -> _Rotation:
    payload = entry.payload
    if set(payload) != ROTATION_KEYS or not all(isinstance(v, str) for v in payload.values()):
        raise RecordVerificationError(
            number, f"{KEY_ROTATED} payload must be {sorted(ROTATION_KEYS)}"
        )
    try:
        previous = Verifier.parse(payload["previous_verifier_key"])
        new = Verifier.parse(payload["new_verifier_key"])
    except CheckpointError as error:
        raise RecordVerificationError(number, f"{KEY_ROTATED}: {error}") from None
    try:
        endorsement = base64.b64decode(payload["endorsement"], validate=True)
    except (binascii.Error, ValueError):
        endorsement = b""
    if base64.b64encode(endorsement).decode("ascii") != payload["endorsement"] or not endorsement:
        raise RecordVerificationError(number, f"{KEY_ROTATED}: endorsement is not base64")
    message = rotation_message(
        origin, payload["previous_verifier_key"], payload["new_verifier_key"]
    )
    if not previous.verify(message, endorsement):
        raise RecordVerificationError(
            number, f"{KEY_ROTATED}: the new key is not endorsed by the previous key"
        )
    return _Rotation(entry.seq, number, previous, new)


@dataclass
class _Scan:
    header: Header
    size: int
    root: bytes
    key_name: str
    rotations: list[_Rotation]
    captured: dict[tuple[int, int], bytes]


@dataclass
class _Erasures:
    """What a ``/2`` export's openings claim was erased, and what its ``record.redacted``
    entries say they erased: the two must agree (checked at the end of the file)."""

    claimed: dict[tuple[int, str], tuple[int, int]] = field(default_factory=dict)
    listed: dict[tuple[int, str], tuple[int, int]] = field(default_factory=dict)

    def entry(self, number: int, entry: Entry, openings: dict[str, object]) -> None:
        try:
            claims = check_openings(entry.seq, entry.to_json(), openings)
        except OpeningError as error:
            raise RecordVerificationError(number, f"seq {entry.seq}: {error}") from None
        for pointer, (_, by) in claims.items():
            self.claimed[(entry.seq, pointer)] = (by, number)
        if entry.action == REDACTED_ACTION:
            erased = entry.payload.get("erased")
            if not isinstance(erased, list) or not erased:
                raise RecordVerificationError(
                    number, f'{REDACTED_ACTION}: payload "erased" must list [{{"seq", "pointer"}}]'
                )
            for item in erased:
                if (
                    not isinstance(item, dict)
                    or set(item) != {"seq", "pointer"}
                    or type(item["seq"]) is not int
                    or not isinstance(item["pointer"], str)
                    or not 0 <= item["seq"] < entry.seq
                ):
                    raise RecordVerificationError(
                        number, f"{REDACTED_ACTION}: {item!r} is not an earlier entry's pointer"
                    )
                self.listed.setdefault((item["seq"], item["pointer"]), (entry.seq, number))

    def check(self) -> None:
        """Every erased opening names the entry that erased it, and nothing an entry says it
        erased is still disclosed."""
        for (seq, pointer), (by, number) in self.claimed.items():
            if self.listed.get((seq, pointer), (None,))[0] != by:
                raise RecordVerificationError(
                    number,
                    f"seq {seq} {pointer}: erased, but entry {by} is not the "
                    f"{REDACTED_ACTION} entry that lists it",
                )
        for (seq, pointer), (by, number) in self.listed.items():
            if (seq, pointer) not in self.claimed:
                raise RecordVerificationError(
                    number,
                    f"{REDACTED_ACTION} (seq {by}) erased seq {seq} {pointer}, but the export "
                    "still discloses it or has no such sealed value",
                )


def _scan(
    path: str,
    prefix: Iterator[bytes] | None = None,
    prefix_size: int = 0,
    capture: Iterable[tuple[int, int]] = (),
) -> _Scan:
    """Verify one export in one pass; compare its first ``prefix_size`` leaves with ``prefix``."""
    with export_open(path) as fp:
        lines = export_lines(fp)
        try:
            first = next(lines)
        except StopIteration:
            raise RecordVerificationError(
                None, "empty file, not a parrhesia-record export"
            ) from None
        header = _parse_header(first[1])
        tree = CompactRange(capture)
        rotations: list[_Rotation] = []
        erasures = _Erasures()
        pending = next(lines, None)
        if pending is None:
            raise RecordVerificationError(
                1, "no checkpoint line after the header (truncated file?)"
            )
        while True:
            following = next(lines, None)
            number, line = pending
            if following is None:
                break  # ``line`` is the last line: the checkpoint
            if line.startswith(b'{"checkpoint":'):
                raise RecordVerificationError(number, "checkpoint line before the end of the file")
            leaf, entry = _entry_read(number, line, header.version, erasures)
            if entry.seq != tree.size:
                raise RecordVerificationError(
                    number,
                    f"seq {entry.seq} where {tree.size} was expected "
                    "(entry deleted, duplicated, inserted or reordered)",
                )
            digest = leaf_hash(leaf)
            if prefix is not None and tree.size < prefix_size:
                old = next(prefix, None)
                if old is None or leaf_hash(old) != digest:
                    raise RecordVerificationError(
                        number,
                        f"entry seq {entry.seq} differs from the previous export: "
                        "history was rewritten",
                    )
            if entry.action == KEY_ROTATED:
                rotation = _parse_rotation(entry, number, header.origin)
                if rotations and rotation.previous != rotations[-1].new:
                    raise RecordVerificationError(
                        number,
                        f"{KEY_ROTATED}: previous key is not the key announced on line "
                        f"{rotations[-1].line}",
                    )
                rotations.append(rotation)
            tree.append(digest)
            pending = following
        number, line = pending
        key_name, root = _closing_check(number, line, header, tree, rotations)
        erasures.check()
        return _Scan(header, tree.size, root, key_name, rotations, tree.captured)


def _entry_read(number: int, line: bytes, version: int, erasures: _Erasures) -> tuple[bytes, Entry]:
    """``(leaf bytes, entry)`` of an entry line, its openings checked (``/2``)."""
    try:
        leaf, openings = entry_of_line(line, version)
        entry = parse_entry(leaf)
    except EntryError as error:
        raise RecordVerificationError(number, f"bad entry: {error}") from None
    if version == 2:
        erasures.entry(number, entry, openings)
    return leaf, entry


def _leaves(lines: Iterator[tuple[int, bytes]], version: int) -> Iterator[bytes]:
    """The leaf bytes of an already verified export's entry lines."""
    for _, line in lines:
        if line.startswith(b'{"checkpoint":'):
            return
        yield entry_of_line(line, version)[0]


def _closing_check(
    number: int, line: bytes, header: Header, tree: CompactRange, rotations: list[_Rotation]
) -> tuple[str, bytes]:
    """Check the last line: a checkpoint signed with the header's key for this origin, size and
    root, the header's key being the last one a rotation announced; (signer's key name, root)."""
    note = _parse_checkpoint_line(number, line)
    try:
        checkpoint = open_checkpoint(note, header.verifier_key)
    except CheckpointError as error:
        raise RecordVerificationError(number, f"checkpoint: {error}") from None
    if checkpoint.origin != header.origin:
        raise RecordVerificationError(
            number, f"checkpoint origin {checkpoint.origin!r} is not {header.origin!r}"
        )
    if checkpoint.size != tree.size:
        raise RecordVerificationError(
            number,
            f"checkpoint is for {checkpoint.size} entries but the file has {tree.size} "
            "(entries added or removed)",
        )
    root = tree.root()
    if checkpoint.root != root:
        raise RecordVerificationError(
            number, "checkpoint root hash does not match the entries (an entry was altered)"
        )
    if rotations and rotations[-1].new != header.verifier:
        raise RecordVerificationError(
            1,
            f"header verifier_key is not the key announced by the last {KEY_ROTATED} "
            f"(line {rotations[-1].line})",
        )
    return checkpoint.key_name, root


def _parse_checkpoint_line(number: int, line: bytes) -> str:
    try:
        value = parse_canonical(line)
    except EntryError as error:
        raise RecordVerificationError(number, f"bad checkpoint line: {error}") from None
    if (
        isinstance(value, dict)
        and set(value) == {"checkpoint"}
        and isinstance(value["checkpoint"], str)
    ):
        return value["checkpoint"]
    if isinstance(value, dict) and "seq" in value:
        raise RecordVerificationError(
            number, "the last line is an entry, not the checkpoint (truncated file?)"
        )
    raise RecordVerificationError(number, 'the last line must be {"checkpoint": NOTE}')


def _claimed_size(path: str) -> int | None:
    try:
        note = parse_canonical(export_last_line(path))["checkpoint"]
        return int(note.split("\n")[1])
    except (EntryError, KeyError, TypeError, ValueError, IndexError, RecordVerificationError):
        return None


def verify_export(
    path: str, previous: str | None = None, trusted_key: str | None = None
) -> ExportSummary:
    """Verify an export offline; raise :class:`RecordVerificationError` on the first problem.

    Checks canonical JSON on every line, ``seq`` continuity from 0, key-rotation chain, and that
    the last line is a checkpoint signed with the header key for this origin, this many entries
    and this root. With ``previous`` (an older export of the same log), also checks that the
    older export verifies, that its entries are a prefix of this one's (same leaf hashes), that
    its key leads to this one's through endorsed rotations, and verifies an RFC 9162 consistency
    proof between the two checkpoints. With ``trusted_key``, the header key must be that key or
    a successor of it through the rotation chain.
    """
    try:
        return _verify(path, previous, trusted_key)
    except RecordVerificationError as error:
        if error.path is None:
            error.path = path
        raise


def _verify(path: str, previous: str | None, trusted_key: str | None) -> ExportSummary:
    if previous is None:
        scan = _scan(path)
        old: _Scan | None = None
    else:
        try:
            old = _scan(previous)
        except RecordVerificationError as error:
            error.path = previous
            raise
        claimed = _claimed_size(path)
        capture = (
            needed_for_consistency(old.size, claimed)
            if claimed is not None and claimed >= old.size
            else []
        )
        with export_open(previous) as old_fp:
            old_lines = export_lines(old_fp)
            next(old_lines)  # header
            old_leaves = _leaves(old_lines, old.header.version)
            scan = _scan(path, prefix=old_leaves, prefix_size=old.size, capture=capture)
        _check_extends(scan, old)
    if trusted_key is not None:
        try:
            trusted = Verifier.parse(trusted_key)
        except CheckpointError as error:
            raise RecordVerificationError(None, f"trusted key: {error}") from None
        chain = [scan.header.verifier] + [r.previous for r in scan.rotations]
        if trusted not in chain:
            raise RecordVerificationError(
                1, "the export is not signed by the trusted key or a successor of it"
            )
    return ExportSummary(
        path=path,
        organisation=scan.header.organisation,
        origin=scan.header.origin,
        size=scan.size,
        root=scan.root,
        key_name=scan.key_name,
        verifier_key=scan.header.verifier_key,
        rotations=len(scan.rotations),
        previous_path=previous,
        previous_size=None if old is None else old.size,
        captured=scan.captured,
    )


def _check_extends(new: _Scan, old: _Scan) -> None:
    if new.header.origin != old.header.origin:
        raise RecordVerificationError(
            1,
            f"origin {new.header.origin!r} differs from the previous export's "
            f"{old.header.origin!r}",
        )
    if new.size < old.size:
        raise RecordVerificationError(
            new.size + 2, f"has {new.size} entries, fewer than the previous export's {old.size}"
        )
    if new.header.verifier != old.header.verifier:
        later = [r for r in new.rotations if r.seq >= old.size]
        if not later or later[0].previous != old.header.verifier:
            raise RecordVerificationError(
                1,
                "signed with another key than the previous export, and no "
                f"{KEY_ROTATED} entry after it endorses the change",
            )
    try:
        proof = consistency_proof(old.size, new.size, new.captured)
        merkle_verify_consistency(old.size, new.size, old.root, new.root, proof)
    except (KeyError, ProofError) as error:
        raise RecordVerificationError(
            new.size + 2, f"no valid consistency proof from the previous checkpoint: {error}"
        ) from None
