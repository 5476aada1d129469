"""Every read on ballots: the organisation's defaults, a ballot's facts and state (what it
allows now, the same conditions ``rules`` and the services ask), who voted how as far as
anyone may know, and the files anyone can recount from."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from parrhesia.decisions import counting
from parrhesia.decisions.models import (
    MOTION_LABELS,
    Ballot,
    CoSignature,
    DecisionPolicy,
    MinorityReport,
    Participation,
    Proxy,
    QuickStarters,
    RunningCount,
    SecretBallot,
    Status,
    Vote,
)
from parrhesia.kernel.cells import formula_guard, one_line
from parrhesia.orgs.models import Membership, Organisation


def policy_of(organisation: Organisation) -> DecisionPolicy:
    """The organisation's defaults (unsaved built-in defaults until an admin changes them)."""
    policy = DecisionPolicy.objects.filter(organisation=organisation).first()
    return policy or DecisionPolicy(organisation=organisation)


def quick_open_to_members(organisation: Organisation) -> bool:
    """Whether every member may start quick proposals and polls (else stewards only)."""
    return policy_of(organisation).quick_starters == QuickStarters.MEMBERS


def quick_ballots_of_item(item: Any) -> list[Ballot]:
    """The quick proposals and polls held inside an agenda item, newest first."""
    return list(
        Ballot.objects.filter(agenda_item=item, quick=True).annotate(
            open_votes=Count("votes", distinct=True),
            secret_votes=Count("participations", distinct=True),
        )
    )


def ballots_of(organisation: Organisation) -> QuerySet[Ballot]:
    return Ballot.objects.filter(organisation=organisation).annotate(
        open_votes=Count("votes", distinct=True),
        secret_votes=Count("participations", distinct=True),
    )


def ballots_by_state(organisation: Organisation, now: datetime) -> dict[str, list[Ballot]]:
    """The ballots that take votes (``open``) and the others (``closed``), newest first; an
    overdue ballot (its closing time passed, its count not yet made) is among the closed, marked
    ``overdue``."""
    ballots = list(ballots_of(organisation))
    for ballot in ballots:
        ballot.overdue = ballot_overdue(ballot, now)
    return {
        "open": [b for b in ballots if ballot_takes_votes(b, now)],
        "closed": [b for b in ballots if not ballot_takes_votes(b, now)],
    }


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


# --- what a ballot allows now (one definition each: rules, services and pages ask these) -----


def ballot_takes_votes(ballot: Ballot, now: datetime) -> bool:
    return ballot.is_open and now < ballot.closes_at


def ballot_overdue(ballot: Ballot, now: datetime) -> bool:
    """Open past its closing time: no vote is taken, and the close task (or ``parrhesia due``)
    is about to count it."""
    return ballot.is_open and now >= ballot.closes_at


def ballot_closable(ballot: Ballot, now: datetime) -> bool:
    """Open, and either past its closing time or allowing a steward to close it early (a
    secret ballot only once its minimum anonymity set has voted)."""
    if not ballot.is_open:
        return False
    if now >= ballot.closes_at:
        return True
    return ballot.early_close_allowed and not too_few_to_close_early(ballot)


def too_few_to_close_early(ballot: Ballot) -> bool:
    """A secret ballot that fewer members than its minimum anonymity set have voted on."""
    return ballot.is_secret and turnout_of(ballot) < ballot.min_anonymity


def minority_window_open(ballot: Ballot, now: datetime) -> bool:
    """Closed, and the time to file or co-sign a minority report has not run out."""
    return not ballot.is_open and now <= ballot.minority_window_ends


def in_electorate(ballot: Ballot, member: Membership | None) -> bool:
    """The member was active when the ballot opened (only they vote)."""
    return member is not None and member.pk in ballot.electorate


def is_author(ballot: Ballot, member: Membership | None) -> bool:
    """One of the motion's authors, who answer its blocks."""
    return member is not None and member.pk in ballot.authors


def ballot_has_blocks(ballot: Ballot) -> bool:
    model = SecretBallot if ballot.is_secret else Vote
    return model.objects.filter(ballot=ballot, choices="block").exists()


def blocks_shown(ballot: Ballot) -> bool:
    """Whether a page may say that members blocked the motion: never while its choices are
    hidden (a secret ballot, or results hidden until the close), since the moment the news
    appears would point at the last member who took part (docs/privacy.md)."""
    return ballot.method == "motion" and results_visible(ballot) and ballot_has_blocks(ballot)


def block_answerable(ballot: Ballot, now: datetime) -> bool:
    """When the authors may answer the blocks: while the vote runs if its choices are shown;
    after the close, while minority reports may be filed, if they were hidden."""
    if not ballot.hides_results:
        return ballot_takes_votes(ballot, now)
    return minority_window_open(ballot, now) and ballot_has_blocks(ballot)


