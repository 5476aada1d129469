"""Synthetic conversations with planted opinion groups (for tests and benchmarks).

Each planted group has, per statement, an agree probability of ``agree_p`` or ``1 - agree_p``
drawn at random; every participant belongs to one group, sees about ``density × n_statements``
random statements, passes with probability ``pass_p`` and otherwise agrees with their group's
probability. Generated directly in CSR form (no dense array, no global sort), so 5 × 10^7 votes
take seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parrhesia.methods.opinion.matrix import IntArray, VoteMatrix


@dataclass(frozen=True)
class Planted:
    matrix: VoteMatrix
    groups: IntArray  # planted group per participant


def planted_conversation(
    n_participants: int,
    n_statements: int,
    density: float,
    n_groups: int = 3,
    agree_p: float = 0.85,
    pass_p: float = 0.1,
    seed: int = 0,
    chunk: int = 100_000,
) -> Planted:
    rng = np.random.default_rng(seed)
    per_row = max(1, int(round(density * n_statements)))
    stances = np.where(rng.random((n_groups, n_statements)) < 0.5, agree_p, 1.0 - agree_p)
    groups = rng.integers(0, n_groups, n_participants)
    indptr = np.zeros(n_participants + 1, dtype=np.int64)
    index_parts: list[IntArray] = []
    value_parts: list[np.ndarray] = []
    for start in range(0, n_participants, chunk):
        stop = min(start + chunk, n_participants)
        cols = np.sort(rng.integers(0, n_statements, (stop - start, per_row)), axis=1)
        fresh = np.ones(cols.shape, dtype=bool)
        fresh[:, 1:] = cols[:, 1:] != cols[:, :-1]  # drop repeated draws within a row
        indptr[start + 1 : stop + 1] = fresh.sum(axis=1)
        rows = np.repeat(np.arange(start, stop), per_row).reshape(cols.shape)[fresh]
        cols = cols[fresh]
        agree = rng.random(cols.size) < stances[groups[rows], cols]
        values = np.where(agree, 1.0, -1.0)
        values[rng.random(cols.size) < pass_p] = 0.0
        index_parts.append(cols.astype(np.int64))
        value_parts.append(values)
    np.cumsum(indptr, out=indptr)
    matrix = VoteMatrix(
        participant_ids=[str(i) for i in range(n_participants)],
        statement_ids=[str(j) for j in range(n_statements)],
        indptr=indptr,
        indices=np.concatenate(index_parts),
        values=np.concatenate(value_parts),
    )
    return Planted(matrix, groups)
