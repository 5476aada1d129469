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


def _solve_side(
    ratings: sp.csr_matrix, pattern: sp.csr_matrix, mu: float, other_i: FloatArray,
    other_f: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Exact ridge solve of (intercept, factor) for every row, the other side fixed.

    Row u minimises Σ_s (y_us − i_u − f_u·g_s)² + λ_i i_u² + λ_f f_u², y_us = r_us − μ − b_s:
    normal equations [[n + λ_i, Σg], [Σg, Σg² + λ_f]] · [i, f] = [Σy, Σy·g].
    """
    g, b = other_f, other_i
    sums = pattern @ np.column_stack([np.ones_like(g), b, g, g * g, b * g])
    n, sum_b, sum_g, sum_gg, sum_bg = sums.T
    r_sums = ratings @ np.column_stack([np.ones_like(g), g])
    sum_y = r_sums[:, 0] - mu * n - sum_b
    sum_yg = r_sums[:, 1] - mu * sum_g - sum_bg
    a11, a12, a22 = n + LAMBDA_INTERCEPT, sum_g, sum_gg + LAMBDA_FACTOR
    det = a11 * a22 - a12 * a12  # > 0: the matrix is positive definite
    intercept = (a22 * sum_y - a12 * sum_yg) / det
    factor = (a11 * sum_yg - a12 * sum_y) / det
    return intercept, factor


def fit_bridging(
    ratings: sp.csr_matrix, max_iters: int = 200, tol: float = 1e-6, seed: int = 0
) -> BridgingResult:
    """Fit the model to a members × statements CSR of ratings (explicit zeros are ratings)."""
    ratings = ratings.tocsr()
    pattern = sp.csr_matrix(
        (np.ones_like(ratings.data), ratings.indices, ratings.indptr), shape=ratings.shape
    )
    ratings_t, pattern_t = ratings.T.tocsr(), pattern.T.tocsr()
    n_members, n_statements = ratings.shape
    rng = np.random.default_rng(seed)
    s_int, s_fac = np.zeros(n_statements), rng.normal(0.0, 0.1, n_statements)
    m_int, m_fac = np.zeros(n_members), np.zeros(n_members)
    mu = float(ratings.data.mean()) if ratings.nnz else 0.0
    iterations = 0
    while iterations < max_iters:
        iterations += 1
        before = np.concatenate([[mu], m_int, m_fac, s_int, s_fac])
        m_int, m_fac = _solve_side(ratings, pattern, mu, s_int, s_fac)
        s_int, s_fac = _solve_side(ratings_t, pattern_t, mu, m_int, m_fac)
        mu = _solve_mu(ratings, pattern, m_int, m_fac, s_int, s_fac)
        after = np.concatenate([[mu], m_int, m_fac, s_int, s_fac])
        if np.max(np.abs(after - before)) < tol:
            break
    return BridgingResult(mu, m_int, m_fac, s_int, s_fac, iterations)


def _solve_mu(
    ratings: sp.csr_matrix, pattern: sp.csr_matrix, m_int: FloatArray, m_fac: FloatArray,
    s_int: FloatArray, s_fac: FloatArray,
) -> float:
    """μ = Σ(r − i_m − i_s − f_m f_s) / (N + λ_i)."""
    per_member = pattern @ np.column_stack([s_int, s_fac])
    n_per_member = np.diff(pattern.indptr)
    residual = (
        float(ratings.data.sum())
        - float(m_int @ n_per_member)
        - float(per_member[:, 0].sum())
        - float(m_fac @ per_member[:, 1])
    )
    return float(residual / (ratings.nnz + LAMBDA_INTERCEPT))
