"""The outcome of a count, in the stable JSON shape documented in docs/voting.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray


@dataclass
class TallyResult:
    """Winners and the evidence for them. Alternatives are indices into ``alternatives``."""

    method: str
    alternatives: tuple[str, ...]
    seats: int
    winners: list[int]
    ranking: list[int]
    ballots: int
    valid_ballots: int
    pairwise: NDArray[np.int64] | None = None
    defeats: NDArray[np.bool_] | None = None  # defeats[a, b]: a beats b under the method
    strongest_paths: NDArray[np.int64] | None = None
    scores: list[float] | None = None
    rounds: list[dict[str, Any]] = field(default_factory=list)
    locked_pairs: list[tuple[int, int]] | None = None
    quota: float | None = None
    tie_breaks: list[str] = field(default_factory=list)

    def names(self, indices: list[int]) -> list[str]:
        return [self.alternatives[i] for i in indices]

    def as_dict(self) -> dict[str, Any]:
        """The JSON document of ``parrhesia tally --format json`` (keys documented)."""
        doc: dict[str, Any] = {
            "method": self.method,
            "seats": self.seats,
            "alternatives": list(self.alternatives),
            "ballots": self.ballots,
            "valid_ballots": self.valid_ballots,
            "winners": self.names(self.winners),
            "ranking": self.names(self.ranking),
            "tie_breaks": self.tie_breaks,
        }
        if self.scores is not None:
            doc["scores"] = dict(zip(self.alternatives, self.scores, strict=True))
        if self.pairwise is not None:
            doc["pairwise"] = self.pairwise.tolist()
        if self.strongest_paths is not None:
            doc["strongest_paths"] = self.strongest_paths.tolist()
        if self.locked_pairs is not None:
            doc["locked_pairs"] = [self.names([a, b]) for a, b in self.locked_pairs]
        if self.quota is not None:
            doc["quota"] = self.quota
        if self.rounds:
            doc["rounds"] = self.rounds
        return doc
