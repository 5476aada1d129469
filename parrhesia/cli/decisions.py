"""``parrhesia decisions …``: ballots.

* ``parrhesia decisions recount --record FILE [--skip-verify]`` — recount every closed ballot
  of a ``parrhesia-record`` export (/2 or /1) from its entries alone and compare with the
  published results.
  Pure: no Django, no database, no network. Exit 0 with a one-line summary; 1 naming the first
  ballot whose published result differs (or the export's first defect).
"""

from __future__ import annotations

import argparse
from typing import Any

from parrhesia.cli import CommandError, Parser, add_command


def _recount(args: argparse.Namespace) -> int:
    from parrhesia.decisions.recount import RecountMismatch, recount_export
    from parrhesia.methods.record.canonical import EntryError
    from parrhesia.methods.record.export import RecordVerificationError

    try:
        summary = recount_export(args.record, verify=not args.skip_verify)
    except RecordVerificationError as error:
        raise CommandError(f"the export does not verify: {error}") from None
    except RecountMismatch as error:
        raise CommandError(f"{args.record}: {error}") from None
    except (EntryError, KeyError, TypeError, ValueError, OSError) as error:
        raise CommandError(f"{args.record}: cannot recount: {error!r}") from None
    print(summary.describe())
    return 0


def register(subparsers: Any) -> None:
    group: argparse.ArgumentParser = subparsers.add_parser(
        "decisions",
        help="recount an organisation's ballots from its record export",
        description="Ballots and their results (docs/voting.md).",
    )
    sub = group.add_subparsers(
        title="decisions commands", metavar="COMMAND", parser_class=Parser, required=True
    )
    recount = add_command(
        sub,
        "recount",
        _recount,
        help="recount every closed ballot of a record export and compare with its results",
        description=(
            "Verify a parrhesia-record export, then recount every closed ballot in it from its "
            "recorded ballots with Parrhesia's counting rules, and compare with the result "
            "published when it closed."
        ),
    )
    recount.add_argument(
        "--record",
        required=True,
        metavar="EXPORT_FILE",
        help="a parrhesia-record export (/2 or /1)",
    )
    recount.add_argument(
        "--skip-verify",
        action="store_true",
        help="recount without verifying the export's hashes and signature first",
    )
