"""How many groups a cold analysis shows (Polis's k smoothing emulated over 8 seedings), and who
is in them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from parrhesia.methods.opinion import analyze, load_polis_export
from parrhesia.methods.opinion import clustering as cl
from parrhesia.methods.opinion.synthetic import planted_conversation


def _blobs(centres: list[tuple[float, float]], per_blob: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    points = np.concatenate([rng.normal(c, 0.15, size=(per_blob, 2)) for c in centres])
    return points[rng.permutation(len(points))]  # participants arrive in no particular order


def test_near_equal_silhouettes_do_not_flip_k(brexit_dir: Path) -> None:
    # Polis shows 2 groups; k = 3 has the (slightly) higher silhouette with Polis's seeding and
    # in every leave-10 %-out run below, but not with every seeding: 2 groups are shown each time.
    export = load_polis_export(brexit_dir)
    full = analyze(export.matrix, export.moderated_out, with_bridging=False)
    assert cl.best_k(full.silhouettes) == 3
    assert len(full.groups) == 2
    rng = np.random.default_rng(0)
    for _ in range(3):
        keep = rng.random(export.matrix.shape[0]) >= 0.1
        part = analyze(export.matrix.select_rows(keep), export.moderated_out, with_bridging=False)
        assert len(part.groups) == 2


def test_clear_structure_keeps_its_k_under_leave_out() -> None:
    planted = planted_conversation(900, 80, 0.35, n_groups=3, agree_p=0.75, seed=5)
    assert len(analyze(planted.matrix, with_bridging=False).groups) == 3
    rng = np.random.default_rng(1)
    for _ in range(3):
        keep = rng.random(900) >= 0.1
        assert len(analyze(planted.matrix.select_rows(keep), with_bridging=False).groups) == 3


def test_every_seeding_must_prefer_the_larger_k() -> None:
    three = _blobs([(0.0, 0.0), (3.0, 0.0), (0.0, 3.0)], 120)
    assert cl.cold_k_smoother(three, 3).smoothed_k == 3
    two = _blobs([(0.0, 0.0), (3.0, 0.0)], 180)
    assert cl.cold_k_smoother(two, 3).smoothed_k == 2  # the other seedings vote 2
    assert cl.cold_k_smoother(two, 2) == cl.KSmoother().update(2)


def test_warm_updates_still_smooth_k_over_four_wins() -> None:
    planted = planted_conversation(600, 60, 0.4, n_groups=3, seed=6)
    cold = analyze(planted.matrix, with_bridging=False)
    assert cold.state.k_smoother == cl.KSmoother().update(3)
    forced = cl.KSmoother().update(2)  # as if the history had shown 2 groups so far
    state = type(cold.state)(**{**cold.state.__dict__, "k_smoother": forced})
    shown = []
    for _ in range(4):
        result = analyze(planted.matrix, previous=state, with_bridging=False)
        shown.append(len(result.groups))
        state = result.state
    assert shown == [2, 2, 2, 3]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 5), st.integers(20, 300))
def test_shown_k_is_between_two_and_polis_seeding_best(seed: int, first_best: int, n: int) -> None:
    points = np.random.default_rng(seed).normal(size=(n, 2))
    smoother = cl.cold_k_smoother(points, first_best)
    assert smoother.smoothed_k is not None
    assert cl.START_K <= smoother.smoothed_k <= first_best
    assert cl.cold_k_smoother(points, first_best) == smoother  # deterministic


def test_a_base_cluster_on_the_boundary_is_split_between_the_groups() -> None:
    # Base cluster 0 (its group is 0) straddles the boundary: its right-hand member is nearer
    # the centre of group 1 and joins it.
    points = np.array([[0.0, 0.0], [0.2, 0.0], [1.4, 0.0], [2.0, 0.0], [2.2, 0.0]])
    labels_of_base = np.array([0, 0, 0, 1, 1])
    assert cl.nearest_group(points, labels_of_base).tolist() == [0, 0, 1, 1, 1]


def test_groups_barely_change_when_a_tenth_of_participants_leave(brexit_dir: Path) -> None:
    export = load_polis_export(brexit_dir)
    full = analyze(export.matrix, export.moderated_out, with_bridging=False)
    group_of = dict(zip(full.participant_ids, full.group_of.tolist(), strict=True))
    rng = np.random.default_rng(0)
    scores = []
    for _ in range(5):
        keep = rng.random(export.matrix.shape[0]) >= 0.1
        part = analyze(export.matrix.select_rows(keep), export.moderated_out, with_bridging=False)
        pairs = [(group_of[p], g) for p, g in zip(part.participant_ids, part.group_of.tolist(),
                                                   strict=True) if g >= 0 and group_of[p] >= 0]
        scores.append(adjusted_rand_score(*zip(*pairs, strict=True)))
    assert np.mean(scores) >= 0.9
