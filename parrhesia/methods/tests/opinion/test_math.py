"""The formulas, checked against direct (small, dense) computations and hand values."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import silhouette_score

from parrhesia.methods.opinion import clustering as cl
from parrhesia.methods.opinion.bridging import fit_bridging, ratings_from_votes
from parrhesia.methods.opinion.consensus import group_informed_consensus, select_consensus
from parrhesia.methods.opinion.matrix import VoteMatrix
from parrhesia.methods.opinion.pca import run_pca, statement_extremity
from parrhesia.methods.opinion.repness import group_stats, prop_test, select_representative
from parrhesia.methods.opinion.routing import choose_next, priorities


def _random_matrix(seed: int, n: int = 40, m: int = 12, density: float = 0.6) -> VoteMatrix:
    rng = np.random.default_rng(seed)
    rows, cols = np.nonzero(rng.random((n, m)) < density)
    values = rng.choice([-1.0, 0.0, 1.0], size=rows.size)
    matrix, _ = VoteMatrix.from_votes(rows, cols, values, [str(i) for i in range(n)],
                                      [str(j) for j in range(m)])
    return matrix


def test_pca_matches_dense_reference_and_polis_projection() -> None:
    matrix = _random_matrix(1)
    moderated = np.zeros(matrix.shape[1], dtype=bool)
    moderated[3] = True
    result = run_pca(matrix, moderated)
    dense = np.full(matrix.shape, np.nan)  # small dense reference, for the test only
    dense[matrix.row_of_vote(), matrix.indices] = matrix.values
    dense[:, 3] = 0.0  # Polis zero-out-columns: every cell 0
    means = np.nanmean(dense, axis=0)
    filled = np.where(np.isnan(dense), means, dense) - means
    _, _, vt = np.linalg.svd(filled, full_matrices=False)
    for c in range(2):
        assert abs(abs(vt[c] @ result.components[c]) - 1.0) < 1e-8
    seen = ~np.isnan(dense)
    expected = np.sqrt(matrix.shape[1] / seen.sum(axis=1))[:, None] * (
        np.where(seen, dense - means, 0.0) @ result.components.T
    )
    assert np.allclose(result.projections, expected)


def test_extremity_is_length_of_lone_agree_projection() -> None:
    means = np.array([0.5, -0.2])
    components = np.array([[0.6, 0.8], [0.8, -0.6]])
    expected = [np.sqrt(2) * 0.5 * 1.0, np.sqrt(2) * 1.2 * 1.0]
    assert np.allclose(statement_extremity(means, components), expected)


def test_kmeans_separates_blobs_and_drops_empty_clusters() -> None:
    rng = np.random.default_rng(0)
    points = np.vstack([rng.normal(0, 0.1, (50, 2)), rng.normal(5, 0.1, (50, 2))])
    fit = cl.kmeans(points, np.array([[0.0, 0.0], [5.0, 5.0], [100.0, 100.0]]))
    assert len(fit.centres) == 2
    assert set(fit.labels[:50]) == {0} and set(fit.labels[50:]) == {1}


def test_silhouette_matches_sklearn() -> None:
    rng = np.random.default_rng(2)
    points = rng.normal(size=(30, 2))
    labels = np.arange(30) % 3
    assert cl.silhouette(points, labels) == pytest.approx(silhouette_score(points, labels))


def test_first_distinct_keeps_order() -> None:
    points = np.array([[1.0, 1.0], [1.0, 1.0], [0.0, 0.0], [2.0, 2.0]])
    assert cl.first_distinct(points, 2).tolist() == [[1.0, 1.0], [0.0, 0.0]]


def test_k_smoother_needs_four_consecutive_wins() -> None:
    smoother = cl.KSmoother().update(2)
    assert smoother.smoothed_k == 2
    for expected in (2, 2, 2, 3):
        smoother = smoother.update(3)
        assert smoother.smoothed_k == expected
    assert smoother.update(2).smoothed_k == 3


def test_max_group_k() -> None:
    assert [cl.max_group_k(n) for n in (5, 12, 24, 36, 100)] == [2, 3, 4, 5, 5]


def test_prop_test_hand_value() -> None:
    # 9 of 10 agree: 2·√11·(10/11 − ½)
    assert prop_test(np.array([9.0]), np.array([10.0]))[0] == pytest.approx(
        2 * np.sqrt(11) * (10 / 11 - 0.5)
    )


def test_repness_prefers_distinctive_statement_and_orders_agree_first() -> None:
    # group 0 agrees with statement 0 unlike group 1; both agree with statement 1;
    # group 0 disagrees with statement 2 unlike group 1.
    na = np.array([[20.0, 20.0, 0.0], [1.0, 20.0, 19.0]])
    nd = np.array([[0.0, 0.0, 20.0], [19.0, 0.0, 1.0]])
    ns = na + nd
    reps = select_representative(group_stats(na, nd, ns), np.zeros(3, dtype=bool))
    chosen = [(r.statement, r.direction) for r in reps[0]]
    assert chosen == [(0, "agree"), (2, "disagree")]
    assert reps[0][0].best_agree
    assert 1 not in [r.statement for r in reps[0]]


def test_consensus_and_group_informed_consensus() -> None:
    na, nd, ns = np.array([90.0, 10.0]), np.array([5.0, 85.0]), np.array([100.0, 100.0])
    chosen = select_consensus(na, nd, ns, np.zeros(2, dtype=bool))
    assert [(c.statement, c.direction) for c in chosen] == [(0, "agree"), (1, "disagree")]
    gac = group_informed_consensus(np.array([[9.0], [1.0]]), np.array([[10.0], [10.0]]))
    assert gac[0] == pytest.approx((10 / 12) * (2 / 12))


def test_priority_formula() -> None:
    # A=1, P=0, S=1, E=0: importance = (1 − 1/3)·1·(2/3); novelty = 1 + 8·2^(−1/5)
    value = priorities(np.array([1.0]), np.array([0.0]), np.array([1.0]), np.array([0.0]))[0]
    expected = ((2 / 3) * (2 / 3) * (1 + 8 * 2 ** (-1 / 5))) ** 2
    assert value == pytest.approx(expected)
    meta = priorities(np.array([1.0]), np.array([0.0]), np.array([1.0]), np.array([0.0]),
                      np.array([True]))
    assert meta[0] == pytest.approx(49.0)


def test_choose_next_never_repeats_a_voted_statement() -> None:
    rng = np.random.default_rng(0)
    voted = np.array([True, False, True, False])
    picks = {choose_next(np.array([5.0, 1.0, 5.0, 0.0]), voted, rng) for _ in range(50)}
    assert picks <= {1, 3} and 1 in picks
    assert choose_next(np.ones(2), np.array([True, True]), rng) is None


def _bridging_conversation() -> VoteMatrix:
    """Two camps of 30 split on statements 0–3; statement 4 is agreed by both, 5 by one camp."""
    rows, cols, values = [], [], []
    for member in range(60):
        camp = 1.0 if member < 30 else -1.0
        for statement in range(4):
            rows.append(member)
            cols.append(statement)
            values.append(camp if statement % 2 == 0 else -camp)
        rows += [member, member]
        cols += [4, 5]
        values += [1.0, camp]
    matrix, _ = VoteMatrix.from_votes(np.array(rows), np.array(cols), np.array(values),
                                      [str(i) for i in range(60)], [str(j) for j in range(6)])
    return matrix


def test_bridging_scores_the_cross_camp_statement_highest() -> None:
    fit = fit_bridging(ratings_from_votes(_bridging_conversation()), max_iters=500, tol=1e-9)
    assert int(np.argmax(fit.statement_intercepts)) == 4
    assert abs(fit.statement_factors[4]) < abs(fit.statement_factors[5])


def test_bridging_is_a_stationary_point_of_the_published_loss() -> None:
    matrix = _random_matrix(3, n=30, m=10)
    ratings = ratings_from_votes(matrix)
    fit = fit_bridging(ratings, max_iters=5000, tol=1e-12)
    coo = ratings.tocoo()
    pred = (fit.global_intercept + fit.member_intercepts[coo.row]
            + fit.statement_intercepts[coo.col]
            + fit.member_factors[coo.row] * fit.statement_factors[coo.col])
    err = coo.data - pred
    grad_si = -2 * np.bincount(coo.col, err, 10) + 2 * 0.15 * fit.statement_intercepts
    grad_sf = (-2 * np.bincount(coo.col, err * fit.member_factors[coo.row], 10)
               + 2 * 0.03 * fit.statement_factors)
    assert np.abs(grad_si).max() < 1e-4 and np.abs(grad_sf).max() < 1e-4
