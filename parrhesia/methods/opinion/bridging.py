"""Bridging scores by matrix factorisation (the Community Notes model, fitted by ALS).

Source: Wojcik et al., "Birdwatch: Crowd Wisdom and Bridging Algorithms can Inform Understanding
and Reduce the Spread of Misinformation" (2022), and the Community Notes documentation
("Note ranking algorithm"): ratings are modelled as

    r_ms ≈ μ + i_m + i_s + f_m · f_s

with one-dimensional factors, minimising

    Σ_(m,s) (r_ms − r̂_ms)² + λ_i (μ² + Σ i_m² + Σ i_s²) + λ_f (Σ f_m² + Σ f_s²),

λ_i = 0.15, λ_f = 0.03 (Community Notes' published settings). The factor absorbs the main
axis of disagreement; a statement's intercept ``i_s`` is the support left over once that axis is
explained, so it is high only for statements agreed with across the divide. The bridging score
of a statement is its intercept.

Encoding: agree = 1, disagree = 0 (as Community Notes' helpful = 1, not helpful = 0); passes are
not ratings and are ignored. Moderated-out statements are left out.

Fit: alternating least squares. With the statement side fixed, each member's (i_m, f_m) is the
exact solution of a 2 × 2 ridge system whose sums are sparse matrix products over all members at
once (no Python loop over rows); then the statements' side likewise, then μ. Start: f_s drawn
from a seeded normal(0, 0.1) — deterministic. Stops when no parameter moves more than ``tol``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from parrhesia.methods.opinion.matrix import BoolArray, FloatArray, VoteMatrix

LAMBDA_INTERCEPT = 0.15
LAMBDA_FACTOR = 0.03


@dataclass(frozen=True)
class BridgingResult:
    global_intercept: float
    member_intercepts: FloatArray
    member_factors: FloatArray
    statement_intercepts: FloatArray  # the bridging scores
    statement_factors: FloatArray
    iterations: int


def ratings_from_votes(
    matrix: VoteMatrix, moderated_out: BoolArray | None = None
) -> sp.csr_matrix:
    """Agree → 1, disagree → 0 (stored), pass and moderated-out statements dropped."""
    keep = matrix.values != 0
    if moderated_out is not None:
        keep &= ~moderated_out[matrix.indices]
    rows = matrix.row_of_vote()[keep]
    cols = matrix.indices[keep]
    ratings = (matrix.values[keep] > 0).astype(np.float64)
    indptr = np.zeros(matrix.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=matrix.shape[0]), out=indptr[1:])
    return sp.csr_matrix((ratings, cols, indptr), shape=matrix.shape)


@dataclass(frozen=True)
class _Side:
    """One side of the bipartite ratings: rows are members (or statements)."""

    ratings: sp.csr_matrix
    pattern: sp.csr_matrix
    counts: FloatArray  # ratings per row
    totals: FloatArray  # sum of ratings per row

    @classmethod
    def of(cls, ratings: sp.csr_matrix) -> _Side:
        pattern = sp.csr_matrix(
            (np.ones_like(ratings.data), ratings.indices, ratings.indptr), shape=ratings.shape
        )
        return cls(ratings, pattern, np.diff(ratings.indptr).astype(np.float64),
                   np.asarray(ratings.sum(axis=1)).ravel())


def _solve_side(
    side: _Side, mu: float, other_i: FloatArray, other_f: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Exact ridge solve of (intercept, factor) for every row, the other side fixed.

    Row u minimises Σ_s (y_us − i_u − f_u·g_s)² + λ_i i_u² + λ_f f_u², y_us = r_us − μ − b_s:
    normal equations [[n + λ_i, Σg], [Σg, Σg² + λ_f]] · [i, f] = [Σy, Σy·g]. All sums for all
    rows come from one sparse product with the pattern and one with the ratings. Also returns
    Σg per row (reused for μ).
    """
    g, b = other_f, other_i
    sum_b, sum_g, sum_gg, sum_bg = (side.pattern @ np.column_stack([b, g, g * g, b * g])).T
    n = side.counts
    sum_y = side.totals - mu * n - sum_b
    sum_yg = side.ratings @ g - mu * sum_g - sum_bg
    a11, a12, a22 = n + LAMBDA_INTERCEPT, sum_g, sum_gg + LAMBDA_FACTOR
    det = a11 * a22 - a12 * a12  # > 0: the matrix is positive definite
    intercept = (a22 * sum_y - a12 * sum_yg) / det
    factor = (a11 * sum_yg - a12 * sum_y) / det
    return intercept, factor, sum_g


def fit_bridging(
    ratings: sp.csr_matrix,
    max_iters: int = 30,
    tol: float = 1e-4,
    start_factors: FloatArray | None = None,
    seed: int = 0,
) -> BridgingResult:
    """Fit the model to a members × statements CSR of ratings (explicit zeros are ratings).

    ``start_factors`` (per statement) seeds the statement factors — e.g. the first principal
    component, which is already the main axis of disagreement — so ALS needs few sweeps.
    """
    members, statements = _Side.of(ratings.tocsr()), _Side.of(ratings.T.tocsr())
    n_members, n_statements = ratings.shape
    if start_factors is not None and np.any(start_factors):
        s_fac = np.asarray(start_factors, dtype=np.float64) * 0.5 / np.abs(start_factors).max()
    else:
        s_fac = np.random.default_rng(seed).normal(0.0, 0.1, n_statements)
    s_int, m_int, m_fac = np.zeros(n_statements), np.zeros(n_members), np.zeros(n_members)
    total, n_ratings = float(members.totals.sum()), float(ratings.nnz)
    mu = total / n_ratings if n_ratings else 0.0
    iterations = 0
    while iterations < max_iters:
        iterations += 1
        old = (mu, s_int.copy(), s_fac.copy())
        m_int, m_fac, _ = _solve_side(members, mu, s_int, s_fac)
        s_int, s_fac, raters_f = _solve_side(statements, mu, m_int, m_fac)
        # μ = Σ(r − i_m − i_s − f_m f_s) / (N + λ_i); Σ_m f_m per statement came with the solve.
        residual = (total - float(m_int @ members.counts) - float(s_int @ statements.counts)
                    - float(s_fac @ raters_f))
        mu = residual / (n_ratings + LAMBDA_INTERCEPT)
        change = max(abs(mu - old[0]), _max_abs(s_int - old[1]), _max_abs(s_fac - old[2]))
        if change < tol:
            break
    return BridgingResult(mu, m_int, m_fac, s_int, s_fac, iterations)


def _max_abs(values: FloatArray) -> float:
    return float(np.max(np.abs(values))) if values.size else 0.0
