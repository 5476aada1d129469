"""The whole opinion map in one call: :func:`analyze` (cold) and its warm form (``previous=``).

Order of work (Polis ``conversation.clj``, ``small-conv-update-graph``):

1. in-conversation participants (``:in-conv``): those with ≥ min(7, n_statements) votes
   (moderated-out statements included, as Polis counts the raw matrix); once in, always in (warm
   updates keep the previous set); if fewer than 15, the top voters are added up to 15;
2. PCA of every participant's votes and the sparsity-aware projection (:mod:`.pca`);
3. 100 base clusters of the in-conversation projections, then groups of base clusters for
   k = 2…5 by silhouette, with k smoothing over warm updates, emulated over 8 seedings in a cold
   analysis (:mod:`.clustering`, :func:`.clustering.cold_k_smoother`); each participant joins
   the nearest group centre (:func:`.clustering.nearest_group`);
4. per-group representative statements (:mod:`.repness`), overall and group-informed consensus
   (:mod:`.consensus`), statement extremity and routing priorities (:mod:`.routing`);
5. bridging scores (:mod:`.bridging`).

The result is plain data (:class:`OpinionResult`) and :meth:`OpinionResult.to_json` makes it
JSON; :class:`ModelState` is what a later warm update needs and round-trips through JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from parrhesia.methods.opinion import clustering as cl
from parrhesia.methods.opinion.bridging import fit_bridging, ratings_from_votes
from parrhesia.methods.opinion.consensus import (
    ConsensusStatement,
    group_informed_consensus,
    select_consensus,
)
from parrhesia.methods.opinion.matrix import BoolArray, FloatArray, IntArray, VoteMatrix
from parrhesia.methods.opinion.pca import run_pca
from parrhesia.methods.opinion.repness import RepStatement, group_stats, select_representative
from parrhesia.methods.opinion.routing import priorities

MIN_VOTES = 7
GREEDY_N = 15

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class ModelState:
    """What a warm update reuses: components, memberships and the k smoother."""

    participant_ids: list[str]
    statement_ids: list[str]
    components: FloatArray  # 2 × statements
    in_conv: BoolArray
    base_labels: IntArray  # per participant, -1 = not clustered
    group_labels: dict[int, IntArray]  # per candidate k, per participant, -1 = none
    k_smoother: cl.KSmoother = field(default_factory=cl.KSmoother)

    def to_json(self) -> dict[str, Any]:
        return {
            "participant_ids": self.participant_ids,
            "statement_ids": self.statement_ids,
            "components": self.components.tolist(),
            "in_conv": self.in_conv.astype(int).tolist(),
            "base_labels": self.base_labels.tolist(),
            "group_labels": {str(k): v.tolist() for k, v in self.group_labels.items()},
            "k_smoother": [self.k_smoother.last_k, self.k_smoother.last_k_count,
                           self.k_smoother.smoothed_k],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelState:
        last_k, count, smoothed = data["k_smoother"]
        return cls(
            participant_ids=[str(p) for p in data["participant_ids"]],
            statement_ids=[str(s) for s in data["statement_ids"]],
            components=np.asarray(data["components"], dtype=np.float64).reshape(2, -1),
            in_conv=np.asarray(data["in_conv"], dtype=bool),
            base_labels=np.asarray(data["base_labels"], dtype=np.int64),
            group_labels={int(k): np.asarray(v, dtype=np.int64)
                          for k, v in data["group_labels"].items()},
            k_smoother=cl.KSmoother(last_k, int(count), smoothed),
        )


@dataclass(frozen=True)
class GroupSummary:
    size: int
    representative: list[RepStatement]


@dataclass(frozen=True)
class OpinionResult:
    participant_ids: list[str]
    statement_ids: list[str]
    group_of: IntArray  # per participant, -1 = not clustered
    groups: list[GroupSummary]
    consensus: list[ConsensusStatement]
    group_consensus_agree: FloatArray
    group_consensus_disagree: FloatArray
    extremity: FloatArray
    priority: FloatArray
    bridging: FloatArray  # NaN for moderated-out statements
    projections: FloatArray
    moderated_out: BoolArray
    silhouettes: dict[int, float]
    state: ModelState

    def to_json(self) -> dict[str, Any]:
        """The ``parrhesia opinion analyze --format json`` document (without timings)."""
        sid = self.statement_ids
        live = [j for j in range(len(sid)) if not self.moderated_out[j]]
        return {
            "participants": {
                p: (int(g) if g >= 0 else None)
                for p, g in zip(self.participant_ids, self.group_of.tolist(), strict=True)
            },
            "groups": [
                {"size": g.size, "representative": [_rep_json(r, sid) for r in g.representative]}
                for g in self.groups
            ],
            "consensus": [_consensus_json(c, sid, self) for c in self.consensus],
            "bridging": {sid[j]: _round(self.bridging[j]) for j in live},
            "group_informed_consensus": {
                sid[j]: {"agree": _round(self.group_consensus_agree[j]),
                         "disagree": _round(self.group_consensus_disagree[j])}
                for j in live
            },
            "extremity": {sid[j]: _round(self.extremity[j]) for j in live},
            "priority": {sid[j]: _round(self.priority[j]) for j in live},
            "k_silhouettes": {str(k): _round(v) for k, v in self.silhouettes.items()},
        }


def _round(value: float) -> float:
    return round(float(value), 6)


def _rep_json(r: RepStatement, sid: list[str]) -> dict[str, Any]:
    return {
        "statement": sid[r.statement], "direction": r.direction,
        "n_success": r.n_success, "n_trials": r.n_trials,
        "p_success": _round(r.p_success), "p_test": _round(r.p_test),
        "repness": _round(r.repness), "repness_test": _round(r.repness_test),
        "best_agree": r.best_agree,
    }


def _consensus_json(c: ConsensusStatement, sid: list[str], result: OpinionResult) -> dict[str, Any]:
    agree = c.direction == "agree"
    gac = result.group_consensus_agree if agree else result.group_consensus_disagree
    return {
        "statement": sid[c.statement], "direction": c.direction,
        "n_success": c.n_success, "n_trials": c.n_trials,
        "p_success": _round(c.p_success), "p_test": _round(c.p_test),
        "group_informed_consensus": _round(gac[c.statement]),
    }


def moderated_mask(statement_ids: list[str], moderated_out: Iterable[str]) -> BoolArray:
    out = set(moderated_out)
    return np.fromiter((s in out for s in statement_ids), dtype=bool, count=len(statement_ids))


def in_conversation(
    vote_counts: IntArray, n_statements: int, previously_in: BoolArray | None = None
) -> BoolArray:
    """Polis ``:in-conv`` (see module docstring); ties for the top-15 fill go to earlier rows."""
    keep = vote_counts >= min(MIN_VOTES, n_statements)
    if previously_in is not None:
        keep |= previously_in
    missing = GREEDY_N - int(keep.sum())
    if missing > 0:
        others = np.flatnonzero(~keep & (vote_counts > 0))
        ranked = others[np.argsort(-vote_counts[others], kind="stable")]
        keep[ranked[:missing]] = True
    return keep


def in_conversation_history(matrix: VoteMatrix, times: IntArray) -> BoolArray:
    """Replay the ``:in-conv`` rule over the vote history (``times`` aligned with the votes).

    Polis re-evaluates ``:in-conv`` at every update and never drops anyone, so a participant who
    once had ≥ min(7, n_statements) votes — where n_statements counts the statements voted on *at
    that moment* (Polis's rating matrix only has columns for voted statements) — stays in. We
    evaluate the rule after every vote, the limit of frequent updates; the first 15 voters are in
    as well (the greedy top-up while the conversation had fewer than 15 participants).
    """
    n = matrix.shape[0]
    keep = np.zeros(n, dtype=bool)
    if matrix.n_votes == 0:
        return keep
    order = np.argsort(times, kind="stable")
    rows, cols = matrix.row_of_vote()[order], matrix.indices[order]
    is_new_statement = np.zeros(len(cols), dtype=bool)
    is_new_statement[np.unique(cols, return_index=True)[1]] = True
    statements_so_far = np.cumsum(is_new_statement)
    by_voter = np.argsort(rows, kind="stable")  # time order kept within each voter
    voters_sorted = rows[by_voter]
    starts = np.flatnonzero(np.r_[True, voters_sorted[1:] != voters_sorted[:-1]])
    lengths = np.diff(np.r_[starts, len(rows)])
    running = np.empty(len(rows), dtype=np.int64)
    running[by_voter] = np.arange(len(rows)) - np.repeat(starts, lengths) + 1
    keep[rows[running >= np.minimum(MIN_VOTES, statements_so_far)]] = True
    first_votes = np.sort(np.unique(rows, return_index=True)[1])
    keep[rows[first_votes[:GREEDY_N]]] = True
    return keep


def _carry(previous: ModelState | None, ids: list[str], values: Callable[[ModelState], Any],
           fill: int | bool) -> Any:
    """Align a per-participant array of the previous state with the current participants."""
    if previous is None:
        return None
    old = values(previous)
    index = {p: i for i, p in enumerate(previous.participant_ids)}
    where = np.fromiter((index.get(p, -1) for p in ids), dtype=np.int64, count=len(ids))
    out = np.full(len(ids), fill, dtype=old.dtype)
    out[where >= 0] = old[where[where >= 0]]
    return out


def _carry_components(previous: ModelState | None, statement_ids: list[str]) -> FloatArray | None:
    if previous is None:
        return None
    index = {s: j for j, s in enumerate(previous.statement_ids)}
    out = np.zeros((2, len(statement_ids)))
    for j, s in enumerate(statement_ids):
        if s in index:
            out[:, j] = previous.components[:, index[s]]
    return out


def analyze(
    matrix: VoteMatrix,
    moderated_out: Iterable[str] = (),
    previous: ModelState | None = None,
    with_bridging: bool = True,
    progress: Progress = _quiet,
    keep_in: BoolArray | None = None,
) -> OpinionResult:
    """Compute the opinion map; pass the previous result's ``state`` for a warm update.

    ``keep_in`` marks participants already in the conversation (e.g. from
    :func:`in_conversation_history`); a warm update keeps the previous state's as well.
    """
    ids = matrix.participant_ids
    mod = moderated_mask(matrix.statement_ids, moderated_out)
    counts = matrix.votes_per_participant()
    earlier = _carry(previous, ids, _in_conv, False)
    if keep_in is not None:
        earlier = keep_in if earlier is None else earlier | keep_in
    in_conv = in_conversation(counts, matrix.shape[1], earlier)
    progress("pca")
    pca = run_pca(matrix, mod, _carry_components(previous, matrix.statement_ids))
    progress("clustering")
    groups = _cluster(pca.projections, in_conv, previous, ids)
    progress("statistics")
    result = _summarise(matrix, mod, pca.extremity, groups, in_conv)
    bridging = np.full(matrix.shape[1], np.nan)
    if with_bridging:
        progress("bridging")
        fit = fit_bridging(ratings_from_votes(matrix, mod), start_factors=pca.components[0])
        bridging = np.where(mod, np.nan, fit.statement_intercepts)
    state = ModelState(ids, list(matrix.statement_ids), pca.components, in_conv,
                       groups.base_labels, groups.group_labels, groups.smoother)
    return OpinionResult(
        participant_ids=ids, statement_ids=list(matrix.statement_ids), group_of=groups.group_of,
        groups=result.groups, consensus=result.consensus,
        group_consensus_agree=result.gac_agree, group_consensus_disagree=result.gac_disagree,
        extremity=pca.extremity, priority=result.priority, bridging=bridging,
        projections=pca.projections, moderated_out=mod, silhouettes=groups.silhouettes,
        state=state,
    )


def _in_conv(state: ModelState) -> BoolArray:
    return state.in_conv


def _base(state: ModelState) -> IntArray:
    return state.base_labels


@dataclass(frozen=True)
class _Groups:
    base_labels: IntArray
    group_labels: dict[int, IntArray]
    group_of: IntArray
    silhouettes: dict[int, float]
    smoother: cl.KSmoother


def _cluster(
    projections: FloatArray, in_conv: BoolArray, previous: ModelState | None, ids: list[str]
) -> _Groups:
    n = len(projections)
    members = np.flatnonzero(in_conv)
    points = projections[members]
    base_labels = np.full(n, -1, dtype=np.int64)
    if len(members) == 0:
        return _Groups(base_labels, {}, base_labels.copy(), {}, cl.KSmoother())
    previous_base = _carry(previous, ids, _base, -1)
    if previous_base is not None:
        init = cl.warm_centres(points, np.ones(len(points)), previous_base[members], cl.BASE_K)
    else:
        init = cl.first_distinct(points, cl.BASE_K)
    base = cl.fit_base(points, init)
    base_labels[members] = base.labels
    sizes = np.bincount(base.labels, minlength=len(base.centres)).astype(np.float64)
    clusterings, silhouettes = _group_clusterings(base.centres, sizes, points, previous, ids,
                                                  members)
    smoother = previous.k_smoother if previous else cl.KSmoother()
    if silhouettes:
        this_k = cl.best_k(silhouettes)
        if previous is None:
            smoother = cl.cold_k_smoother(points, this_k)
        else:
            smoother = smoother.update(this_k)
    k = smoother.smoothed_k if smoother.smoothed_k in clusterings else min(clusterings, default=1)
    group_labels: dict[int, IntArray] = {}
    for candidate, base_to_group in clusterings.items():
        labels = np.full(n, -1, dtype=np.int64)
        labels[members] = cl.nearest_group(points, base_to_group[base.labels])
        group_labels[candidate] = labels
    group_of = group_labels[k].copy() if k in group_labels else np.where(in_conv, 0, -1)
    return _Groups(base_labels, group_labels, _by_size(group_of), silhouettes, smoother)


def _group_clusterings(
    centres: FloatArray, sizes: FloatArray, points: FloatArray, previous: ModelState | None,
    ids: list[str], members: IntArray,
) -> tuple[dict[int, IntArray], dict[int, float]]:
    """Weighted k-means of the base centres for every candidate k, and its silhouette."""
    if previous is None:
        return cl.group_clusterings(centres, sizes)
    inits = {k: _group_init(centres, sizes, points, previous, ids, members, k)
             for k in range(2, cl.max_group_k(len(centres)) + 1)}
    return cl.group_clusterings(centres, sizes, inits)


def _group_init(
    centres: FloatArray, sizes: FloatArray, points: FloatArray, previous: ModelState | None,
    ids: list[str], members: IntArray, k: int,
) -> FloatArray:
    old = None
    if previous is not None and k in previous.group_labels:
        old = _carry(previous, ids, lambda s: s.group_labels[k], -1)
    if old is None or not np.any(old[members] >= 0):
        return cl.first_distinct(centres, k)
    # Recentre the previous groups on their members' new positions, then top up to k.
    seeds = cl.warm_centres(points, np.ones(len(points)), old[members], k)
    if len(seeds) < k:
        seeds = cl._add_distal(centres, seeds, min(k, len(np.unique(centres, axis=0))))
    return seeds


def _by_size(group_of: IntArray) -> IntArray:
    """Relabel groups 0, 1, … by decreasing size (ties: lower old label first)."""
    valid = group_of >= 0
    if not valid.any():
        return group_of
    sizes = np.bincount(group_of[valid])
    order = np.argsort(-sizes, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    out = group_of.copy()
    out[valid] = rank[group_of[valid]]
    present = np.unique(out[valid])
    return np.where(valid, np.searchsorted(present, out), -1).astype(np.int64)


@dataclass(frozen=True)
class _Summary:
    groups: list[GroupSummary]
    consensus: list[ConsensusStatement]
    gac_agree: FloatArray
    gac_disagree: FloatArray
    priority: FloatArray


def vote_counts_by_group(
    matrix: VoteMatrix, group_of: IntArray, n_groups: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Agree, disagree and seen counts, groups × statements.

    With the one-hot membership M (participants × groups): Σv = Mᵀ V, Σ|v| = Mᵀ |V| and
    seen = Mᵀ 1[V seen]; agree = (Σ|v| + Σv) / 2, disagree = (Σ|v| − Σv) / 2. Three sparse
    products, no per-vote index arrays.
    """
    onehot = np.zeros((matrix.shape[0], n_groups))
    clustered = np.flatnonzero(group_of >= 0)
    onehot[clustered, group_of[clustered]] = 1.0
    signed = np.asarray(matrix.csr().T @ onehot).T
    absolute = np.asarray(matrix.csr(np.abs(matrix.values)).T @ onehot).T
    seen = np.asarray(matrix.pattern().T @ onehot).T
    return (absolute + signed) / 2.0, (absolute - signed) / 2.0, seen


def _summarise(
    matrix: VoteMatrix, mod: BoolArray, extremity: FloatArray, groups: _Groups, in_conv: BoolArray
) -> _Summary:
    group_of = groups.group_of
    n_groups = int(group_of.max()) + 1 if (group_of >= 0).any() else 0
    na, nd, ns = vote_counts_by_group(matrix, group_of, n_groups)
    sizes = np.bincount(group_of[group_of >= 0], minlength=n_groups)
    reps = select_representative(group_stats(na, nd, ns), mod) if n_groups else []
    n_cols = matrix.shape[1]
    ts = np.bincount(matrix.indices, minlength=n_cols).astype(np.float64)[None, :]
    signed = np.bincount(matrix.indices, weights=matrix.values, minlength=n_cols)[None, :]
    absolute = np.bincount(matrix.indices, weights=np.abs(matrix.values), minlength=n_cols)
    ta, td = (absolute + signed) / 2.0, (absolute - signed) / 2.0
    return _Summary(
        groups=[GroupSummary(int(s), r) for s, r in zip(sizes, reps, strict=True)],
        consensus=select_consensus(ta[0], td[0], ts[0], mod),
        gac_agree=group_informed_consensus(na, ns),
        gac_disagree=group_informed_consensus(nd, ns),
        priority=priorities(na.sum(0), nd.sum(0), ns.sum(0), extremity),
    )
