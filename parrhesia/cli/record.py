"""``parrhesia record …``: the public record (see docs/record.md).

* ``parrhesia record verify FILE [--previous OLDER_FILE] [--key VERIFIER_KEY]`` — verify a
  ``parrhesia-record/1`` export offline. Pure: no Django, no database, no network.

Exit status 0 with a one-line ``OK: …`` summary on standard output; 1 with one line
``FILE:LINE: what is wrong`` (or ``FILE: …`` for the file as a whole) on standard error.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from parrhesia.cli import _Parser, add_command


def _verify(args: argparse.Namespace) -> int:
    from parrhesia.methods.record.export import RecordVerificationError, verify_export

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


def register(subparsers: Any) -> None:
    rec: argparse.ArgumentParser = subparsers.add_parser(
        "record",
        help="verify (and export) an organisation's public record",
        description="The public record: a signed, tamper-evident log (RFC 9162, C2SP checkpoints).",
    )
    sub = rec.add_subparsers(
        title="record commands", metavar="COMMAND", parser_class=_Parser, required=True
    )

    verify = add_command(
        sub,
        "verify",
        _verify,
        help="verify a parrhesia-record/1 export file offline",
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

    # ``parrhesia record export ORG [--out FILE]`` is added here by the web side: it needs Django
    # (call parrhesia.cli.django_setup() inside its handler, never at import time) and writes the
    # file with parrhesia.methods.record.export.write_export().
