"""``parrhesia tally FILE --method M``: count a ballot file (PrefLib or CSV).

The JSON output is a stable contract documented in docs/voting.md. No Django here.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from parrhesia.cli import CommandError, add_command

METHODS = ("plurality", "approval", "schulze", "ranked-pairs", "irv", "stv")
MULTI_SEAT = ("plurality", "approval", "stv")


def register(subparsers: Any) -> None:
    command = add_command(
        subparsers,
        "tally",
        handle,
        help="count a ballot file (PrefLib .soc/.soi/.toc/.toi or CSV)",
        description="Count a ballot file. Counting rules and the JSON format: docs/voting.md.",
    )
    command.add_argument("file", metavar="FILE", help="PrefLib (.soc .soi .toc .toi) or .csv")
    command.add_argument("--method", required=True, choices=METHODS, help="counting rule")
    command.add_argument(
        "--seats", type=int, default=1, help="seats to fill (plurality, approval, stv; default 1)"
    )
    command.add_argument("--format", choices=("json", "text"), default="text", dest="output")
    command.add_argument(
        "--seed", type=int, default=0, help="seed of the lot for IRV/STV ties (default 0)"
    )


def handle(args: argparse.Namespace) -> int:
    from parrhesia.methods import voting

    try:
        profile = voting.read_profile(args.file)
    except voting.BallotFileError as error:
        raise CommandError(str(error)) from None
    _check_seats(args.method, args.seats, profile.num_alternatives)
    result = _count(voting, profile, args.method, args.seats, args.seed)
    document = {"file": args.file, **result.as_dict()}
    if args.output == "json":
        json.dump(document, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(document))
    return 0


def _check_seats(method: str, seats: int, alternatives: int) -> None:
    if method not in MULTI_SEAT and seats != 1:
        raise CommandError(f"--seats must be 1 for {method} (a single-winner method)")
    if not 1 <= seats <= alternatives:
        raise CommandError(f"--seats must be between 1 and {alternatives} (the alternatives)")


def _count(voting: Any, profile: Any, method: str, seats: int, seed: int) -> Any:
    if method == "plurality":
        return voting.plurality(profile, seats)
    if method == "approval":
        return voting.approval(profile, seats)
    if method == "schulze":
        return voting.schulze(profile)
    if method == "ranked-pairs":
        return voting.ranked_pairs(profile)
    if method == "irv":
        return voting.instant_runoff(profile, seed=seed)
    return voting.scottish_stv(profile, seats, seed=seed)


def render_text(doc: dict[str, Any]) -> str:
    """A human-readable report of the same document."""
    lines = [
        f"{doc['file']}: {doc['method']}, {doc['seats']} seat(s), {doc['ballots']} ballots "
        f"({doc['valid_ballots']} valid)",
        f"Winner{'s' if len(doc['winners']) > 1 else ''}: " + "; ".join(doc["winners"]),
    ]
    if "quota" in doc:
        lines.append(f"Quota: {doc['quota']:g}")
    if "scores" in doc:
        lines.append("Scores:")
        lines += [f"  {doc['scores'][name]:>10}  {name}" for name in doc["ranking"]]
    else:
        lines.append("Ranking: " + " > ".join(doc["ranking"][:20]))
    if "pairwise" in doc and len(doc["alternatives"]) <= 12:
        lines += _pairwise_lines(doc["alternatives"], doc["pairwise"])
    for stage in doc.get("rounds", []):
        lines += _round_lines(stage)
    lines += [f"Tie-break: {note}" for note in doc["tie_breaks"]]
    return "\n".join(lines) + "\n"


def _pairwise_lines(names: list[str], d: list[list[int]]) -> list[str]:
    lines = ["Pairwise (row preferred to column):"]
    for i, name in enumerate(names):
        cells = " ".join(f"{'-' if i == j else d[i][j]:>7}" for j in range(len(names)))
        lines.append(f"  {cells}  {i + 1}. {name}")
    return lines


def _round_lines(stage: dict[str, Any]) -> list[str]:
    number = stage.get("round", stage.get("stage"))
    title = stage.get("action", "count")
    if "candidate" in stage:
        title += f" of {stage['candidate']}"
    lines = [f"{'Round' if 'round' in stage else 'Stage'} {number}: {title}"]
    tallies = sorted(stage["tallies"].items(), key=lambda item: -item[1])
    lines += [f"  {_number(votes):>14}  {name}" for name, votes in tallies if votes]
    exhausted = stage.get("exhausted", stage.get("non_transferable"))
    if exhausted:
        lines.append(f"  {_number(exhausted):>14}  (exhausted / non-transferable)")
    for key in ("elected", "eliminated"):
        value = stage.get(key)
        if value:
            lines.append(f"  {key}: {value if isinstance(value, str) else '; '.join(value)}")
    return lines


def _number(value: float) -> str:
    """Whole numbers as such; STV values with their five decimals."""
    return str(value) if isinstance(value, int) else f"{value:.5f}".rstrip("0").rstrip(".")
