"""From a ballot's record entries to its result — pure Python, no Django.

The same functions count a ballot when it closes (``services.ballot_close``) and recount it from
a record export (``parrhesia decisions recount``), so the published result and the recount can
only differ if the record was altered. Shapes of the entries: docs/voting.md, "On the record".

Choices, as stored and recorded, by kind of ballot:

* motion: ``"for" | "against" | "abstain" | "block"``;
* plurality: one option key (an int);
* approval: a sorted list of option keys (possibly empty: approves no one);
* competing motions, elections: a ranking, a list of tiers of option keys, best first
  (``[[2], [0, 1]]``: 2 first, then 0 and 1 tied; options left out are ranked equally last).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from parrhesia.methods import voting
from parrhesia.methods.voting.delegation import delegation_resolve

MOTION_CHOICES = ("for", "against", "abstain", "block")
RANKED_METHODS = ("schulze", "ranked-pairs", "irv", "stv")
METHODS = ("motion", "plurality", "approval", *RANKED_METHODS)
THRESHOLDS = ("simple", "two_thirds", "three_quarters", "consensus_minus_one")


class ChoiceError(ValueError):
    """A ballot's choices do not fit the ballot; the message says why, in plain words."""


def choices_check(opened: Mapping[str, Any], choices: Any) -> Any:
    """The choices normalised (tiers sorted, approval keys sorted), or :class:`ChoiceError`."""
    method = opened["method"]
    keys = {option["key"] for option in opened["options"]}
    if method == "motion":
        if choices not in MOTION_CHOICES:
            raise ChoiceError("Choose for, against, abstain or block.")
        return choices
    if method == "plurality":
        if not isinstance(choices, int) or isinstance(choices, bool) or choices not in keys:
            raise ChoiceError("Choose one option.")
        return choices
    if method == "approval":
        if not isinstance(choices, list) or not set(choices) <= keys:
            raise ChoiceError("Approve only options of this ballot.")
        if len(set(choices)) != len(choices):
            raise ChoiceError("Approve each option at most once.")
        return sorted(choices)
    return _ranking_check(method, keys, choices)


def _ranking_check(method: str, keys: set[int], ranking: Any) -> list[list[int]]:
    if not isinstance(ranking, list) or not all(isinstance(tier, list) for tier in ranking):
        raise ChoiceError("A ranking is a list of tiers of options.")
    ranking = [tier for tier in ranking if tier]
    flat = [key for tier in ranking for key in tier]
    if not flat:
        raise ChoiceError("Rank at least one option.")
    if not set(flat) <= keys:
        raise ChoiceError("Rank only options of this ballot.")
    if len(set(flat)) != len(flat):
        raise ChoiceError("Rank each option only once.")
    if method in ("irv", "stv") and any(len(tier) > 1 for tier in ranking):
        raise ChoiceError(
            "Give each candidate a different number: ties are not counted in an election."
        )
    return [sorted(tier) for tier in ranking]


def ranking_from_numbers(numbers: Mapping[int, int]) -> list[list[int]]:
    """Tiers from ``{option key: rank number}`` (1 = first; equal numbers tie; gaps allowed)."""
    tiers: dict[int, list[int]] = {}
    for key, number in numbers.items():
        tiers.setdefault(number, []).append(key)
    return [sorted(tiers[number]) for number in sorted(tiers)]


def quorum_needed(opened: Mapping[str, Any]) -> int:
    """Turnout needed: the quorum, and for a secret ballot at least its minimum anonymity set
    (``min_anonymity``, absent from ballots opened before it existed)."""
    needed = math.ceil(opened["quorum_percent"] * opened["electorate_size"] / 100)
    return max(needed, opened.get("min_anonymity", 0))


def is_weighted(opened: Mapping[str, Any]) -> bool:
    """Whether a ballot counts weights: its opening facts name them (``"weights"``, even ``{}``:
    docs/voting.md, "Delegation and weights — on the record")."""
    return "weights" in opened


def own_weights(opened: Mapping[str, Any]) -> dict[int, int]:
    """The electorate's weights other than 1 (mandates), fixed at the opening."""
    return {int(member): int(weight) for member, weight in (opened.get("weights") or {}).items()}