def minority_eligible(ballot: Ballot, member: Membership | None) -> bool:
    """Whether the member was on the losing side (see counting.dissenters).

    A secret ballot cannot know how anyone voted, so every participant may file or co-sign.
    """
    if member is None or ballot.is_open or ballot.result is None:
        return False
    if ballot.is_secret:
        return Participation.objects.filter(ballot=ballot, member=member).exists()
    vote = Vote.objects.filter(ballot=ballot, member=member).first()
    if vote is None:
        return False
    return counting.dissenters(ballot_facts(ballot), ballot.result, vote.choices)


# --- a ballot's facts and votes --------------------------------------------------------------


def ballot_facts(ballot: Ballot) -> dict[str, Any]:
    """The payload of ``ballot.opened``: everything a recount needs besides the ballots."""
    return {
        "title": ballot.title,
        "description": ballot.description,
        "method": ballot.method,
        "seats": ballot.seats,
        "secrecy": ballot.secrecy,
        "results_hidden": ballot.hides_results,
        "reasons": ballot.reasons,
        "threshold": ballot.threshold,
        "quorum_percent": ballot.quorum_percent,
        "minority_window_days": ballot.minority_window_days,
        "early_close_allowed": ballot.early_close_allowed,
        # secret ballots only (the other ballots' entries keep their shape)
        **({"min_anonymity": ballot.min_anonymity} if ballot.is_secret else {}),
        # quick proposals and polls only, and the agenda item they are held in
        **({"quick": True, "agenda_item": ballot.agenda_item_id} if ballot.quick else {}),
        # weighted ballots only (mandates, delegation: docs/voting.md)
        **({"weights": ballot.weights} if ballot_weighted(ballot) else {}),
        **({"delegation": ballot.delegation} if ballot.delegation is not None else {}),
        "closes_at": ballot.closes_at.isoformat(),
        "options": [
            {
                "key": option.key,
                "label": option.label,
                "status_quo": option.is_status_quo,
                "source": (
                    {"kind": option.source_kind, "id": option.source_id}
                    if option.source_kind
                    else None
                ),
            }
            for option in ballot.options.all()  # ordered by key (Meta), prefetched or not
        ],
        "authors": ballot.authors,
        "electorate": ballot.electorate,
        "electorate_size": len(ballot.electorate),
    }


def ballot_weighted(ballot: Ballot) -> bool:
    """Counted with weights: a voter of its electorate carries mandates, or delegation applies
    (fixed at the opening)."""
    return bool(ballot.weights) or ballot.delegation is not None


def turnout_of(ballot: Ballot) -> int:
    model = Participation if ballot.is_secret else Vote
    return model.objects.filter(ballot=ballot).count()


def vote_of(ballot: Ballot, member: Membership | None) -> Vote | None:
    """The member's current vote on an open ballot (never for secret ballots: there is none)."""
    if member is None or ballot.is_secret:
        return None
    return Vote.objects.filter(ballot=ballot, member=member).first()


def has_voted(ballot: Ballot, member: Membership | None) -> bool:
    """Whether a ballot was cast for the member (by them or their proxy)."""
    if member is None:
        return False
    model = Participation if ballot.is_secret else Vote
    return model.objects.filter(ballot=ballot, member=member).exists()


def has_given_proxy(ballot: Ballot, member: Membership | None) -> bool:
    return member is not None and Proxy.objects.filter(ballot=ballot, giver=member).exists()


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


def ballot_choices(ballot: Ballot, names: bool = True) -> list[dict[str, Any]]:
    """Counted ballots with their reasons: attributed (open) or anonymous (secret, after close).

    An open ballot's voters by member number, as the record has them, and by name too when
    ``names``: only for a reader who may see the member list (``orgs.view_members``), else a
    private list would be no more private than the voters of any open ballot.
    """
    if ballot.is_secret:
        return list(ballot.published_ballots or [])
    return _attributed(Vote.objects.filter(ballot=ballot), names)


def _attributed(votes: QuerySet[Vote], names: bool) -> list[dict[str, Any]]:
    votes = votes.select_related("member__user").order_by("member_id")
    return [
        {
            "member": v.member_id,
            **({"name": v.member.user.public_name} if names else {}),
            "choices": v.choices,
            "reason": v.reason,
        }
        for v in votes
    ]


def tracker_lookup(ballot: Ballot, tracker: str) -> dict[str, Any] | None:
    """The published anonymous ballot with this tracker (a closed secret ballot), if any."""
    if ballot.is_open or not ballot.is_secret:
        return None
    return next((b for b in ballot.published_ballots or [] if b["tracker"] == tracker), None)


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


def running_count_of(ballot: Ballot) -> RunningCount | None:
    """The running count of an open ballot whose results are shown (never counted here: a
    page reads what the votes left, without the matrix it does not draw)."""
    if not ballot.is_open or ballot.hides_results:
        return None
    return RunningCount.objects.filter(ballot=ballot).defer("pairwise").first()


