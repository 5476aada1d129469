"""Competing motions against a status quo: a motion wins only if it beats the status quo."""

from __future__ import annotations

from parrhesia.methods.voting.result import TallyResult


def winner_beats_status_quo(result: TallyResult, status_quo: int | str) -> bool:
    """Whether the winner of a Condorcet count (Schulze, ranked pairs) defeats ``status_quo``.

    ``status_quo`` is an alternative index or name. False when the status quo itself wins, and
    also when the winner only ties with it (won by the deterministic tie-break): a change needs
    a strict defeat of the status quo under the method's own relation — the strongest-path
    relation for Schulze, the locked graph for ranked pairs.
    """
    if result.defeats is None:
        raise ValueError(f"method {result.method!r} has no pairwise defeat relation")
    if isinstance(status_quo, str):
        if status_quo not in result.alternatives:
            raise ValueError(f"unknown status quo alternative {status_quo!r}")
        status_quo = result.alternatives.index(status_quo)
    if not 0 <= status_quo < len(result.alternatives):
        raise ValueError(f"status quo index {status_quo} out of range")
    winner = result.winners[0]
    return winner != status_quo and bool(result.defeats[winner, status_quo])
