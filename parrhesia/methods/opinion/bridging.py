"""Bridging scores by matrix factorisation (the Community Notes model, fitted by ALS).

Source: Wojcik et al., "Birdwatch: Crowd Wisdom and Bridging Algorithms can Inform Understanding
and Reduce the Spread of Misinformation" (2022), and the Community Notes documentation
("Note ranking algorithm"): ratings are modelled as

    r_ms ≈ μ + i_m + i_s + f_m · f_s

with one-dimensional factors, minimising

    L = Σ_(m,s) (r_ms − r̂_ms)² + λ_i (μ² + Σ i_m² + Σ i_s²) + λ_f (Σ f_m² + Σ f_s²),

λ_i = 0.15, λ_f = 0.03 (Community Notes' published settings). The factor absorbs the main
axis of disagreement; a statement's intercept ``i_s`` is the support left over once that axis is
explained, so it is high only for statements agreed with across the divide. The bridging score
of a statement is its intercept.

Encoding: agree = 1, disagree = 0 (as Community Notes' helpful = 1, not helpful = 0); passes are
not ratings and are ignored. Moderated-out statements are left out.

Fit: alternating least squares, accelerated. One sweep:

1. members: with the statements fixed, each member's (i_m, f_m) is the exact solution of a 2 × 2
   ridge system whose sums are sparse products over all members at once; the same sums give
   L at that point exactly (a ridge problem's minimum is yᵀy − zᵀw*), so L costs nothing extra;
2. statements likewise (the sums are scattered from the members' CSR: no transposed copy), then
   μ in closed form;
3. gauge: the data term is unchanged by f_m → α(f_m + c), f_s → (f_s + d)/α with
   i_m → i_m − d·f_m − e, i_s → i_s − c·f_s − e', μ → μ − cd + e + e'. Only the penalty
   moves along these five directions, so plain ALS crawls along them (at a rate ~λ/ratings per
   sweep); the penalty's minimum over (c, d, e, e', α) is found from eight moments of the
   parameters and applied exactly;
4. Anderson acceleration (type II, depth 5; Walker & Ni 2011) of the map from the statement
   parameters (μ, i_s, f_s) to the next sweep's — it removes the slow convergence of the factor
   direction (a power iteration). A step is kept only if L decreases; otherwise the plain sweep
   is taken and the history restarts, so L decreases monotonically.

Stops when a sweep lowers L by less than ``tol`` × L. Start: f_s from ``start_factors`` (the
first principal component) or a seeded normal(0, 0.1); no randomness otherwise — deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from parrhesia.methods.opinion.matrix import BoolArray, FloatArray, VoteMatrix

LAMBDA_INTERCEPT = 0.15
LAMBDA_FACTOR = 0.03
ANDERSON_DEPTH = 5


@dataclass(frozen=True)
class BridgingResult:
    global_intercept: float
    member_intercepts: FloatArray
    member_factors: FloatArray
    statement_intercepts: FloatArray  # the bridging scores
    statement_factors: FloatArray
    iterations: int  # sweeps
    loss: float = float("nan")  # L at the result


def ratings_from_votes(
    matrix: VoteMatrix, moderated_out: BoolArray | None = None
) -> sp.csr_matrix:
    """Agree → 1, disagree → 0 (stored), pass and moderated-out statements dropped."""
    keep = matrix.values != 0
    if moderated_out is not None:
        keep &= ~moderated_out[matrix.indices]
    index = _index_dtype(matrix.shape, matrix.n_votes)
    kept_before = np.zeros(matrix.n_votes + 1, dtype=index)  # ratings kept before each vote
    np.cumsum(keep, out=kept_before[1:])
    cols = matrix.indices[keep].astype(index)
    ratings = (matrix.values[keep] > 0).astype(np.float64)
    return sp.csr_matrix((ratings, cols, kept_before[matrix.indptr]), shape=matrix.shape,
                         copy=False)


def _index_dtype(shape: tuple[int, int], nnz: int) -> type[np.signedinteger]:
    # 32-bit indices halve the memory traffic of every product.
    return np.int32 if max(*shape, nnz) < 2**31 - 1 else np.int64


@dataclass(frozen=True)
class _Ratings:
    """The ratings once, with every sum that does not change between sweeps.

    ``split`` has the ratings' structure with data 1; when every rating is 0 or 1 (the
    encoding above), a 1's column is moved to n_statements + column, so one product gives both
    Σ g and Σ r·g per member, and per statement each half holds its own ratings' sums: one pass
    over the ratings per half-sweep instead of two. Other ratings keep a second, weighted pass.
    """

    split: sp.csr_matrix  # members × (levels · statements)
    weighted: sp.csr_matrix | None  # the ratings, if not all 0 or 1
    member_counts: FloatArray
    member_totals: FloatArray  # Σ_s r_ms
    statement_counts: FloatArray
    statement_totals: FloatArray
    sum_squares: float  # Σ r²

    @property
    def levels(self) -> int:
        return 1 if self.weighted is not None else 2

    @classmethod
    def of(cls, ratings: sp.csr_matrix) -> _Ratings:
        csr = ratings.tocsr()
        n_members, n_statements = csr.shape
        index = _index_dtype((n_members, 2 * n_statements), csr.nnz)
        data = csr.data.astype(np.float64, copy=False)
        cols, indptr = csr.indices.astype(index), csr.indptr.astype(index, copy=False)
        binary = bool(np.all((data == 0.0) | (data == 1.0)))
        if binary:
            cols += (data * n_statements).astype(index)
        levels = 2 if binary else 1
        split = sp.csr_matrix((np.ones(csr.nnz), cols, indptr),
                              shape=(n_members, levels * n_statements), copy=False)
        weighted = None if binary else sp.csr_matrix((data, cols, indptr), shape=csr.shape)
        per_column = (split.T @ np.ones(n_members)).reshape(levels, n_statements)
        totals = per_column[1] if binary else np.asarray(csr.T @ np.ones(n_members))
        return cls(
            split, weighted, np.diff(indptr).astype(np.float64),
            np.asarray(csr.sum(axis=1), dtype=np.float64).ravel(), per_column.sum(axis=0),
            totals, float(data @ data),
        )


@dataclass(frozen=True)
class _Sums:
    """Per row, the sums of the 2 × 2 ridge system (y = r − μ − b)."""

    n: FloatArray
    g: FloatArray  # Σ g
    gg: FloatArray  # Σ g²
    y: FloatArray  # Σ y
    yg: FloatArray  # Σ y·g

    @classmethod
    def of(cls, n: FloatArray, totals: FloatArray, mu: float, sums: FloatArray,
           sum_rg: FloatArray) -> _Sums:
        """``sums`` columns: Σ b, Σ g, Σ g², Σ b·g over each row's ratings."""
        sum_b, sum_g, sum_gg, sum_bg = sums[:, 0], sums[:, 1], sums[:, 2], sums[:, 3]
        return cls(n, sum_g, sum_gg, totals - mu * n - sum_b, sum_rg - mu * sum_g - sum_bg)


