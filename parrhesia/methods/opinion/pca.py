"""Principal components of the vote matrix and Polis's sparsity-aware projection.

Source: Polis ``math/src/polismath/math/pca.clj`` and ``conversation.clj`` (``:mat``, ``:pca``,
``:proj``).

* Polis fills every unseen cell with its column's mean, then centres by the column means: so
  after centring an unseen cell is exactly 0 and a vote ``v`` on statement ``j`` becomes
  ``v - mean_j``, where ``mean_j`` is the mean over the votes cast on ``j`` (passes count as 0).
  The centred matrix therefore has the same sparsity pattern as the votes, and we keep it sparse.
* Moderated-out statements are zeroed out of the matrix (``nm/zero-out-columns``): every
  participant gets a 0 in that column. Its mean is 0 and it contributes nothing to the
  components, but it *does* count as a vote in the projection's scaling below.
* Components: Polis runs 100 power iterations (with deflation) for the top 2 eigenvectors of
  ``Xcᵀ Xc``. We compute the same vectors exactly with a truncated sparse SVD (ARPACK,
  ``scipy.sparse.linalg.svds``) from a deterministic start vector.
* Projection of participant *i*: ``p_i = sqrt(n_statements / max(n_votes_i, 1)) · Xc_i · C``,
  where ``C`` is the statements × 2 component matrix and ``n_votes_i`` counts the cells that are
  not empty in Polis's rating matrix (``sparsity-aware-project-ptpt``).
* Statement projection (``pca-project-cmnts``): a participant who voted only *agree* on
  statement *j*: ``sqrt(n_statements) · (1 - mean_j) · C_j``; its length is the statement's
  *extremity* (``with-proj-and-extremtiy``). Polis's internal sign is agree = -1, so its vote
  ``-1`` is our ``+1``; the length is the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from parrhesia.methods.opinion.matrix import BoolArray, FloatArray, VoteMatrix

N_COMPONENTS = 2


@dataclass(frozen=True)
class PCAResult:
    means: FloatArray  # per statement
    components: FloatArray  # N_COMPONENTS × statements, unit rows
    projections: FloatArray  # participants × N_COMPONENTS
    extremity: FloatArray  # per statement


def column_means(matrix: VoteMatrix, moderated_out: BoolArray) -> FloatArray:
    """Mean vote per statement over those who voted (0 for none and for moderated-out)."""
    n_cols = matrix.shape[1]
    sums = np.bincount(matrix.indices, weights=matrix.values, minlength=n_cols)
    counts = np.bincount(matrix.indices, minlength=n_cols)
    means = np.divide(sums, counts, out=np.zeros(n_cols), where=counts > 0)
    means[moderated_out] = 0.0
    return means


def centred_matrix(
    matrix: VoteMatrix, means: FloatArray, moderated_out: BoolArray
) -> sp.csr_matrix:
    """``Xc``: each vote minus its column mean; moderated-out columns and unseen cells are 0."""
    data = matrix.values - means[matrix.indices]
    data[moderated_out[matrix.indices]] = 0.0
    return matrix.csr(data)


def top_components(
    centred: sp.csr_matrix, previous: FloatArray | None = None
) -> FloatArray:
    """The top right singular vectors of ``centred`` as rows (N_COMPONENTS × statements).

    Deterministic: ARPACK starts from a fixed vector (the previous first component when warm).
    Signs are made reproducible: aligned with ``previous`` when given (so a warm update does not
    mirror the map), else each component's largest-magnitude entry is positive.
    """
    n_rows, n_cols = centred.shape
    k = min(N_COMPONENTS, n_rows, n_cols)
    components = np.zeros((N_COMPONENTS, n_cols))
    if k == 0 or not np.any(centred.data):  # e.g. every statement's votes all alike
        return components
    if min(n_rows, n_cols) <= N_COMPONENTS + 1:
        found = _components_by_gram(centred, k)
    else:
        found = _components_by_svds(centred, k, previous)
    components[: found.shape[0]] = found
    return _fix_signs(components, previous)


def _components_by_svds(centred: sp.csr_matrix, k: int, previous: FloatArray | None) -> FloatArray:
    n_rows, n_cols = centred.shape
    if n_cols <= n_rows:
        start = _start_vector(n_cols, previous)
    else:
        start = np.abs(centred @ _start_vector(n_cols, previous)) + 1.0
    # tol 1e-7 on the Ritz values: components accurate far beyond what clustering can see.
    try:
        _, singular, vt = spla.svds(
            centred, k=k, v0=start, solver="arpack", maxiter=2000, tol=1e-7
        )
    except spla.ArpackError:
        # The Krylov space ran out before k vectors: the centred matrix has rank < k (e.g. a
        # young conversation where only one statement divides anyone). A randomized SVD with a
        # fixed seed gives the same top components there, deterministically.
        from sklearn.utils.extmath import randomized_svd

        _, singular, vt = randomized_svd(centred, k, n_iter=7, random_state=0)
    order = np.argsort(-singular)
    return np.asarray(vt[order], dtype=np.float64)


def _start_vector(n_cols: int, previous: FloatArray | None) -> FloatArray:
    start = np.linspace(1.0, 2.0, n_cols)
    if previous is not None and np.any(previous[0]):
        # Warm: begin at the previous first component (new statements are appended columns).
        overlap = min(n_cols, previous.shape[1])
        start[:overlap] = previous[0, :overlap] + 1e-3
    return start


def _components_by_gram(centred: sp.csr_matrix, k: int) -> FloatArray:
    """Tiny matrices (ARPACK needs k < min(shape)): eigenvectors of the small Gram matrix."""
    n_rows, n_cols = centred.shape
    if n_cols <= n_rows:
        gram = (centred.T @ centred).toarray()
        values, vectors = np.linalg.eigh(gram)
        return np.asarray(vectors[:, ::-1][:, :k].T, dtype=np.float64)
    gram = (centred @ centred.T).toarray()
    values, vectors = np.linalg.eigh(gram)
    rows = np.asarray(centred.T @ vectors[:, ::-1][:, :k]).T
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.asarray(np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0))


def _fix_signs(components: FloatArray, previous: FloatArray | None) -> FloatArray:
    """Warm: keep each component on the side of its predecessor; cold: largest entry positive."""
    overlap = 0 if previous is None else min(components.shape[1], previous.shape[1])
    for c in range(components.shape[0]):
        row = components[c]
        if previous is not None and overlap and np.any(previous[c, :overlap]):
            flip = float(row[:overlap] @ previous[c, :overlap]) < 0
        else:
            flip = bool(row.size) and row[int(np.argmax(np.abs(row)))] < 0
        if flip:
            components[c] = -row
    return components


def project_participants(
    matrix: VoteMatrix, centred: sp.csr_matrix, components: FloatArray, moderated_out: BoolArray
) -> FloatArray:
    """Polis's sparsity-aware projection (see module docstring)."""
    n_cols = matrix.shape[1]
    raw = np.asarray(centred @ components.T)
    n_votes = matrix.votes_per_participant()
    if moderated_out.any():
        seen_moderated = np.asarray(matrix.pattern() @ moderated_out.astype(np.float64))
        n_votes = n_votes - seen_moderated.astype(np.int64) + int(moderated_out.sum())
    scale = np.sqrt(n_cols / np.maximum(n_votes, 1))
    return np.asarray(raw * scale[:, None], dtype=np.float64)


def statement_extremity(means: FloatArray, components: FloatArray) -> FloatArray:
    """Length of the projection of a lone agree vote on each statement."""
    n_cols = means.size
    coords = np.sqrt(n_cols) * (1.0 - means)[None, :] * components
    return np.asarray(np.linalg.norm(coords, axis=0), dtype=np.float64)


def run_pca(
    matrix: VoteMatrix, moderated_out: BoolArray, previous: FloatArray | None = None
) -> PCAResult:
    means = column_means(matrix, moderated_out)
    centred = centred_matrix(matrix, means, moderated_out)
    components = top_components(centred, previous)
    projections = project_participants(matrix, centred, components, moderated_out)
    return PCAResult(means, components, projections, statement_extremity(means, components))
