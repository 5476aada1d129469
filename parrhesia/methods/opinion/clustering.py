"""Polis's two-level k-means: 100 base clusters, then groups of base clusters (k = 2…5).

Source: Polis ``math/src/polismath/math/clusters.clj`` (``kmeans``, ``cluster-step``,
``init-clusters``, ``clean-start-clusters``, ``silhouette``) and ``conversation.clj``
(``:base-clusters``, ``:group-clusterings``, ``max-k-fn``, ``:group-k-smoother``).

* Lloyd's k-means: assign every point to its nearest centre, drop clusters left empty, move each
  centre to the (weighted) mean of its points; stop when no centre moved by 0.01 or more, or after
  ``max_iters`` (100 for base clusters, 20 for groups — Polis passes ``:cluster-iters`` which
  ``kmeans`` ignores, so its default of 20 applies).
* Cold start (``init-clusters``): the first k distinct points, in participant order.
* Warm start (``clean-start-clusters``): recentre the previous clusters on their members' new
  positions, drop the empty ones, then while there are fewer than k clusters split off the point
  farthest from every centre as a new cluster.
* Groups: weighted k-means on the base-cluster centres (weight = members), for
  k = 2 … min(5, 2 + ⌊n_base / 12⌋); k is chosen by the mean silhouette coefficient over the
  base centres (unweighted; a singleton cluster's member scores 0).
* k smoothing (``:group-k-smoother``): the best k of this update becomes the shown k only after
  it has been the best for 4 consecutive updates (the first update adopts it at once).
* One-shot analyses (no previous state) have no update history to smooth k over. Every Polis
  conversation starts at k = 2 (below 12 base clusters only k = 2 is tried) and a larger k must
  then be the best in 4 consecutive updates, so near-equal silhouettes leave Polis at the smaller
  k. :func:`cold_k_smoother` emulates that with ``COLD_SEEDINGS`` (8) base clusterings of the
  same points, seeded with the first 100 distinct points read from 8 evenly spaced places in the
  participant order (the start — Polis's own seeding — then 1/8, 2/8 … of the way, wrapping
  round): the shown k is the smallest of their best k, so k groups are shown only when every
  seeding prefers at least k. (With 4 seedings, one per update of Polis's buffer, a marginal
  k = 3 still got through in 1 of 10 leave-out runs of brexit-consensus.) The groups shown are
  those of Polis's seeding. The other seedings only vote, each with the better (lower inertia)
  of two group k-means starts, so a poor start cannot veto a clear k.
* Membership (a departure from Polis, :func:`nearest_group`): Polis gives each participant the
  group of its base cluster. We give each participant the group whose centre (the mean of the
  group's members) is nearest. Base clusters that straddle the boundary between two groups
  otherwise move whole from one group to the other when the seeding shifts (e.g. when a few
  participants leave); per participant the boundary is a straight line between group centres.
  It changes the groups of a few participants on the boundary (mean ARI against Polis 0.665 →
  0.662) and makes them markedly more stable (``docs/opinion.md``, *Fidelity*).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.cluster.vq import vq

from parrhesia.methods.opinion.matrix import FloatArray, IntArray

BASE_K = 100
BASE_ITERS = 100
BASE_SAMPLE = 100_000
GROUP_ITERS = 20
MAX_GROUP_K = 5
K_BUFFER = 4
COLD_SEEDINGS = 8
MOVE_THRESHOLD = 0.01
START_K = 2
ROTATION_SAMPLE = 2_000


@dataclass(frozen=True)
class Clustering:
    centres: FloatArray  # k × d
    labels: IntArray  # per point, index into centres


def nearest_centre(points: FloatArray, centres: FloatArray) -> IntArray:
    """Index of the nearest centre for each point (C loop of ``scipy.cluster.vq.vq``)."""
    codes, _ = vq(points, centres, check_finite=False)
    return np.asarray(codes, dtype=np.int64)


def _weighted_means(
    points: FloatArray, weights: FloatArray, labels: IntArray, k: int
) -> tuple[FloatArray, FloatArray]:
    totals = np.bincount(labels, weights=weights, minlength=k).astype(np.float64)
    sums = np.stack(
        [np.bincount(labels, weights=weights * points[:, d], minlength=k)
         for d in range(points.shape[1])],
        axis=1,
    )
    safe = np.where(totals > 0, totals, 1.0)
    return sums / safe[:, None], totals


def kmeans(
    points: FloatArray,
    init_centres: FloatArray,
    weights: FloatArray | None = None,
    max_iters: int = GROUP_ITERS,
) -> Clustering:
    """Polis's Lloyd iteration (see module docstring); empty clusters are dropped."""
    w = np.ones(len(points)) if weights is None else np.asarray(weights, dtype=np.float64)
    centres = np.asarray(init_centres, dtype=np.float64)
    for _ in range(max_iters + 1):
        labels = nearest_centre(points, centres)
        means, totals = _weighted_means(points, w, labels, len(centres))
        alive = totals > 0
        moved = np.linalg.norm(means[alive] - centres[alive], axis=1)
        stable = bool(alive.all()) and bool(np.all(moved < MOVE_THRESHOLD))
        centres = means[alive]
        if stable:
            break
    return Clustering(centres, nearest_centre(points, centres))