def _table(b: FloatArray, g: FloatArray, columns: int = 4) -> FloatArray:
    table = np.zeros((b.size, columns))
    table[:, 0], table[:, 1] = b, g
    np.multiply(g, g, out=table[:, 2])
    np.multiply(b, g, out=table[:, 3])
    return table


def _member_sums(data: _Ratings, mu: float, b: FloatArray, g: FloatArray) -> _Sums:
    if data.weighted is not None:
        sums = data.split @ _table(b, g)
        return _Sums.of(data.member_counts, data.member_totals, mu, sums, data.weighted @ g)
    # Rows 0…S-1 for the 0-ratings, S…2S-1 for the 1-ratings, whose last column adds Σ r·g.
    table = np.tile(_table(b, g, 5), (2, 1))
    table[b.size :, 4] = g
    sums = data.split @ table
    return _Sums.of(data.member_counts, data.member_totals, mu, sums, sums[:, 4])


def _statement_sums(data: _Ratings, mu: float, b: FloatArray, g: FloatArray) -> _Sums:
    n_statements = data.statement_counts.size
    halves = (data.split.T @ _table(b, g)).reshape(data.levels, n_statements, 4)
    sum_rg = halves[1, :, 1] if data.weighted is None else data.weighted.T @ g
    return _Sums.of(data.statement_counts, data.statement_totals, mu, halves.sum(axis=0), sum_rg)


