"""Recount every closed ballot of a record export — pure Python, no Django, no database.

Used by ``parrhesia decisions recount --record FILE``. Reads the entries of docs/voting.md
("On the record") and counts them with the same functions that counted at the close.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parrhesia.decisions import counting
from parrhesia.decisions.actions import Action
from parrhesia.methods.record.export import iter_entries
from parrhesia.methods.record.verify import verify_export


class RecountMismatch(Exception):
    """A closed ballot whose published result is not what its recorded ballots give."""


@dataclass
class _Ballot:
    id: str
    opened: dict[str, Any] | None = None
    votes: dict[int, Any] = field(default_factory=dict)
    participants: set[int] = field(default_factory=set)
    closed: dict[str, Any] | None = None
    proxies: set[tuple[Any, Any]] = field(default_factory=set)  # (giver, holder) in force
    defect: str | None = None  # the first thing the record itself gets wrong


# Proxies (issue 17): docs/voting.md, "Delegation and weights — on the record".
PROXY_GIVEN = "proxy.given"
PROXY_ENDED = ("proxy.revoked", "proxy.cancelled")


@dataclass
class RecountSummary:
    organisation: str
    closed: int
    still_open: int
    withheld: list[str] = field(default_factory=list)

    def describe(self) -> str:
        text = (
            f"OK: recounted {self.closed} closed ballot(s) of '{self.organisation}' from the "
            "record;"
            f" every published result matches ({self.still_open} still open)"
        )
        if self.withheld:
            text += (
                f"; {len(self.withheld)} secret ballot(s) kept their ballots back (a weight cast"
                " by too few voters), so only their turnout, weight and quorum were checked, not"
                f" their count: {', '.join(self.withheld)}"
            )
        return text


def recount_entries(entries: Any, withheld: list[str] | None = None) -> tuple[int, int]:
    """Recount from parsed entries; returns (closed, open) or raises :class:`RecountMismatch`.

    A secret ballot whose anonymous ballots were kept back (``result.ballots_withheld``) cannot
    be recounted: only what it published is checked, and its id is added to ``withheld``.
    """
    ballots: dict[str, _Ballot] = {}
    for entry in entries:
        if entry.subject_kind != "ballot":
            continue
        ballot = ballots.setdefault(str(entry.subject_id), _Ballot(str(entry.subject_id)))
        payload = dict(entry.payload)
        if entry.action == Action.BALLOT_OPENED:
            ballot.opened = payload
        elif entry.action in (Action.BALLOT_VOTED, Action.BALLOT_PARTICIPATED):
            member = _counted_member(ballot, entry.actor, payload)
            ballot.participants.add(member)
            if "choices" in payload:
                ballot.votes[member] = payload["choices"]
        elif entry.action == PROXY_GIVEN:
            ballot.proxies.add((payload.get("giver"), payload.get("holder")))
        elif entry.action in PROXY_ENDED:
            ballot.proxies.discard((payload.get("giver"), payload.get("holder")))
        elif entry.action == Action.BALLOT_CLOSED:
            ballot.closed = payload
    closed = 0
    for ballot in ballots.values():
        if ballot.closed is not None:
            if not ballot_recount(ballot) and withheld is not None:
                withheld.append(ballot.id)
            closed += 1
    return closed, len(ballots) - closed


def _counted_member(ballot: _Ballot, actor: Any, payload: dict[str, Any]) -> Any:
    """Whose ballot a vote is: the giver's when the actor votes as their proxy (``for``), which
    needs a proxy in force for that pair on this ballot; otherwise the actor's."""
    giver = payload.get("for")
    if giver is None:
        return actor
    if (giver, actor) not in ballot.proxies and ballot.defect is None:
        ballot.defect = f"member {actor} voted for member {giver} without a proxy in force"
    return giver


def ballot_recount(ballot: _Ballot) -> bool:
    """Recount one closed ballot, or raise :class:`RecountMismatch`; False when its ballots were
    kept back and only the published figures around the count could be checked."""
    opened, closed = ballot.opened, ballot.closed
    assert closed is not None
    name = f"ballot {ballot.id}"
    if opened is None:
        raise RecountMismatch(f"{name}: closed on the record but never opened")
    name = f"ballot {ballot.id} ({opened.get('title', '')!r})"
    if ballot.defect is not None:
        raise RecountMismatch(f"{name}: {ballot.defect}")
    electorate = set(opened["electorate"])
    strangers = ballot.participants - electorate
    if strangers:
        raise RecountMismatch(
            f"{name}: votes by members outside the electorate: {sorted(strangers)}"
        )
    if counting.too_few_to_publish(opened, len(ballot.participants)):
        # too few voters to publish their ballots: the result says so, and no more
        recounted = counting.result_withheld(opened, len(ballot.participants))
        if closed.get("ballots") or closed.get("result") != recounted:
            raise RecountMismatch(f"{name}: {_difference(closed.get('result') or {}, recounted)}")
        return True
    if opened["secrecy"] == "secret" and "ballots_withheld" in (closed.get("result") or {}):
        _withheld_check(name, opened, closed, ballot.participants)
        return False
    if opened["secrecy"] == "secret":
        items = closed.get("ballots", [])
        choices = [item["choices"] for item in items]
        if len(choices) != len(ballot.participants):
            raise RecountMismatch(
                f"{name}: {len(choices)} anonymous ballots published for "
                f"{len(ballot.participants)} participants"
            )
        members: list[int] | None = None
        weights = [item.get("weight", 1) for item in items]
    elif "votes" in closed:
        voters = {item["member"] for item in closed["votes"]}
        if voters != ballot.participants:
            raise RecountMismatch(f"{name}: the published votes are not those of the voters")
        members = [item["member"] for item in closed["votes"]]
        choices = [item["choices"] for item in closed["votes"]]
    else:
        members, choices = list(ballot.votes), list(ballot.votes.values())
    try:
        choices = [counting.choices_check(opened, item) for item in choices]
    except counting.ChoiceError as error:
        raise RecountMismatch(f"{name}: an invalid ballot: {error}") from None
    if counting.is_weighted(opened):
        if members is None:
            _secret_weights_check(name, opened, weights, ballot.participants)
            recounted = counting.result_count(opened, choices, weights)
        else:
            recounted = _weighted_recount(name, opened, closed, members, choices)
    elif closed.get("delegations") or (members is None and set(weights) - {1}):
        raise RecountMismatch(f"{name}: weights or delegations on a ballot opened without")
    else:
        recounted = counting.result_count(opened, choices)
    published = closed.get("result")
    if recounted != published:
        raise RecountMismatch(f"{name}: {_difference(published or {}, recounted)}")
    return True


