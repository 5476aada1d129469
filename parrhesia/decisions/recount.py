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


@dataclass
class RecountSummary:
    organisation: str
    closed: int
    still_open: int

    def describe(self) -> str:
        return (
            f"OK: recounted {self.closed} closed ballot(s) of '{self.organisation}' from the "
            "record;"
            f" every published result matches ({self.still_open} still open)"
        )


def recount_entries(entries: Any) -> tuple[int, int]:
    """Recount from parsed entries; returns (closed, open) or raises :class:`RecountMismatch`."""
    ballots: dict[str, _Ballot] = {}
    for entry in entries:
        if entry.subject_kind != "ballot":
            continue
        ballot = ballots.setdefault(str(entry.subject_id), _Ballot(str(entry.subject_id)))
        payload = dict(entry.payload)
        if entry.action == Action.BALLOT_OPENED:
            ballot.opened = payload
        elif entry.action == Action.BALLOT_VOTED:
            ballot.participants.add(entry.actor)
            if "choices" in payload:
                ballot.votes[entry.actor] = payload["choices"]
        elif entry.action == Action.BALLOT_PARTICIPATED:
            ballot.participants.add(entry.actor)
        elif entry.action == Action.BALLOT_CLOSED:
            ballot.closed = payload
    closed = 0
    for ballot in ballots.values():
        if ballot.closed is not None:
            ballot_recount(ballot)
            closed += 1
    return closed, len(ballots) - closed


def ballot_recount(ballot: _Ballot) -> None:
    opened, closed = ballot.opened, ballot.closed
    assert closed is not None
    name = f"ballot {ballot.id}"
    if opened is None:
        raise RecountMismatch(f"{name}: closed on the record but never opened")
    name = f"ballot {ballot.id} ({opened.get('title', '')!r})"
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
        return
    if opened["secrecy"] == "secret":
        choices = [item["choices"] for item in closed.get("ballots", [])]
        if len(choices) != len(ballot.participants):
            raise RecountMismatch(
                f"{name}: {len(choices)} anonymous ballots published for "
                f"{len(ballot.participants)} participants"
            )
    elif "votes" in closed:
        voters = {item["member"] for item in closed["votes"]}
        if voters != ballot.participants:
            raise RecountMismatch(f"{name}: the published votes are not those of the voters")
        choices = [item["choices"] for item in closed["votes"]]
    else:
        choices = list(ballot.votes.values())
    try:
        choices = [counting.choices_check(opened, item) for item in choices]
    except counting.ChoiceError as error:
        raise RecountMismatch(f"{name}: an invalid ballot: {error}") from None
    recounted = counting.result_count(opened, choices)
    published = closed.get("result")
    if recounted != published:
        raise RecountMismatch(f"{name}: {_difference(published or {}, recounted)}")


def _difference(published: dict[str, Any], recounted: dict[str, Any]) -> str:
    for key in ("outcome", "winners", "turnout", "counts", "tally"):
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
    closed, still_open = recount_entries(iter_entries(path))
    return RecountSummary(organisation, closed, still_open)