def electorate_weight(opened: Mapping[str, Any]) -> int:
    """The electorate's total own weight: each member's weight, 1 unless a mandate says more."""
    weights = own_weights(opened)
    members = opened.get("electorate")
    if members is None:
        return int(opened["electorate_size"]) + sum(weight - 1 for weight in weights.values())
    return sum(weights.get(member, 1) for member in members)


def _weighted_quorum(opened: Mapping[str, Any], turnout: int, represented: int) -> dict[str, Any]:
    """The quorum of a weighted ballot is on weight: ``ceil(quorum % × electorate weight)``,
    met by the weight represented (own and carried); a secret ballot's minimum anonymity set
    stays a number of voters."""
    total = electorate_weight(opened)
    needed = math.ceil(opened["quorum_percent"] * total / 100)
    return {
        "quorum_needed": needed,
        "quorum_met": represented >= needed
        and represented > 0
        and turnout >= opened.get("min_anonymity", 0),
        "electorate_weight": total,
        "represented": represented,
    }


@dataclass(frozen=True)
class Weighing:
    """The weight each voter casts (own, plus what they carry as a delegate), and the
    delegation part of the result (None when delegation does not apply to the ballot)."""

    weights: dict[int, int]
    delegation: dict[str, Any] | None


def ballot_weighing(
    opened: Mapping[str, Any], voters: Iterable[int], delegations: Sequence[Sequence[int]] = ()
) -> Weighing:
    """The weights of an open ballot's voters: own weights, and, where the opening says that
    delegation applies (``"delegation": {transitive, cap}``), the delegations in force at the
    close (``(giver, delegate)`` in record order) resolved by
    :func:`parrhesia.methods.voting.delegation.delegation_resolve`.

    Raises :class:`ValueError` when delegations are given for a ballot without delegation or
    name members outside the electorate (the recount reports it).
    """
    voted = list(voters)
    weights = own_weights(opened)
    rules = opened.get("delegation")
    if rules is None:
        if delegations:
            raise ValueError("delegations for a ballot that does not take them")
        return Weighing({voter: weights.get(voter, 1) for voter in voted}, None)
    pairs = [(int(giver), int(delegate)) for giver, delegate in delegations]
    electorate = set(opened.get("electorate") or ())
    if any(giver not in electorate or delegate not in electorate for giver, delegate in pairs):
        raise ValueError("a delegation names a member outside the electorate")
    resolution = delegation_resolve(
        pairs, voted, weights, transitive=bool(rules["transitive"]), cap=int(rules["cap"])
    )
    summary = {
        "transitive": bool(rules["transitive"]),
        "cap": int(rules["cap"]),
        "carried": [
            {
                "delegate": delegate,
                "givers": list(resolution.givers[delegate]),
                "weight": resolution.carried[delegate],
            }
            for delegate in sorted(resolution.carried)
        ],
        "returned": list(resolution.returned),
        "unresolved": list(resolution.unresolved),
    }
    return Weighing(dict(resolution.cast), summary)


def too_few_to_publish(opened: Mapping[str, Any], turnout: int) -> bool:
    """A secret ballot with fewer voters than its minimum anonymity set publishes no breakdown."""
    return opened["secrecy"] == "secret" and turnout < opened.get("min_anonymity", 0)


WEIGHT_CLASS_TOO_SMALL = "weight_class_too_small"
"""``result["ballots_withheld"]`` of a secret ballot counted, but whose anonymous ballots are not
published (:func:`weight_class_too_small`)."""


def weight_class_too_small(opened: Mapping[str, Any], weights: Iterable[int]) -> bool:
    """Whether a secret ballot must keep its anonymous ballots back, publishing its count only:
    ballots of more than one weight were cast, and the ballots of some weight are fewer than its
    minimum anonymity set. Published with their weights, those few ballots would be known as the
    ballots of the few voters who carry that weight (three section delegates of weight 2 among
    fifty voters: how the delegates voted). ``weights``: one per counted ballot."""
    if opened["secrecy"] != "secret":
        return False
    classes = Counter(weights)
    minimum = opened.get("min_anonymity", 0)
    return len(classes) > 1 and any(count < minimum for count in classes.values())