def ballot_reasons(ballot: Ballot, names: bool = True) -> list[dict[str, Any]]:
    """The counted ballots that give a reason (:func:`ballot_choices`, the others left out)."""
    if ballot.is_secret:
        return [item for item in ballot_choices(ballot) if item["reason"]]
    return _attributed(Vote.objects.filter(ballot=ballot).exclude(reason=""), names)


# --- downloads -------------------------------------------------------------------------------


def ballot_document(ballot: Ballot, names: bool = True) -> dict[str, Any]:
    """The ballot, its result and ballots (once closed, when visible) and its minority reports:
    its JSON for programs and its part of a member's download. Voters' names only with
    ``names`` (:func:`ballot_choices`)."""
    visible = results_visible(ballot) and not ballot.is_open
    return {
        "id": ballot.pk,
        **ballot_facts(ballot),
        "status": ballot.status,
        "closed_at": ballot.closed_at.isoformat() if ballot.closed_at else None,
        "result": ballot.result if visible else None,
        "ballots": ballot_choices(ballot, names) if visible else None,
        "block_answer": ballot.block_answer,
        "minority_reports": [
            {
                "id": report.pk,
                "author": report.author_id,
                "title": report.title,
                "text": report.text,
                "filed_at": report.filed_at.isoformat(),
                "cosigners": [c.member_id for c in report.cosigners.all()],
            }
            for report in minority_reports(ballot)
        ],
    }


def ballot_weights(ballot: Ballot, items: list[dict[str, Any]]) -> list[int] | None:
    """The weight each of a closed ballot's counted ballots (``items``, as
    :func:`ballot_choices` gives them) carried in its published result, or None when each
    counted once: a secret ballot's published ``weight``; an open ballot's voter's own weight
    (mandates fixed at the opening) and what they carried as a delegate (``result.delegation``).
    """
    if ballot.is_secret:
        weights = [int(item.get("weight", 1)) for item in items]
    else:
        own = counting.own_weights({"weights": ballot.weights})
        delegation = (ballot.result or {}).get("delegation") or {}
        carried = {row["delegate"]: row["weight"] for row in delegation.get("carried", [])}
        weights = [own.get(i["member"], 1) + carried.get(i["member"], 0) for i in items]
    return weights if set(weights) - {1} else None


def ballots_csv(ballot: Ballot) -> str:
    """The counted ballots in the CSV of `parrhesia tally` (docs/voting.md): one row each, and
    a first column ``count`` with each ballot's weight when some ballot weighs more than 1."""
    options = list(ballot.options.all())
    items = ballot_choices(ballot)
    weights = ballot_weights(ballot, items)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def write(position: int | None, cells: Any) -> None:
        count = [] if weights is None else ["count" if position is None else weights[position]]
        writer.writerow([*count, *cells])

    if ballot.method == "motion":
        names = ["for", "against", "abstain", "block"]
        write(None, names)
        for position, item in enumerate(items):
            write(position, (1 if item["choices"] == name else "" for name in names))
        return buffer.getvalue()
    # Labels on one line, as in the PrefLib file, and never a spreadsheet formula (kernel.cells).
    write(None, (formula_guard(one_line(option.label)) for option in options))
    for position, item in enumerate(items):
        ranks = _ranks(ballot, item["choices"])
        write(position, (ranks.get(option.key, "") for option in options))
    return buffer.getvalue()


def _ranks(ballot: Ballot, choices: Any) -> dict[int, int]:
    if ballot.method == "plurality":
        return {choices: 1}
    if ballot.method == "approval":
        return dict.fromkeys(choices, 1)
    return {key: number for number, tier in enumerate(choices, 1) for key in tier}


def ballots_preflib(ballot: Ballot) -> str:
    """The counted ballots as a PrefLib 2022 ``.toi`` file (ties, incomplete orders); a ballot
    counts as many times as its weight (:func:`ballot_weights`)."""
    options = list(ballot.options.all())
    position = {option.key: number for number, option in enumerate(options, 1)}
    orders: Counter[str] = Counter()
    items = ballot_choices(ballot)
    weights = ballot_weights(ballot, items) or [1] * len(items)
    for item, weight in zip(items, weights, strict=True):
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
            orders[",".join(parts)] += weight
    lines = [
        f"# FILE NAME: ballot-{ballot.pk}.toi",
        f"# TITLE: {one_line(ballot.title)}",
        "# DATA TYPE: toi",
        f"# NUMBER ALTERNATIVES: {len(options)}",
        f"# NUMBER VOTERS: {sum(orders.values())}",
        f"# NUMBER UNIQUE ORDERS: {len(orders)}",
    ]
    # User text stays on its header line (kernel.cells): a title can add no ballot.
    lines += [f"# ALTERNATIVE NAME {position[o.key]}: {one_line(o.label)}" for o in options]
    lines += [
        f"{count}: {order}" for order, count in sorted(orders.items(), key=lambda i: (-i[1], i[0]))
    ]
    return "\n".join(lines) + "\n"
