"""The whole pipeline: planted groups, determinism, warm updates, Polis fidelity, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from parrhesia.cli import main
from parrhesia.methods.opinion import ModelState, analyze, load_polis_export
from parrhesia.methods.opinion.matrix import VoteMatrix
from parrhesia.methods.opinion.pipeline import in_conversation, in_conversation_history
from parrhesia.methods.opinion.synthetic import planted_conversation


def test_planted_groups_are_recovered() -> None:
    planted = planted_conversation(1500, 120, 0.3, n_groups=3, seed=4)
    result = analyze(planted.matrix, with_bridging=False)
    assert adjusted_rand_score(planted.groups, result.group_of) >= 0.9


def test_same_input_same_output() -> None:
    planted = planted_conversation(600, 60, 0.4, seed=1)
    first = json.dumps(analyze(planted.matrix).to_json(), sort_keys=True)
    second = json.dumps(analyze(planted.matrix).to_json(), sort_keys=True)
    assert first == second


def test_leaving_out_participants_barely_changes_planted_groups() -> None:
    planted = planted_conversation(1000, 80, 0.3, seed=2)
    full = analyze(planted.matrix, with_bridging=False).group_of
    rng = np.random.default_rng(0)
    for _ in range(3):
        keep = rng.random(1000) >= 0.1
        part = analyze(planted.matrix.select_rows(keep), with_bridging=False).group_of
        assert adjusted_rand_score(full[keep], part) >= 0.9


def test_warm_update_keeps_groups_and_round_trips_state() -> None:
    planted = planted_conversation(800, 80, 0.4, seed=3)
    matrix = planted.matrix
    rows = matrix.row_of_vote()
    early = rows < 700
    first, _ = VoteMatrix.from_votes(rows[early], matrix.indices[early], matrix.values[early],
                                     matrix.participant_ids[:700], matrix.statement_ids)
    cold = analyze(first, with_bridging=False)
    state = ModelState.from_json(json.loads(json.dumps(cold.state.to_json())))
    assert state.to_json() == cold.state.to_json()
    warm = analyze(matrix, previous=state, with_bridging=False)
    assert adjusted_rand_score(planted.groups, warm.group_of) >= 0.9
    assert adjusted_rand_score(cold.group_of, warm.group_of[:700]) >= 0.9
    assert warm.state.k_smoother.last_k_count >= 1


def test_in_conversation_rule() -> None:
    counts = np.array([7, 6, 1, 0] + [8] * 20)
    assert in_conversation(counts, 50).tolist()[:4] == [True, False, False, False]
    few = in_conversation(np.array([3, 1, 2, 0]), 50)
    assert few.tolist() == [True, True, True, False]  # top-up to 15 voters
    assert in_conversation(np.array([2, 1] + [9] * 20), 2).tolist()[:2] == [True, False]


def test_in_conversation_history_uses_statements_seen_so_far() -> None:
    # participant 0 votes when only one statement exists: min(7, 1) = 1 vote suffices.
    rows = np.array([0] + [1] * 8 + [2] * 8 + list(range(3, 20)))
    cols = np.array([0] + list(range(8)) + list(range(8)) + [1] * 17)
    times = np.arange(len(rows))
    matrix, kept = VoteMatrix.from_votes(rows, cols, np.ones(len(rows)),
                                         [str(i) for i in range(20)],
                                         [str(j) for j in range(8)], times)
    history = in_conversation_history(matrix, kept)
    assert history[0] and history[1] and history[2]
    assert history[:15].all() and not history[19]


def test_brexit_close_to_polis_groups(brexit_dir: Path) -> None:
    export = load_polis_export(brexit_dir)
    assert export.vote_times is not None
    result = analyze(export.matrix, export.moderated_out,
                     keep_in=in_conversation_history(export.matrix, export.vote_times))
    ours = dict(zip(result.participant_ids, result.group_of.tolist(), strict=True))
    truth = [(g, ours[p]) for p, g in export.polis_groups.items() if g is not None]
    assert adjusted_rand_score(*zip(*truth, strict=True)) >= 0.5
    assert all(len(g.representative) >= 1 for g in result.groups)


def test_every_shared_conversation_runs(shared_polis: Path) -> None:
    for folder in sorted(p for p in shared_polis.iterdir() if p.is_dir()):
        export = load_polis_export(folder)
        result = analyze(export.matrix, export.moderated_out, with_bridging=False)
        assert len(result.groups) >= 2, folder.name


def test_cli_json_contract(brexit_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["opinion", "analyze", str(brexit_dir), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert {"participants", "groups", "consensus", "bridging", "timings"} <= set(document)
    assert len(document["participants"]) == 204
    groups = {g for g in document["participants"].values() if g is not None}
    assert groups == set(range(len(document["groups"])))
    assert sum(g["size"] for g in document["groups"]) == len(
        [g for g in document["participants"].values() if g is not None]
    )
    rep = document["groups"][0]["representative"][0]
    assert {"statement", "direction", "n_success", "n_trials", "p_success", "p_test"} <= set(rep)
    assert rep["direction"] in ("agree", "disagree")
    assert set(document["bridging"]) == {str(j) for j in range(50)}
    assert set(document["timings"]) == {"load_s", "analysis_s"}


def test_cli_text_and_errors(
    brexit_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["opinion", "analyze", str(brexit_dir)]) == 0
    assert "groups" in capsys.readouterr().out
    assert main(["opinion", "analyze", str(tmp_path / "missing"), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "no such folder" in captured.err


def _votes(cells: list[tuple[int, int, float]], n: int, m: int) -> VoteMatrix:
    rows, cols, values = (np.array(x) for x in zip(*cells, strict=True))
    matrix, _ = VoteMatrix.from_votes(rows, cols, values.astype(np.float64),
                                      [str(i) for i in range(n)], [str(j) for j in range(m)])
    return matrix


def test_a_conversation_where_everyone_agrees_has_one_group_and_no_axis() -> None:
    matrix = _votes([(i, j, 1.0) for i in range(8) for j in range(10)], 8, 10)
    result = analyze(matrix)
    assert not result.projections.any()
    assert len(result.groups) == 1 and result.groups[0].size == 8


def test_a_young_conversation_divided_by_one_statement_only_is_mapped() -> None:
    # Rank 1 after centring: only statement 1 divides anyone; ARPACK cannot find 2 components.
    cells = [(i, j, 1.0) for i in range(8) for j in range(10) if j != 1 and (i + j) % 3]
    cells += [(4, 1, -1.0), (5, 1, 1.0)]
    result = analyze(_votes(cells, 8, 10))
    assert np.isfinite(result.projections).all()
    assert result.group_of.tolist() == analyze(_votes(cells, 8, 10)).group_of.tolist()


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 60), st.integers(2, 25), st.floats(0.05, 1.0), st.integers(0, 2**32 - 1),
       st.booleans())
def test_any_small_conversation_gets_consistent_groups(
    n: int, m: int, density: float, seed: int, unanimous: bool
) -> None:
    rng = np.random.default_rng(seed)
    rows, cols = np.nonzero(rng.random((n, m)) < density)
    assume(len(rows) > 0)
    values = np.ones(len(rows)) if unanimous else rng.choice([-1.0, 0.0, 1.0], len(rows))
    matrix, _ = VoteMatrix.from_votes(rows, cols, values, [str(i) for i in range(n)],
                                      [str(j) for j in range(m)])
    result = analyze(matrix, with_bridging=False)
    clustered = result.group_of[result.group_of >= 0]
    assert sorted(set(clustered.tolist())) == list(range(len(result.groups)))
    assert [g.size for g in result.groups] == np.bincount(clustered).tolist()