def _secret_weights_check(
    name: str, opened: dict[str, Any], weights: list[Any], participants: set[int]
) -> None:
    """A secret ballot's published weights are its participants' weights, as many of each."""
    own = counting.own_weights(opened)
    if not all(isinstance(w, int) and not isinstance(w, bool) and w >= 1 for w in weights):
        raise RecountMismatch(f"{name}: an anonymous ballot's weight is not a whole number >= 1")
    if sorted(weights) != sorted(own.get(member, 1) for member in participants):
        raise RecountMismatch(f"{name}: the anonymous ballots' weights are not the voters'")


def _withheld_check(
    name: str, opened: dict[str, Any], closed: dict[str, Any], participants: set[int]
) -> None:
    """A secret ballot that published its count but not its ballots: it had to (some weight was
    cast by fewer voters than its minimum anonymity set, as its participants' weights show),
    published none, and its turnout, weight represented and quorum are the participants'. The
    count itself cannot be recounted without the ballots."""
    result = closed["result"]
    if closed.get("ballots"):
        raise RecountMismatch(f"{name}: anonymous ballots published though said to be withheld")
    own = counting.own_weights(opened) if counting.is_weighted(opened) else {}
    weights = [own.get(member, 1) for member in participants]
    if result["ballots_withheld"] != counting.WEIGHT_CLASS_TOO_SMALL or not (
        counting.weight_class_too_small(opened, weights)
    ):
        raise RecountMismatch(
            f"{name}: its ballots are withheld, but every weight has voters enough"
        )
    expected = counting.result_of(opened, len(participants), None, represented=sum(weights))
    keys = ("method", "electorate", "turnout", "quorum_needed", "quorum_met", "represented")
    for key in (*keys, "electorate_weight"):
        if result.get(key) != expected.get(key):
            raise RecountMismatch(
                f"{name}: published {key} {_short(result.get(key))} but its participants give "
                f"{_short(expected.get(key))}"
            )
    if opened["method"] == "motion":
        counted = sum((result.get("counts") or {}).values())
    else:
        counted = (result.get("tally") or {}).get("ballots", 0)
    if counted != sum(weights):
        raise RecountMismatch(f"{name}: the count holds {counted} votes for {sum(weights)} cast")
    if not expected["quorum_met"] and (result.get("outcome"), result.get("winners")) != (
        "no_quorum",
        [],
    ):
        raise RecountMismatch(f"{name}: a decision without the quorum")


def _weighted_recount(
    name: str,
    opened: dict[str, Any],
    closed: dict[str, Any],
    members: list[int],
    choices: list[Any],
) -> dict[str, Any]:
    """An open weighted ballot: each voter's weight (own, and carried by the delegations fixed
    at the close), then the count."""
    try:
        weighing = counting.ballot_weighing(opened, members, closed.get("delegations") or [])
    except (ValueError, TypeError, KeyError) as error:
        raise RecountMismatch(f"{name}: the delegations fixed at the close: {error}") from None
    weights = [weighing.weights[member] for member in members]
    return counting.result_count(opened, choices, weights, weighing.delegation)


def _difference(published: dict[str, Any], recounted: dict[str, Any]) -> str:
    keys = ("outcome", "winners", "turnout", "represented", "counts", "tally", "delegation")
    for key in keys:
        if published.get(key) != recounted.get(key):
            return (
                f"published {key} {_short(published.get(key))} but the recount gives "
                f"{_short(recounted.get(key))}"
            )
    return "the published result differs from the recount"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 120 else text[:117] + "…"


def recount_export(path: str, verify: bool = True) -> RecountSummary:
    """Verify the export (unless told not to), then recount every closed ballot in it."""
    organisation = "?"
    if verify:
        organisation = verify_export(path).organisation
    withheld: list[str] = []
    closed, still_open = recount_entries(iter_entries(path), withheld)
    return RecountSummary(organisation, closed, still_open, withheld)