def result_withheld(opened: Mapping[str, Any], turnout: int) -> dict[str, Any]:
    """The result of a secret ballot that closed with too few voters: no decision (the quorum
    is not met), and no counts, tally or ballots, only that there were too few to publish."""
    return {
        "method": opened["method"],
        "electorate": opened["electorate_size"],
        "turnout": turnout,
        "quorum_needed": quorum_needed(opened),
        "quorum_met": False,
        "outcome": "no_quorum",
        "winners": [],
        "withheld": "too_few_voters",
    }


def result_count(
    opened: Mapping[str, Any],
    ballots: Sequence[Any],
    weights: Sequence[int] | None = None,
    delegation: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The result of a ballot from its opening facts and the choices of every counted ballot.

    A weighted ballot (``"weights"`` in its opening facts) counts each ballot ``weights[i]``
    times (default 1; :func:`ballot_weighing` gives them) and its result gains
    ``electorate_weight``, ``represented`` and, when given, ``delegation``. Returns plain JSON
    (ints, floats, strings, lists, dicts), exactly what goes on the record.
    """
    represented = None
    if is_weighted(opened):
        weights = [1] * len(ballots) if weights is None else list(weights)
        if len(weights) != len(ballots) or any(w < 1 for w in weights):
            raise ValueError("one weight of at least 1 per ballot")
        represented = sum(weights)
    elif weights is not None or delegation is not None:
        raise ValueError("weights or delegations on a ballot opened without weights")
    if opened["method"] == "motion":
        counts = motion_counts(ballots, weights)
        return result_of(opened, len(ballots), counts, represented, delegation)
    tally = _engine(opened, ballots, weights) if ballots else None
    return result_of(opened, len(ballots), tally, represented, delegation)


def result_of(
    opened: Mapping[str, Any],
    turnout: int,
    counted: Mapping[str, int] | voting.TallyResult | None,
    represented: int | None = None,
    delegation: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The result from what the count found: a motion's counts of each choice, or the engine's
    tally (None when no one voted). A running count (``decisions.running``), which keeps these
    up to date vote by vote, words its result with this same function.

    ``represented``: the weight cast, for a weighted ballot (default: ``turnout``).
    """
    needed = quorum_needed(opened)
    result: dict[str, Any] = {
        "method": opened["method"],
        "electorate": opened["electorate_size"],
        "turnout": turnout,
        "quorum_needed": needed,
        "quorum_met": turnout >= needed and turnout > 0,
    }
    if is_weighted(opened):
        weight = turnout if represented is None else represented
        result.update(_weighted_quorum(opened, turnout, weight))
        if delegation is not None:
            result["delegation"] = dict(delegation)
    if isinstance(counted, voting.TallyResult):
        result.update(_engine_outcome(opened, counted))
    elif opened["method"] == "motion":
        result.update(_motion(opened, counted or dict.fromkeys(MOTION_CHOICES, 0)))
    else:
        result.update({"winners": [], "tally": None})
    if not result["quorum_met"]:
        result["outcome"] = "no_quorum"
        result["winners"] = []
    return _plain(result)


def motion_counts(ballots: Sequence[Any], weights: Sequence[int] | None = None) -> dict[str, int]:
    """The weight of each choice (each ballot counting 1 without weights)."""
    counts = dict.fromkeys(MOTION_CHOICES, 0)
    for position, choice in enumerate(ballots):
        counts[choice] += 1 if weights is None else weights[position]
    return counts


def _motion(opened: Mapping[str, Any], counts: Mapping[str, int]) -> dict[str, Any]:
    passed = threshold_met(opened["threshold"], counts["for"], counts["against"] + counts["block"])
    return {
        "counts": dict(counts),
        "threshold": opened["threshold"],
        "outcome": "adopted" if passed else "rejected",
        "winners": [],
    }


def threshold_met(threshold: str, yes: int, no: int) -> bool:
    """Blocks count as votes against; abstentions count only towards the quorum."""
    if yes == 0:
        return False
    if threshold == "simple":
        return yes > no
    if threshold == "two_thirds":
        return 3 * yes >= 2 * (yes + no)
    if threshold == "three_quarters":
        return 4 * yes >= 3 * (yes + no)
    if threshold == "consensus_minus_one":
        return no <= 1
    raise ValueError(f"unknown threshold {threshold!r}")


def option_index(opened: Mapping[str, Any]) -> dict[int, int]:
    """Each option's key → its position in the count (the order of the opening facts)."""
    return {option["key"]: position for position, option in enumerate(opened["options"])}


def _engine(
    opened: Mapping[str, Any], ballots: Sequence[Any], weights: Sequence[int] | None = None
) -> voting.TallyResult:
    labels = [option["label"] for option in opened["options"]]
    index = option_index(opened)
    rankings = (_tiers(opened, b, index) for b in ballots)
    # a ballot of weight w is a profile row counted w times (Profile.counts)
    profile = voting.Profile.from_rankings(labels, rankings, weights)
    method, seats = opened["method"], opened["seats"]
    if method == "plurality":
        return voting.plurality(profile, seats)
    if method == "approval":
        return voting.approval(profile, seats)
    if method == "schulze":
        return voting.schulze(profile)
    if method == "ranked-pairs":
        return voting.ranked_pairs(profile)
    if method == "irv":
        return voting.instant_runoff(profile, seed=0)
    return voting.scottish_stv(profile, seats, seed=0)


def _engine_outcome(opened: Mapping[str, Any], tally: voting.TallyResult) -> dict[str, Any]:
    options = opened["options"]
    document = tally.as_dict()
    status_quo = next((o for o in options if o.get("status_quo")), None)
    if status_quo is not None:
        beats = voting.winner_beats_status_quo(tally, option_index(opened)[status_quo["key"]])
        outcome = "adopted" if beats else "status_quo"
        winners = document["winners"] if beats else []
    else:
        outcome, winners = "elected", document["winners"]
    return {"outcome": outcome, "winners": winners, "tally": document}


def _tiers(opened: Mapping[str, Any], choices: Any, index: Mapping[int, int]) -> list[list[int]]:
    method = opened["method"]
    if method == "plurality":
        return [[index[choices]]]
    if method == "approval":
        # Approval counts the top tier; an empty ballot gets a tier no one is in.
        return [[index[key] for key in choices]] if choices else []
    return [[index[key] for key in tier] for tier in choices]


def dissenters(opened: Mapping[str, Any], result: Mapping[str, Any], choices: Any) -> bool:
    """Whether a ballot is on the losing side, so that its voter may file a minority report.

    Motions: against or block when adopted, for when rejected. Other ballots: the ballot put an
    option that did not win strictly above one that did (for competing motions where the status
    quo stayed, above the status quo).
    """
    method = opened["method"]
    if method == "motion":
        if result.get("outcome") == "adopted":
            return choices in ("against", "block")
        return choices == "for"
    labels = {option["key"]: option["label"] for option in opened["options"]}
    winners = set(result.get("winners") or [])
    if result.get("outcome") == "status_quo":
        winners = {o["label"] for o in opened["options"] if o.get("status_quo")}
    if not winners:
        return False
    if method == "plurality":
        return labels[choices] not in winners
    if method == "approval":
        return not winners & {labels[key] for key in choices}
    ranked = [{labels[key] for key in tier} for tier in choices]
    seen_loser = False
    for tier in ranked:
        if tier & winners and seen_loser:
            return True
        if tier - winners:
            seen_loser = True
    # Winners left unranked are ranked last, below every ranked loser.
    ranked_all = set().union(*ranked) if ranked else set()
    return seen_loser and bool(winners - ranked_all)


def _plain(value: Any) -> Any:
    """Plain JSON values only (no numpy scalars, no tuples), as they read back from the record."""
    return json.loads(json.dumps(value, default=_number))


def _number(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON: {type(value).__name__}")


def latest_by_voter(votes: Iterable[tuple[int, Any]]) -> dict[int, Any]:
    """The last choices of each voter from ``(member id, choices)`` in record order."""
    latest: dict[int, Any] = {}
    for member, choices in votes:
        latest[member] = choices
    return latest
