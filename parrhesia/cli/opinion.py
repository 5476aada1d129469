"""``parrhesia opinion …``: opinion mapping commands.

``opinion analyze DIR`` reads a Polis export folder and prints the opinion map (JSON contract
documented in ``docs/opinion.md``). It imports no Django. Further sub-commands (import/export
against the database) are registered in :func:`register` next to it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from parrhesia.cli import CommandError, add_command, django_setup


def register(subparsers: Any) -> None:
    opinion = subparsers.add_parser(
        "opinion", help="opinion mapping (Polis-style groups, consensus, bridging)"
    )
    commands = opinion.add_subparsers(
        title="opinion commands", metavar="COMMAND", parser_class=type(opinion), required=True
    )
    analyze = add_command(
        commands,
        "analyze",
        handle_analyze,
        help="analyze a Polis export folder",
        description="Read a Polis export folder (comments.csv, participants-votes.csv and, when "
        "present, votes.csv) and print groups, representative statements, consensus and "
        "bridging scores.",
    )
    analyze.add_argument("folder", metavar="DIR", help="Polis export folder")
    analyze.add_argument(
        "--format", choices=("json", "text"), default="text", help="output format (default: text)"
    )
    analyze.add_argument("--no-bridging", action="store_true", help="skip the bridging fit")
    analyze.add_argument(
        "--progress", action="store_true", help="report the stages on standard error"
    )
    register_database_commands(commands)


def register_database_commands(commands: Any) -> None:
    """``opinion import`` and ``opinion export``: conversations in the database, Polis format."""
    importer = add_command(
        commands,
        "import",
        handle_import,
        help="create a conversation from a Polis export folder",
        description="Create a conversation in an organisation from a Polis export folder "
        "(comments.csv, participants-votes.csv, and votes.csv and summary.csv when present). "
        "Polis participants become external participants known only by their Polis id; they "
        "are not members. The first opinion map is computed before the command ends.",
    )
    importer.add_argument("folder", metavar="DIR", help="Polis export folder")
    importer.add_argument("--org", required=True, metavar="SLUG", help="the organisation")
    importer.add_argument("--topic", default="", help="topic (default: summary.csv's topic)")
    exporter = add_command(
        commands,
        "export",
        handle_export,
        help="write conversations in Polis's export format",
        description="Write comments.csv, votes.csv, participants-votes.csv and summary.csv of "
        "one conversation into DIR, or of every conversation of an organisation (--org) into "
        "DIR/<id>/.",
    )
    exporter.add_argument(
        "conversation",
        nargs="?",
        type=int,
        metavar="CONVERSATION_ID",
        help="the conversation's id (shown in its address)",
    )
    exporter.add_argument("--org", metavar="SLUG", help="export every conversation of it")
    exporter.add_argument("--out", required=True, metavar="DIR", help="folder to write into")


def handle_analyze(args: argparse.Namespace) -> int:
    from parrhesia.methods.opinion import PolisFormatError, analyze, load_polis_export
    from parrhesia.methods.opinion.pipeline import in_conversation_history

    def progress(stage: str) -> None:
        if args.progress:
            print(f"opinion: {stage}…", file=sys.stderr, flush=True)

    started = time.perf_counter()
    progress("loading")
    try:
        export = load_polis_export(args.folder)
    except PolisFormatError as error:
        raise CommandError(str(error)) from None
    loaded = time.perf_counter()
    history = None
    if export.vote_times is not None:
        history = in_conversation_history(export.matrix, export.vote_times)
    result = analyze(
        export.matrix,
        export.moderated_out,
        with_bridging=not args.no_bridging,
        progress=progress,
        keep_in=history,
    )
    document = result.to_json()
    document["timings"] = {
        "load_s": round(loaded - started, 4),
        "analysis_s": round(time.perf_counter() - loaded, 4),
    }
    if args.format == "json":
        json.dump(document, sys.stdout, ensure_ascii=False, separators=(",", ":"))
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(document, export.matrix.shape))
    return 0


def render_text(document: dict[str, Any], shape: tuple[int, int]) -> str:
    participants = document["participants"]
    clustered = sum(1 for g in participants.values() if g is not None)
    lines = [
        f"{shape[0]} participants ({clustered} clustered), {shape[1]} statements",
        f"{len(document['groups'])} groups",
    ]
    for index, group in enumerate(document["groups"]):
        lines.append(f"\nGroup {index}: {group['size']} participants")
        for rep in group["representative"]:
            lines.append(
                f"  statement {rep['statement']:>6}  {rep['direction']:<8}"
                f" {rep['n_success']}/{rep['n_trials']}  p={rep['p_success']:.2f}"
                f"  repness={rep['repness']:.2f}"
            )
    lines.append("\nConsensus")
    for item in document["consensus"]:
        lines.append(
            f"  statement {item['statement']:>6}  {item['direction']:<8}"
            f" {item['n_success']}/{item['n_trials']}  p={item['p_success']:.2f}"
        )
    bridging = sorted(document["bridging"].items(), key=lambda kv: -kv[1])[:5]
    lines.append("\nMost bridging (intercept)")
    lines.extend(f"  statement {sid:>6}  {score:+.3f}" for sid, score in bridging)
    timings = document["timings"]
    lines.append(f"\nload {timings['load_s']:.3f} s, analysis {timings['analysis_s']:.3f} s\n")
    return "\n".join(lines)


def _organisation(slug: str) -> Any:
    django_setup()
    from parrhesia.orgs.models import Organisation

    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise CommandError(f"no organisation with the short name '{slug}'")
    return organisation


def handle_import(args: argparse.Namespace) -> int:
    from parrhesia.methods.opinion import PolisFormatError

    organisation = _organisation(args.org)
    from parrhesia.opinion.analysis import analysis_loop
    from parrhesia.opinion.services import conversation_import

    started = time.perf_counter()
    try:
        conversation = conversation_import(
            organisation=organisation, folder=args.folder, topic=args.topic
        )
    except PolisFormatError as error:
        raise CommandError(str(error)) from None
    version = analysis_loop(conversation.pk)
    counts = (
        conversation.participants.count(),
        conversation.statements.count(),
        conversation.votes_cast,
    )
    print(
        f"Imported conversation {conversation.pk} into '{organisation.slug}': "
        f"{counts[0]} participants, {counts[1]} statements, {counts[2]} votes; "
        f"map version {version} ({time.perf_counter() - started:.1f} s)",
        file=sys.stderr,
    )
    print(conversation.pk)
    return 0


def handle_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    if (args.conversation is None) == (args.org is None):
        raise CommandError("give either a CONVERSATION_ID or --org SLUG")
    out = Path(args.out)
    if args.org:
        organisation = _organisation(args.org)
        conversations = list(organisation.conversations.order_by("pk"))
    else:
        django_setup()
        from parrhesia.opinion.models import Conversation

        conversations = list(Conversation.objects.filter(pk=args.conversation))
        if not conversations:
            raise CommandError(f"no conversation with the id {args.conversation}")
    from parrhesia.opinion.exports import polis_folder_write

    try:
        for conversation in conversations:
            folder = out / str(conversation.pk) if args.org else out
            polis_folder_write(conversation, folder)
            print(f"Wrote conversation {conversation.pk} to {folder}", file=sys.stderr)
    except OSError as error:
        raise CommandError(f"cannot write {out}: {error.strerror}") from None
    return 0
