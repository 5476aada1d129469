"""Representative statements per group (Polis "repness").

Source: Polis ``math/src/polismath/math/repness.clj`` and ``stats.clj``.

For a group g and a statement, with ``na``/``nd`` its members' agree/disagree counts and ``ns``
the members who saw it (passes included), and the same sums over all *other groups* (``rest``):

* ``pa = (na + 1) / (ns + 2)`` and ``pd = (nd + 1) / (ns + 2)`` (+1 pseudocounts);
* one-proportion test ``pat = 2·√(ns+1)·((na+1)/(ns+1) − ½)`` (``prop-test``), ``pdt`` alike;
* ``ra = pa / ((rest_na + 1) / (rest_ns + 2))``, ``rd`` alike;
* two-proportion test (``two-prop-test``), every count +1: ``p1 = (na+1)/(ns+1)``,
  ``p2 = (rest_na+1)/(rest_ns+1)``, ``p̂ = (na+rest_na+2)/(ns+rest_ns+2)``,
  ``rat = (p1 − p2) / √(p̂(1−p̂)(1/(ns+1) + 1/(rest_ns+1)))`` (0 when p̂ = 1); ``rdt`` alike.

Selection (``select-rep-comments``): a statement is *sufficient* for the group when
(rat > 1.2816 and pat > 1.2816) or (rdt > 1.2816 and pdt > 1.2816) — one-sided 90 %. Each
statement is reported for agree if rat > rdt, else disagree. Sufficient statements are sorted by
``repness · repness_test · p_success · p_test``; the group's best agree statement (a greedy scan,
``beats-best-agr?``) goes first; the top 5 are kept and agrees are put before disagrees. A group
with no sufficient statement gets its best agree statement, or else its best by test.
Moderated-out statements are never selected.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parrhesia.methods.opinion.matrix import BoolArray, FloatArray

Z_90 = 1.2816
PICK = 5


def prop_test(successes: FloatArray, trials: FloatArray) -> FloatArray:
    """Polis ``prop-test``: z of the +1-smoothed proportion against ½."""
    s, n = successes + 1.0, trials + 1.0
    return np.asarray(2.0 * np.sqrt(n) * (s / n - 0.5), dtype=np.float64)


def two_prop_test(
    succ_in: FloatArray, succ_out: FloatArray, pop_in: FloatArray, pop_out: FloatArray
) -> FloatArray:
    """Polis ``two-prop-test`` with +1 on every count; 0 where the pooled proportion is 1."""
    s1, s2, n1, n2 = succ_in + 1.0, succ_out + 1.0, pop_in + 1.0, pop_out + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    z = np.divide(s1 / n1 - s2 / n2, spread, out=np.zeros_like(spread), where=spread > 0)
    return np.asarray(np.where(pooled >= 1.0, 0.0, z), dtype=np.float64)


@dataclass(frozen=True)
class GroupStats:
    """Per group × statement statistics (arrays of shape groups × statements)."""

    na: FloatArray
    nd: FloatArray
    ns: FloatArray
    pa: FloatArray
    pd: FloatArray
    pat: FloatArray
    pdt: FloatArray
    ra: FloatArray
    rd: FloatArray
    rat: FloatArray
    rdt: FloatArray


def group_stats(na: FloatArray, nd: FloatArray, ns: FloatArray) -> GroupStats:
    """All repness statistics from per-group counts (groups × statements)."""
    rest_na, rest_nd, rest_ns = na.sum(0) - na, nd.sum(0) - nd, ns.sum(0) - ns
    pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
    return GroupStats(
        na=na, nd=nd, ns=ns, pa=pa, pd=pd,
        pat=prop_test(na, ns), pdt=prop_test(nd, ns),
        ra=pa / ((rest_na + 1) / (rest_ns + 2)), rd=pd / ((rest_nd + 1) / (rest_ns + 2)),
        rat=two_prop_test(na, rest_na, ns, rest_ns), rdt=two_prop_test(nd, rest_nd, ns, rest_ns),
    )


@dataclass(frozen=True)
class RepStatement:
    """One representative statement of a group (``finalize-cmt-stats``)."""

    statement: int  # column index
    direction: str  # "agree" | "disagree"
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    best_agree: bool = False

    @property
    def metric(self) -> float:
        return self.repness * self.repness_test * self.p_success * self.p_test


def _finalize(s: GroupStats, g: int, j: int, best_agree: bool = False) -> RepStatement:
    agree = s.rat[g, j] > s.rdt[g, j]
    pick = (s.na, s.pa, s.pat, s.ra, s.rat) if agree else (s.nd, s.pd, s.pdt, s.rd, s.rdt)
    return RepStatement(
        statement=j, direction="agree" if agree else "disagree",
        n_success=int(pick[0][g, j]), n_trials=int(s.ns[g, j]),
        p_success=float(pick[1][g, j]), p_test=float(pick[2][g, j]),
        repness=float(pick[3][g, j]), repness_test=float(pick[4][g, j]), best_agree=best_agree,
    )


def _best_agree(s: GroupStats, g: int, candidates: list[int]) -> int | None:
    """Greedy scan of ``beats-best-agr?`` over statements in order."""
    best: int | None = None
    na, nd, ra, rat, pa, pat = (x[g].tolist() for x in (s.na, s.nd, s.ra, s.rat, s.pa, s.pat))
    for j in candidates:
        if na[j] == 0 and nd[j] == 0:
            continue
        if best is not None and ra[best] > 1.0:
            better = ra[j] * rat[j] * pa[j] * pat[j] > ra[best] * rat[best] * pa[best] * pat[best]
        elif best is not None:
            better = pa[j] * pat[j] > pa[best] * pat[best]
        else:
            better = pat[j] > Z_90 or (ra[j] > 1.0 and pa[j] > 0.5)
        if better:
            best = j
    return best


def select_representative(
    stats: GroupStats, moderated_out: BoolArray, pick: int = PICK
) -> list[list[RepStatement]]:
    """Representative statements for every group (see module docstring)."""
    candidates = np.flatnonzero(~moderated_out)
    chosen: list[list[RepStatement]] = []
    for g in range(stats.na.shape[0]):
        sufficient_mask = ((stats.rat[g] > Z_90) & (stats.pat[g] > Z_90)) | (
            (stats.rdt[g] > Z_90) & (stats.pdt[g] > Z_90)
        )
        sufficient = [j for j in candidates.tolist() if sufficient_mask[j]]
        agree_j = _best_agree(stats, g, candidates.tolist())
        head = [_finalize(stats, g, agree_j, best_agree=True)] if agree_j is not None else []
        if not sufficient:
            if not head and candidates.size:
                tests = np.maximum(stats.rat[g], stats.rdt[g])[candidates]
                head = [_finalize(stats, g, int(candidates[int(np.argmax(tests))]))]
            chosen.append(head)
            continue
        rest = sorted(
            (_finalize(stats, g, j) for j in sufficient if j != agree_j),
            key=lambda r: -r.metric,
        )
        top = (head + rest)[:pick]
        chosen.append([r for r in top if r.direction == "agree"]
                      + [r for r in top if r.direction == "disagree"])
    return chosen
