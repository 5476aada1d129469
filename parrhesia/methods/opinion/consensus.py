"""Consensus statements: overall (Polis ``select-consensus-comments``) and group-informed.

Sources: Polis ``math/src/polismath/math/repness.clj`` (``consensus-stats``,
``select-consensus-comments``) and ``conversation.clj`` (``:group-aware-consensus``).

* Overall, over every participant in the matrix: ``pa = (na+1)/(ns+2)``,
  ``pat = prop-test(na, ns)``; a statement is an agree-consensus statement when pa > 0.5 and
  pat > 1.2816 (one-sided 90 %); the top 5 by ``pa · pat`` are kept. Disagree alike with nd.
* Group-informed consensus (agree): ``∏_g (na_g + 1) / (ns_g + 2)`` over the groups — high only
  if *every* group tends to agree. The disagree variant uses nd_g.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parrhesia.methods.opinion.matrix import BoolArray, FloatArray
from parrhesia.methods.opinion.repness import PICK, Z_90, prop_test


@dataclass(frozen=True)
class ConsensusStatement:
    statement: int  # column index
    direction: str
    n_success: int
    n_trials: int
    p_success: float
    p_test: float


def select_consensus(
    na: FloatArray, nd: FloatArray, ns: FloatArray, moderated_out: BoolArray, pick: int = PICK
) -> list[ConsensusStatement]:
    """Top agree then top disagree consensus statements (per-statement counts over everyone)."""
    chosen: list[ConsensusStatement] = []
    for direction, n in (("agree", na), ("disagree", nd)):
        p = (n + 1.0) / (ns + 2.0)
        test = prop_test(n, ns)
        ok = (p > 0.5) & (test > Z_90) & ~moderated_out
        candidates = np.flatnonzero(ok)
        order = candidates[np.argsort(-(p * test)[candidates], kind="stable")][:pick]
        chosen.extend(
            ConsensusStatement(int(j), direction, int(n[j]), int(ns[j]), float(p[j]),
                               float(test[j]))
            for j in order
        )
    return chosen


def group_informed_consensus(n_success: FloatArray, ns: FloatArray) -> FloatArray:
    """∏ over groups of (n_success_g + 1) / (ns_g + 2); arrays are groups × statements."""
    if n_success.shape[0] == 0:
        return np.zeros(n_success.shape[1])
    return np.asarray(np.prod((n_success + 1.0) / (ns + 2.0), axis=0), dtype=np.float64)