def _ridge(sums: _Sums) -> tuple[FloatArray, FloatArray]:
    """Row u: [[n + λ_i, Σg], [Σg, Σg² + λ_f]] · [i, f] = [Σy, Σy·g] (positive definite)."""
    a11, a12, a22 = sums.n + LAMBDA_INTERCEPT, sums.g, sums.gg + LAMBDA_FACTOR
    det = a11 * a22 - a12 * a12
    return (a22 * sums.y - a12 * sums.yg) / det, (a11 * sums.yg - a12 * sums.y) / det


@dataclass(frozen=True)
class _Statements:
    mu: float
    intercepts: FloatArray
    factors: FloatArray

    def flat(self) -> FloatArray:
        return np.concatenate([[self.mu], self.intercepts, self.factors])

    @classmethod
    def of_flat(cls, x: FloatArray) -> _Statements:
        n = (x.size - 1) // 2
        return cls(float(x[0]), x[1 : n + 1], x[n + 1 :])


def _members_step(data: _Ratings, st: _Statements) -> tuple[float, FloatArray, FloatArray]:
    """Members' exact ridge solve given the statements, and L at the result."""
    sums = _member_sums(data, st.mu, st.intercepts, st.factors)
    intercepts, factors = _ridge(sums)
    shift = st.mu + st.intercepts
    # Σ_(m,s) y² from per-statement sums; minus zᵀw* per member = members' part of L at optimum.
    yy = (data.sum_squares - 2.0 * float(data.statement_totals @ shift)
          + float(data.statement_counts @ (shift * shift)))
    loss = (yy - float(intercepts @ sums.y) - float(factors @ sums.yg)
            + LAMBDA_INTERCEPT * (st.mu**2 + float(st.intercepts @ st.intercepts))
            + LAMBDA_FACTOR * float(st.factors @ st.factors))
    return loss, intercepts, factors


def _statements_step(data: _Ratings, mu: float, m_int: FloatArray,
                     m_fac: FloatArray) -> _Statements:
    """Statements' exact ridge solve given the members, μ in closed form, then the gauge."""
    sums = _statement_sums(data, mu, m_int, m_fac)
    s_int, s_fac = _ridge(sums)
    # μ = Σ(r − i_m − i_s − f_m f_s) / (N + λ_i); Σ_m f_m per statement came with the solve.
    residual = (float(data.member_totals.sum()) - float(m_int @ data.member_counts)
                - float(s_int @ data.statement_counts) - float(s_fac @ sums.g))
    mu = residual / (float(data.member_counts.sum()) + LAMBDA_INTERCEPT)
    return _gauge(mu, m_int, m_fac, s_int, s_fac)


def _gauge(mu: float, m_int: FloatArray, m_fac: FloatArray, s_int: FloatArray,
           s_fac: FloatArray) -> _Statements:
    """Minimise the penalty over the data-preserving moves (c, d, e, e', α) of the docstring.

    The penalty is a polynomial in the moves whose coefficients are moments of the parameters;
    exact coordinate minimisation (each coordinate is a closed form) to machine precision.
    """
    li, lf = LAMBDA_INTERCEPT, LAMBDA_FACTOR
    n_m, n_s = float(m_int.size), float(s_int.size)
    f1, f2 = float(m_fac.sum()), float(m_fac @ m_fac)
    i1, i_f = float(m_int.sum()), float(m_int @ m_fac)
    g1, g2 = float(s_fac.sum()), float(s_fac @ s_fac)
    j1, j_g = float(s_int.sum()), float(s_int @ s_fac)
    det = (1 + n_m) * (1 + n_s) - 1
    c = d = e = e2 = 0.0
    a = 1.0  # α²
    for _ in range(200):
        before = (c, d, e, e2, a)
        base = mu - c * d
        r1, r2 = i1 - d * f1 - base, j1 - c * g1 - base
        e, e2 = ((1 + n_s) * r1 - r2) / det, ((1 + n_m) * r2 - r1) / det
        base = mu + e + e2
        c = (li * (d * base + j_g - e2 * g1) - lf * a * f1) / (li * (d * d + g2) + lf * a * n_m)
        d = (li * (c * base + i_f - e * f1) - lf * g1 / a) / (li * (c * c + f2) + lf * n_s / a)
        spread_m = f2 + 2 * c * f1 + n_m * c * c
        spread_s = g2 + 2 * d * g1 + n_s * d * d
        a = float(np.sqrt(spread_s / spread_m)) if spread_m > 0 and spread_s > 0 else 1.0
        if max(abs(x - y) for x, y in zip(before, (c, d, e, e2, a), strict=True)) < 1e-15:
            break
    alpha = float(np.sqrt(a))
    # Only the statements' side is returned: the members are re-solved from it next sweep.
    return _Statements(mu - c * d + e + e2, s_int - c * s_fac - e2, (s_fac + d) / alpha)


