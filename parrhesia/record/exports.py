"""The record export (`parrhesia-record/2`, docs/record.md) and the member's download of
everything they may see."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from parrhesia.kernel.cells import guarded_row
from parrhesia.kernel.content import download_parts
from parrhesia.kernel.errors import DomainError
from parrhesia.methods.record.export import write_export
from parrhesia.methods.record.sealed import pointer_get
from parrhesia.record.checkpoints import checkpoint_sign, signer_load
from parrhesia.record.models import RecordEntry

if TYPE_CHECKING:
    from parrhesia.orgs.models import Organisation


class RecordEmpty(DomainError):
    """The organisation's record has no entry yet (its export is a 404, its command an error)."""


def _entries(organisation: Organisation, size: int) -> Iterator[tuple[bytes, dict[str, Any]]]:
    """Each entry's leaf bytes and its openings, from seq 0 on: the sealed values as they stand
    (disclosed, or erased by a ``record.redacted`` entry), read in one statement — one snapshot.

    At least ``size`` entries (the newest checkpoint's), and more when a value among them was
    erased meanwhile: an erasure that committed after the checkpoint was signed marks a value
    erased by an entry beyond it, and the export then runs up to that entry, so that the file
    holds every ``record.redacted`` entry its openings name and discloses nothing they list
    (docs/record.md §6; the erasure and its entry commit together, so one snapshot has both).
    """
    rows = (
        RecordEntry.objects.filter(organisation=organisation)
        .order_by("seq")
        .values_list("seq", "canonical", "openings", "payload")
        .iterator(chunk_size=2000)
    )
    for seq, data, openings, payload in rows:
        if seq >= size:
            return
        exported = entry_openings(openings, payload)
        for opening in exported.values():
            if "redacted" in opening:
                size = max(size, int(opening["redacted"]["by"]) + 1)
        yield bytes(data), exported


def entry_openings(openings: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
    """An entry's openings as the export writes them, from its stored salts and payload."""
    document = {"payload": payload}
    return {
        pointer: (
            {"salt": stored["salt"], "value": pointer_get(document, pointer)}
            if "salt" in stored
            else {"redacted": stored["redacted"]}
        )
        for pointer, stored in openings.items()
    }


def record_export_write(organisation: Organisation, fp: IO[bytes]) -> int:
    """Write the export of the record up to its newest checkpoint (further only to take in an
    erasure that committed meanwhile: :func:`_entries`); return the number of entries.

    Entries appended while the export runs are left for the next export: the file always ends
    with the checkpoint of exactly the entries it holds, signed here (Ed25519 signatures are
    deterministic: for the newest checkpoint's size it is that checkpoint's note, byte for byte).
    """
    checkpoint = checkpoint_sign(organisation)
    if checkpoint is None:
        raise RecordEmpty(f"the record of '{organisation.slug}' has no entry yet")
    signer = signer_load(organisation)
    size, _ = write_export(
        fp,
        organisation=organisation.slug,
        origin=signer.origin,
        verifier_key=signer.verifier_key,
        entries=_entries(organisation, checkpoint.size),
        signer_key=signer.signer_key,
    )
    return size


# --- the member's download -----------------------------------------------------------------
# Each part writes one or more files into the ZIP from what `user` may see in `organisation`;
# the apps register theirs in their content.py (kernel.content).


def archive_json(archive: zipfile.ZipFile, name: str, value: Any) -> None:
    archive.writestr(name, json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def archive_csv(
    archive: zipfile.ZipFile, name: str, header: list[str], rows: list[list[Any]]
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    # Text cells (a member's display name…) cannot become spreadsheet formulas (kernel.cells).
    writer.writerows(guarded_row(row) for row in rows)
    archive.writestr(name, buffer.getvalue())


def record_download_part(user: Any, organisation: Organisation, archive: zipfile.ZipFile) -> None:
    with archive.open("record.jsonl", "w") as handle:
        record_export_write(organisation, handle)


README = """Everything you may see of {name}, downloaded from Parrhesia.

record.jsonl        the public record (format parrhesia-record/2): verify it offline with
                    `parrhesia record verify record.jsonl`
organisation.json   the organisation's settings
members.csv         its members and their roles
conduct_codes.json  every version of its code of conduct
"""


def member_download_write(user: Any, organisation: Organisation, fp: IO[bytes]) -> None:
    with zipfile.ZipFile(fp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(name=organisation.name))
        for part in download_parts():
            part(user, organisation, archive)
