"""Reads on ballots that depend on who is asking, and the files anyone can recount from."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from parrhesia.decisions.models import (
    MOTION_LABELS,
    Ballot,
    CoSignature,
    MinorityReport,
    Participation,
    Status,
    Vote,
)
from parrhesia.orgs.models import Membership, Organisation


def ballots_of(organisation: Organisation) -> QuerySet[Ballot]:
    return Ballot.objects.filter(organisation=organisation).annotate(
        open_votes=Count("votes", distinct=True),
        secret_votes=Count("participations", distinct=True),
    )


def ballot_visible(organisation: Organisation, ballot_id: int) -> Ballot:
    ballot = (
        Ballot.objects.filter(organisation=organisation, pk=ballot_id)
        .select_related("organisation", "block_answered_by__user", "closed_by__user")
        .prefetch_related("options")
        .first()
    )
    if ballot is None:
        raise Http404
    return ballot


def turnout_of(ballot: Ballot) -> int:
    model = Participation if ballot.is_secret else Vote
    return model.objects.filter(ballot=ballot).count()


def vote_of(ballot: Ballot, member: Membership | None) -> Vote | None:
    """The member's current vote on an open ballot (never for secret ballots: there is none)."""
    if member is None or ballot.is_secret:
        return None
    return Vote.objects.filter(ballot=ballot, member=member).first()


def has_participated(ballot: Ballot, member: Membership | None) -> bool:
    if member is None:
        return False
    return Participation.objects.filter(ballot=ballot, member=member).exists()


def results_visible(ballot: Ballot) -> bool:
    return ballot.status == Status.CLOSED or not ballot.hides_results


def minority_reports(ballot: Ballot) -> QuerySet[MinorityReport]:
    return ballot.minority_reports.select_related("author__user").prefetch_related(
        Prefetch("cosigners", queryset=CoSignature.objects.select_related("member__user"))
    )


def ballot_choices(ballot: Ballot) -> list[dict[str, Any]]:
    """Counted ballots with their reasons: attributed (open) or anonymous (secret, after close)."""
    if ballot.is_secret:
        return list(ballot.published_ballots or [])
    votes = Vote.objects.filter(ballot=ballot).select_related("member__user").order_by("member_id")
    return [
        {
            "member": v.member_id,
            "name": v.member.user.public_name,
            "choices": v.choices,
            "reason": v.reason,
        }
        for v in votes
    ]


def reasons_by_choice(
    ballot: Ballot, labels: dict[int, str], choices: list[dict[str, Any]] | None = None
) -> list[tuple[str, list[dict]]]:
    """Reasons grouped by the choice (motions, plurality) or by first preference (others)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in ballot_choices(ballot) if choices is None else choices:
        if not item["reason"]:
            continue
        groups.setdefault(choice_summary(ballot, item["choices"], labels), []).append(item)
    return sorted(groups.items())


def motion_choice_label(choice: str) -> str:
    """The choice's label without its explanation ("Block (I object…)" reads "Block")."""
    label = MOTION_LABELS.get(choice)
    return str(label).split(" (")[0] if label is not None else str(choice)


def choice_summary(ballot: Ballot, choices: Any, labels: dict[int, str]) -> str:
    if ballot.method == "motion":
        return motion_choice_label(choices)
    if ballot.method == "plurality":
        return labels[choices]
    if ballot.method == "approval":
        return ", ".join(labels[k] for k in choices) or "—"
    return " > ".join(" = ".join(labels[k] for k in tier) for tier in choices)


def motion_counts(ballot: Ballot) -> Counter[str]:
    return Counter(v for v in Vote.objects.filter(ballot=ballot).values_list("choices", flat=True))


# --- downloads -------------------------------------------------------------------------------


def ballots_csv(ballot: Ballot) -> str:
    """The counted ballots in the CSV of `parrhesia tally` (docs/voting.md): one row each."""
    options = list(ballot.options.all())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if ballot.method == "motion":
        names = ["for", "against", "abstain", "block"]
        writer.writerow(names)
        for item in ballot_choices(ballot):
            writer.writerow([1 if item["choices"] == name else "" for name in names])
        return buffer.getvalue()
    writer.writerow([option.label for option in options])
    for item in ballot_choices(ballot):
        ranks = _ranks(ballot, item["choices"])
        writer.writerow([ranks.get(option.key, "") for option in options])
    return buffer.getvalue()


def _ranks(ballot: Ballot, choices: Any) -> dict[int, int]:
    if ballot.method == "plurality":
        return {choices: 1}
    if ballot.method == "approval":
        return dict.fromkeys(choices, 1)
    return {key: number for number, tier in enumerate(choices, 1) for key in tier}


def ballots_preflib(ballot: Ballot) -> str:
    """The counted ballots as a PrefLib 2022 ``.toi`` file (ties, incomplete orders)."""
    options = list(ballot.options.all())
    position = {option.key: number for number, option in enumerate(options, 1)}
    orders: Counter[str] = Counter()
    for item in ballot_choices(ballot):
        ranks = _ranks(ballot, item["choices"])
        tiers: dict[int, list[int]] = {}
        for key, number in ranks.items():
            tiers.setdefault(number, []).append(position[key])
        parts = []
        for number in sorted(tiers):
            members = sorted(tiers[number])
            parts.append(
                str(members[0]) if len(members) == 1 else "{" + ",".join(map(str, members)) + "}"
            )
        if parts:
            orders[",".join(parts)] += 1
    lines = [
        f"# FILE NAME: ballot-{ballot.pk}.toi",
        f"# TITLE: {ballot.title}",
        "# DATA TYPE: toi",
        f"# NUMBER ALTERNATIVES: {len(options)}",
        f"# NUMBER VOTERS: {sum(orders.values())}",
        f"# NUMBER UNIQUE ORDERS: {len(orders)}",
    ]
    lines += [f"# ALTERNATIVE NAME {position[o.key]}: {o.label}" for o in options]
    lines += [
        f"{count}: {order}" for order, count in sorted(orders.items(), key=lambda i: (-i[1], i[0]))
    ]
    return "\n".join(lines) + "\n"
