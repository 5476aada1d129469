"""Which statement to show a participant next (Polis comment priorities).

Source: Polis ``math/src/polismath/math/conversation.clj`` (``importance-metric``,
``priority-metric``, ``:comment-priorities``); the server draws the next comment at random with
probability proportional to its priority among those the participant has not voted on.

For a statement with A agrees, D disagrees, S votes seen (passes included), P = S − A − D passes,
summed over the groups' members, and extremity E (length of its PCA projection):

* ``a = (A + 1) / (S + 2)``, ``p = (P + 1) / (S + 2)``;
* importance ``= (1 − p) · (E + 1) · a`` — informative (few passes), polarising (far from the
  centre of the map) and agreed-with statements rank higher;
* novelty factor ``= 1 + 8 · 2^(−S/5)`` — a new statement starts 9× boosted and the boost halves
  every 5 votes, so under-voted statements get seen;
* priority ``= (importance · novelty)²`` (squared "to deepen our bias"); meta statements get the
  fixed priority 7² = 49.
"""

from __future__ import annotations

import numpy as np

from parrhesia.methods.opinion.matrix import BoolArray, FloatArray, IntArray

META_PRIORITY = 7.0


def importance(agree: FloatArray, passes: FloatArray, seen: FloatArray,
               extremity: FloatArray) -> FloatArray:
    p = (passes + 1.0) / (seen + 2.0)
    a = (agree + 1.0) / (seen + 2.0)
    return np.asarray((1.0 - p) * (extremity + 1.0) * a, dtype=np.float64)


def priorities(
    agree: FloatArray, disagree: FloatArray, seen: FloatArray, extremity: FloatArray,
    is_meta: BoolArray | None = None,
) -> FloatArray:
    """Polis ``priority-metric`` for every statement (arrays aligned by statement)."""
    agree, disagree, seen = (np.asarray(x, dtype=np.float64) for x in (agree, disagree, seen))
    passes = seen - agree - disagree
    novelty = 1.0 + 8.0 * np.power(2.0, -seen / 5.0)
    value = importance(agree, passes, seen, np.asarray(extremity, dtype=np.float64)) * novelty
    if is_meta is not None:
        value = np.where(is_meta, META_PRIORITY, value)
    return np.asarray(value**2, dtype=np.float64)


def choose_next(
    priority: FloatArray, already_voted: BoolArray, rng: np.random.Generator
) -> int | None:
    """Draw an unvoted statement with probability ∝ priority; None when all are voted.

    Statements whose priority is 0 are still drawable if nothing else is left.
    """
    candidates: IntArray = np.flatnonzero(~already_voted)
    if candidates.size == 0:
        return None
    weights = np.asarray(priority, dtype=np.float64)[candidates]
    total = float(weights.sum())
    if not np.isfinite(total) or total <= 0:
        return int(candidates[int(rng.integers(candidates.size))])
    return int(rng.choice(candidates, p=weights / total))
