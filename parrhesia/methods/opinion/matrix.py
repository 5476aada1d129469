"""The sparse participants × statements vote matrix.

Cells hold agree = +1, disagree = -1, pass = 0; an unseen statement is simply absent. Passes are
*stored* zeros, so the CSR structure (not the values) says who has seen what. Nothing in this
package ever builds a dense participants × statements array.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class VoteMatrix:
    """Votes in CSR form: ``indptr``/``indices``/``values`` as in ``scipy.sparse.csr_matrix``.

    Within a row, column indices are sorted and unique.
    """

    participant_ids: list[str]
    statement_ids: list[str]
    indptr: IntArray
    indices: IntArray
    values: FloatArray

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participant_ids), len(self.statement_ids)

    @property
    def n_votes(self) -> int:
        return int(self.values.size)

    def csr(self, data: FloatArray | None = None) -> sp.csr_matrix:
        """The matrix as scipy CSR (sharing arrays); ``data`` replaces the values if given.

        Explicit zeros are kept because the arrays are passed as they are.
        """
        payload = self.values if data is None else data
        return sp.csr_matrix((payload, self.indices, self.indptr), shape=self.shape, copy=False)

    def pattern(self) -> sp.csr_matrix:
        """1 where a vote (including pass) was cast."""
        return self.csr(np.ones_like(self.values))

    def row_of_vote(self) -> IntArray:
        """The participant (row) index of every stored vote, aligned with ``values``."""
        counts = np.diff(self.indptr)
        return np.repeat(np.arange(len(counts), dtype=np.int64), counts)

    def votes_per_participant(self) -> IntArray:
        return np.diff(self.indptr).astype(np.int64)

    def votes_per_statement(self) -> IntArray:
        return np.bincount(self.indices, minlength=self.shape[1]).astype(np.int64)

    def select_rows(self, keep: BoolArray) -> VoteMatrix:
        """The sub-matrix of the participants where ``keep`` is true (ids follow)."""
        sub = self.csr()[np.flatnonzero(keep)]
        ids = [p for p, k in zip(self.participant_ids, keep, strict=True) if k]
        return VoteMatrix(ids, self.statement_ids, _i64(sub.indptr), _i64(sub.indices),
                          np.asarray(sub.data, dtype=np.float64))

    @classmethod
    def from_votes(
        cls,
        rows: IntArray,
        cols: IntArray,
        values: FloatArray,
        participant_ids: list[str],
        statement_ids: list[str],
        times: IntArray | None = None,
    ) -> tuple[VoteMatrix, IntArray]:
        """Build from vote triples; a repeated (row, col) keeps the latest by ``times``.

        Ties in time keep the later triple. Returns the matrix and the timestamps aligned with its
        values (zeros when ``times`` is None).
        """
        n_rows, n_cols = len(participant_ids), len(statement_ids)
        times = np.zeros(len(rows), np.int64) if times is None else np.asarray(times, np.int64)
        key = np.asarray(rows, np.int64) * n_cols + np.asarray(cols, np.int64)
        # Sort by cell, then time, then arrival; the last of each cell run is the latest vote.
        order = np.lexsort((np.arange(len(key)), times, key))
        key, values, times = key[order], np.asarray(values, np.float64)[order], times[order]
        last = np.ones(len(key), dtype=bool)
        last[:-1] = key[1:] != key[:-1]
        key, values, times = key[last], values[last], times[last]
        indptr = np.zeros(n_rows + 1, np.int64)
        np.cumsum(np.bincount(key // n_cols, minlength=n_rows), out=indptr[1:])
        matrix = cls(list(participant_ids), list(statement_ids), indptr, key % n_cols, values)
        return matrix, times


def _i64(array: Any) -> IntArray:
    return np.asarray(array, dtype=np.int64)