def _anderson(points: list[FloatArray], images: list[FloatArray]) -> FloatArray:
    """Type-II Anderson step: x = G_k − ΔG·γ, γ = argmin ‖r_k − ΔR·γ‖, r = G(x) − x."""
    image = np.array(images)  # one history entry per row
    residual = image - np.array(points)
    d_res = residual[1:] - residual[:-1]
    # Normal equations of the few (≤ depth) columns: cheap, and a poor γ is caught by the loss.
    gamma = np.linalg.lstsq(d_res @ d_res.T, d_res @ residual[-1], rcond=None)[0]
    step: FloatArray = image[-1] - gamma @ (image[1:] - image[:-1])
    return step


def fit_bridging(
    ratings: sp.csr_matrix,
    max_iters: int = 300,
    tol: float = 1e-10,
    start_factors: FloatArray | None = None,
    seed: int = 0,
) -> BridgingResult:
    """Fit the model to a members × statements CSR of ratings (explicit zeros are ratings).

    ``start_factors`` (per statement) seeds the statement factors — e.g. the first principal
    component, which is already the main axis of disagreement — so few sweeps are needed.
    Stops when a sweep lowers the loss by less than ``tol`` × loss, or after ``max_iters``.
    """
    n_members, n_statements = ratings.shape
    if ratings.nnz == 0:
        zeros_m, zeros_s = np.zeros(n_members), np.zeros(n_statements)
        return BridgingResult(0.0, zeros_m, zeros_m.copy(), zeros_s, zeros_s.copy(), 0, 0.0)
    data = _Ratings.of(ratings)
    if start_factors is not None and np.any(start_factors):
        s_fac = np.asarray(start_factors, dtype=np.float64) * 0.5 / np.abs(start_factors).max()
    else:
        s_fac = np.random.default_rng(seed).normal(0.0, 0.1, n_statements)
    mu = float(data.member_totals.sum()) / ratings.nnz
    current = _Statements(mu, np.zeros(n_statements), s_fac)
    loss, m_int, m_fac = _members_step(data, current)
    points: list[FloatArray] = []
    images: list[FloatArray] = []
    iterations = 0
    while iterations < max_iters:
        iterations += 1
        plain = _statements_step(data, current.mu, m_int, m_fac)
        points = [*points, current.flat()][-ANDERSON_DEPTH - 1 :]
        images = [*images, plain.flat()][-ANDERSON_DEPTH - 1 :]
        candidate = _Statements.of_flat(_anderson(points, images)) if len(points) > 1 else plain
        new_loss, new_int, new_fac = _members_step(data, candidate)
        if candidate is not plain and not new_loss <= loss:  # also rejects NaN
            points, images, candidate = [], [], plain
            new_loss, new_int, new_fac = _members_step(data, candidate)
        converged = loss - new_loss <= tol * abs(new_loss)
        current, loss, m_int, m_fac = candidate, new_loss, new_int, new_fac
        if converged:
            break
    return BridgingResult(current.mu, m_int, m_fac, current.intercepts, current.factors,
                          iterations, loss)
