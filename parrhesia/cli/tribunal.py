"""``parrhesia tribunal …``: check the tribunal from a record export alone (docs/tribunal.md).

* ``parrhesia tribunal redraw (CASE | --all) --record EXPORT`` — recompute every recorded jury
  draw (``jury.drawn`` entries) from the export: the root of the record at the recorded
  checkpoint size, the case number, the recorded eligible ids and size; the jurors must be the
  lot's order with at most ``withheld`` ids passed over, each before the last juror (none in
  entries written before the field existed). Exit 0 when every draw is reproduced, 1 naming the
  first that is not.
* ``parrhesia tribunal report --record EXPORT [--format json|csv]`` — the transparency report's
  numbers, as the organisation's page shows them.

Pure: no Django, no database.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any

from parrhesia.cli import CommandError, Parser, add_command


def _verified_entries(path: str) -> list[Any]:
    from parrhesia.methods.record.export import RecordVerificationError, iter_entries
    from parrhesia.methods.record.verify import verify_export

    try:
        verify_export(path)
        return list(iter_entries(path))
    except RecordVerificationError as error:
        raise CommandError(f"the export does not verify: {error}") from None


def redraw_check(entries: list[Any], case: int | None = None) -> tuple[int, str | None]:
    """``(draws checked, the first failure or None)`` for the export's ``jury.drawn`` entries."""
    from parrhesia.methods.jury import jury_verify
    from parrhesia.methods.record.merkle import CompactRange, leaf_hash
    from parrhesia.tribunal.actions import Action, checkpoint_root_text, jury_draw_inputs

    tree = CompactRange()
    roots: dict[int, bytes] = {0: tree.root()}
    for entry in entries:
        tree.append(leaf_hash(entry.leaf_bytes()))  # an opened entry hashes as recorded
        roots[tree.size] = tree.root()
    checked = 0
    for entry in entries:
        if entry.action != Action.JURY_DRAWN or (case is not None and entry.subject_id != case):
            continue
        p = entry.payload
        where = f"case {entry.subject_id}, {p.get('draw')} (entry #{entry.seq})"
        size = p["checkpoint_size"]
        if not 0 < size <= entry.seq or size not in roots:
            return checked, f"{where}: checkpoint size {size} is not before the draw"
        root = roots[size]
        if checkpoint_root_text(root) != p["checkpoint_root"]:
            return checked, f"{where}: the recorded root is not the record's root at size {size}"
        if p["case"] != entry.subject_id:
            return checked, f"{where}: the draw names case {p['case']}"
        failure = jury_verify(root=root, **jury_draw_inputs(p))
        if failure is not None:
            return checked, f"{where}: {failure}"
        checked += 1
    return checked, None


def _redraw(args: argparse.Namespace) -> int:
    if args.case is None and not args.all:
        raise CommandError("name a CASE number or --all")
    entries = _verified_entries(args.record)
    try:
        checked, failure = redraw_check(entries, None if args.all else args.case)
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        # A forged export can verify (signed by its own key) yet hold a draw that is no draw.
        raise CommandError(f"{args.record}: a jury.drawn entry is malformed: {error!r}") from None
    if failure:
        print(f"{args.record}: NOT REPRODUCED: {failure}", file=sys.stderr)
        return 1
    if checked == 0:
        raise CommandError("no jury draw of that case in the export")
    print(f"OK: {checked} jury draw(s) reproduced from {args.record}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from parrhesia.kernel.cells import guarded_row
    from parrhesia.tribunal.transparency import report_rows, transparency_report

    entries = _verified_entries(args.record)
    try:
        report = transparency_report(entry.to_json() for entry in entries)
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise CommandError(f"{args.record}: an entry is malformed: {error!r}") from None
    if args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["section", "item", "value"])
        writer.writerows(guarded_row(row) for row in report_rows(report))
    else:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


def register(subparsers: Any) -> None:
    group: argparse.ArgumentParser = subparsers.add_parser(
        "tribunal", help="re-check jury draws and the transparency report from a record export"
    )
    commands = group.add_subparsers(
        title="commands", metavar="COMMAND", parser_class=Parser, required=True
    )
    redraw = add_command(
        commands, "redraw", _redraw, help="recompute recorded jury draws from a record export"
    )
    redraw.add_argument("case", nargs="?", type=int, help="the case number")
    redraw.add_argument("--all", action="store_true", help="every draw in the export")
    redraw.add_argument("--record", required=True, metavar="EXPORT_FILE")
    report = add_command(
        commands, "report", _report, help="the transparency report from a record export"
    )
    report.add_argument("--record", required=True, metavar="EXPORT_FILE")
    report.add_argument("--format", choices=["json", "csv"], default="json")