def fit_base(points: FloatArray, init: FloatArray) -> Clustering:
    """Base k-means; above ``BASE_SAMPLE`` points it is fitted on an evenly spaced subsample.

    Polis itself switches to sampling (mini-batch PCA) for large conversations. 100 centres
    are fixed by 10^5 points as well as by 10^6; every point is then assigned to its nearest.
    """
    if len(points) <= BASE_SAMPLE:
        return kmeans(points, init, max_iters=BASE_ITERS)
    step = -(-len(points) // BASE_SAMPLE)
    fitted = kmeans(points[::step], init, max_iters=BASE_ITERS)
    return Clustering(fitted.centres, nearest_centre(points, fitted.centres))


def first_distinct(points: FloatArray, k: int, start: int = 0) -> FloatArray:
    """The first k distinct points in order (``init-clusters``), reading from ``start`` on.

    ``start`` > 0 reads the points from that index, wrapping round to the beginning.
    """
    if start:
        points = np.concatenate([points[start:], points[:start]])
    head = points[: max(k * 50, 10_000)]
    _, first = np.unique(head, axis=0, return_index=True)
    if len(first) < k and len(head) < len(points):
        _, first = np.unique(points, axis=0, return_index=True)
    chosen = np.sort(first)[:k]
    return np.asarray(points[chosen], dtype=np.float64)


def warm_centres(
    points: FloatArray, weights: FloatArray, previous_labels: IntArray, k: int
) -> FloatArray:
    """``clean-start-clusters``: recentre previous clusters, then split off distal points.

    ``previous_labels`` is -1 for points that had no cluster before.
    """
    known = previous_labels >= 0
    if not known.any():
        return first_distinct(points, k)
    n_old = int(previous_labels.max()) + 1
    means, totals = _weighted_means(points[known], weights[known], previous_labels[known], n_old)
    centres = np.unique(means[totals > 0], axis=0)
    if len(centres) >= k:
        return centres[:k]
    return _add_distal(points, centres, k)


def _add_distal(points: FloatArray, centres: FloatArray, k: int) -> FloatArray:
    """Add the point farthest from all centres as a new centre until there are k."""
    nearest = np.full(len(points), np.inf)
    for centre in centres:
        nearest = np.minimum(nearest, np.linalg.norm(points - centre, axis=1))
    chosen = list(centres)
    while len(chosen) < k:  # stops early when every point already is a centre
        far = int(np.argmax(nearest))
        if nearest[far] <= 0:
            break
        chosen.append(points[far].copy())
        nearest = np.minimum(nearest, np.linalg.norm(points - points[far], axis=1))
    return np.asarray(chosen, dtype=np.float64)


def silhouette(points: FloatArray, labels: IntArray) -> float:
    """Mean silhouette coefficient over points (Polis ``silhouette``; singletons score 0)."""
    n = len(points)
    k = int(labels.max()) + 1 if n else 0
    if k < 2:
        return 0.0
    distances = np.linalg.norm(points[:, None, :] - points[None, :, :], axis=2)
    members = np.zeros((n, k))
    members[np.arange(n), labels] = 1.0
    sizes = members.sum(axis=0)
    sums = distances @ members  # n × k: total distance from each point to each cluster
    own = sizes[labels]
    a = np.divide(sums[np.arange(n), labels], own - 1, out=np.zeros(n), where=own > 1)
    other = np.where(members > 0, np.inf, sums / np.where(sizes > 0, sizes, 1.0)[None, :])
    other[:, sizes == 0] = np.inf
    b = other.min(axis=1)
    scores = np.divide(b - a, np.maximum(a, b), out=np.zeros(n), where=np.maximum(a, b) > 0)
    scores[own <= 1] = 0.0
    return float(scores.mean())


def max_group_k(n_base: int) -> int:
    """``max-k-fn``: min(5, 2 + ⌊n_base / 12⌋)."""
    return min(MAX_GROUP_K, 2 + n_base // 12)


@dataclass(frozen=True)
class KSmoother:
    """Polis's k smoothing state (``:group-k-smoother``)."""

    last_k: int | None = None
    last_k_count: int = 0
    smoothed_k: int | None = None

    def update(self, this_k: int, buffer: int = K_BUFFER) -> KSmoother:
        count = self.last_k_count + 1 if self.last_k == this_k else 1
        if count >= buffer or self.smoothed_k is None:
            smoothed = this_k
        else:
            smoothed = self.smoothed_k
        return KSmoother(this_k, count, smoothed)


def best_k(silhouettes: dict[int, float]) -> int:
    """The k with the highest silhouette; ties go to the smaller k."""
    return max(sorted(silhouettes), key=lambda k: silhouettes[k])


def group_clusterings(
    centres: FloatArray, sizes: FloatArray, inits: dict[int, FloatArray] | None = None
) -> tuple[dict[int, IntArray], dict[int, float]]:
    """Weighted k-means of the base centres for k = 2 … ``max_group_k``, and each silhouette.

    ``inits`` gives warm starting centres per k; otherwise the first k distinct centres.
    """
    clusterings: dict[int, IntArray] = {}
    silhouettes: dict[int, float] = {}
    if len(np.unique(centres, axis=0)) < 2:
        return clusterings, silhouettes
    for k in range(2, max_group_k(len(centres)) + 1):
        init = inits[k] if inits is not None and k in inits else first_distinct(centres, k)
        fit = kmeans(centres, init, weights=sizes, max_iters=GROUP_ITERS)
        clusterings[k] = fit.labels
        silhouettes[k] = silhouette(centres, fit.labels)
    return clusterings, silhouettes


def cold_k_smoother(points: FloatArray, first_best: int) -> KSmoother:
    """Polis's k smoothing emulated in a one-shot analysis (see module docstring).

    ``first_best`` is the best k of the clustering seeded from the start of the participant
    order (Polis's seeding). Base clusterings seeded from 1/8, 2/8 … 7/8 of the way through
    ``points`` (above ``ROTATION_SAMPLE`` points, an evenly spaced sample of them: these runs only
    vote on k) each give their best k too; the shown k is the smallest of them all, i.e. k groups
    are shown only when every seeding prefers at least k. The votes stop once ``START_K`` is
    reached. The state returned is that of a first update adopting the shown k.
    """
    shown = first_best
    step = -(-len(points) // ROTATION_SAMPLE)
    sample = points[::step]
    for run in range(1, COLD_SEEDINGS):
        if shown <= START_K:
            break
        start = run * len(sample) // COLD_SEEDINGS
        base = kmeans(sample, first_distinct(sample, BASE_K, start), max_iters=BASE_ITERS)
        sizes = np.bincount(base.labels, minlength=len(base.centres)).astype(np.float64)
        silhouettes = _voting_silhouettes(base.centres, sizes)
        shown = min(shown, best_k(silhouettes) if silhouettes else START_K)
    return KSmoother().update(shown)


def nearest_group(points: FloatArray, labels: IntArray) -> IntArray:
    """Each point joins the group whose centre (mean of the group's members) is nearest.

    ``labels`` is the group of each point's base cluster. Groups that end up empty are dropped
    and the rest renumbered in their order, so labels stay 0 … k − 1.
    """
    if len(points) == 0 or int(labels.max()) < 1:
        return labels.copy()
    k = int(labels.max()) + 1
    centres, totals = _weighted_means(points, np.ones(len(points)), labels, k)
    nearest = nearest_centre(points, centres[totals > 0])
    _, compact = np.unique(nearest, return_inverse=True)
    return np.asarray(compact, dtype=np.int64)


def _voting_silhouettes(centres: FloatArray, sizes: FloatArray) -> dict[int, float]:
    """Silhouette per k of the better (lower weighted inertia) of two group k-means starts.

    One starts from the first k distinct centres, the other from the k − 1 groups plus the most
    distal centre (Polis's ``clean-start-clusters`` top-up). A single start can leave two real
    groups merged and another split, losing to a smaller k for that reason alone; with three
    clear groups one of four seedings then votes 2.
    """
    silhouettes: dict[int, float] = {}
    if len(np.unique(centres, axis=0)) < 2:
        return silhouettes
    smaller: Clustering | None = None
    for k in range(2, max_group_k(len(centres)) + 1):
        fits = [kmeans(centres, first_distinct(centres, k), weights=sizes, max_iters=GROUP_ITERS)]
        if smaller is not None:
            grown = _add_distal(centres, smaller.centres, k)
            fits.append(kmeans(centres, grown, weights=sizes, max_iters=GROUP_ITERS))
        smaller = min(fits, key=lambda fit: _inertia(centres, sizes, fit))
        silhouettes[k] = silhouette(centres, smaller.labels)
    return silhouettes


def _inertia(points: FloatArray, weights: FloatArray, fit: Clustering) -> float:
    """The k-means objective: weighted sum of squared distances to the assigned centres."""
    return float(np.sum(weights * np.sum((points - fit.centres[fit.labels]) ** 2, axis=1)))
