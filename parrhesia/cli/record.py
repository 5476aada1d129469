"""``parrhesia record …``: the public record (see docs/record.md).

* ``parrhesia record verify FILE [--previous OLDER_FILE] [--key VERIFIER_KEY]`` — verify a
  ``parrhesia-record/2`` (or ``/1``) export offline. Pure: no Django, no database, no network.

Exit status 0 with a one-line ``OK: …`` summary on standard output; 1 with one line
``FILE:LINE: what is wrong`` (or ``FILE: …`` for the file as a whole) on standard error.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from parrhesia.cli import CommandError, Parser, add_command, django_setup


def _verify(args: argparse.Namespace) -> int:
    from parrhesia.methods.record.export import RecordVerificationError
    from parrhesia.methods.record.verify import verify_export

    try:
        summary = verify_export(args.file, previous=args.previous, trusted_key=args.key)
    except RecordVerificationError as error:
        print(str(error), file=sys.stderr)
        return 1
    except (UnicodeError, ValueError, OSError) as error:  # defensive: never a traceback
        print(f"{args.file}: cannot verify: {error}", file=sys.stderr)
        return 1
    print(summary.describe())
    return 0


def _organisation(slug: str) -> Any:
    django_setup()
    from parrhesia.orgs.models import Organisation

    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise CommandError(
            f"no organisation with the short name '{slug}' (see the site's home page)"
        )
    return organisation


def _export(args: argparse.Namespace) -> int:
    organisation = _organisation(args.organisation)
    from parrhesia.record.exports import RecordEmpty, record_export_write

    try:
        if args.out:
            try:
                with open(args.out, "wb") as handle:
                    size = record_export_write(organisation, handle)
            except OSError as error:
                raise CommandError(f"cannot write {args.out}: {error.strerror}") from None
            print(f"Wrote {size} entries of '{organisation.slug}' to {args.out}", file=sys.stderr)
        else:
            record_export_write(organisation, sys.stdout.buffer)
    except RecordEmpty as error:
        raise CommandError(str(error)) from None
    return 0


def _rotate_key(args: argparse.Namespace) -> int:
    organisation = _organisation(args.organisation)
    from parrhesia.record.checkpoints import SigningKeyMissing
    from parrhesia.record.services import signing_key_rotate

    try:
        verifier_key = signing_key_rotate(organisation)
    except SigningKeyMissing as error:
        raise CommandError(str(error)) from None
    print(f"New verifier key of '{organisation.slug}': {verifier_key}")
    return 0


def register(subparsers: Any) -> None:
    rec: argparse.ArgumentParser = subparsers.add_parser(
        "record",
        help="verify (and export) an organisation's public record",
        description="The public record: a signed, tamper-evident log (RFC 9162, C2SP checkpoints).",
    )
    sub = rec.add_subparsers(
        title="record commands", metavar="COMMAND", parser_class=Parser, required=True
    )

    verify = add_command(
        sub,
        "verify",
        _verify,
        help="verify a parrhesia-record/2 (or /1) export file offline",
        description=(
            "Recompute every leaf hash and the Merkle root of an export, check that each line is "
            "canonical JSON, that seq runs 0, 1, 2… and that the final checkpoint is signed by the "
            "header's key for exactly these entries."
        ),
    )
    verify.add_argument("file", metavar="FILE", help="the export to verify")
    verify.add_argument(
        "--previous",
        metavar="OLDER_FILE",
        help="an older export of the same record: check the new one extends it without rewriting",
    )
    verify.add_argument(
        "--key",
        metavar="VERIFIER_KEY",
        help="the verifier key you trust (NAME+HASH+KEY); the export must be signed by it or a "
        "successor it endorsed",
    )

    export = add_command(
        sub,
        "export",
        _export,
        help="export an organisation's record as a parrhesia-record/2 file",
        description="Write the organisation's whole record, ending with its signed checkpoint.",
    )
    export.add_argument("organisation", metavar="ORG", help="the organisation's short name (slug)")
    export.add_argument("--out", metavar="FILE", help="where to write (default: standard output)")

    rotate = add_command(
        sub,
        "rotate-key",
        _rotate_key,
        help="replace an organisation's signing key, recording the rotation",
        description=(
            "Generate a new Ed25519 signing key, append a record.key_rotated entry endorsed by the "
            "old key, and sign every later checkpoint with the new key (docs/record.md)."
        ),
    )
    rotate.add_argument("organisation", metavar="ORG", help="the organisation's short name (slug)")
