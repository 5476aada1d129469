"""Pairwise counts on both counting paths (few alternatives / many), against a plain count."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parrhesia.methods.voting import Profile, pairwise_matrix, schulze


def plain_count(profile: Profile) -> np.ndarray:
    r = profile.ranks
    above = r[:, :, None] < r[:, None, :]
    counted: np.ndarray = np.einsum("i,iab->ab", profile.counts, above.astype(np.int64))
    return counted


def random_profile(rng: np.random.Generator, m: int, rows: int, truncate: bool, ties: bool,
                   repeat: bool) -> Profile:
    ranks = np.argsort(rng.random((rows, m)), axis=1)
    if ties:
        ranks //= 3  # tiers of three tied alternatives
    if truncate:
        depth = rng.integers(0 if repeat else 2, m + 1, rows)[:, None]
        ranks = np.where(ranks < depth, ranks, m)
    counts = rng.integers(1, 4, rows) if repeat else np.ones(rows, np.int64)
    names = tuple(f"c{i}" for i in range(m))
    return Profile(names, ranks.astype(np.int64), counts.astype(np.int64)).grouped()


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 90), st.integers(1, 40), st.booleans(), st.booleans(), st.booleans(),
       st.integers(0, 2**32 - 1))
def test_pairwise_matches_a_plain_count(m: int, rows: int, truncate: bool, ties: bool,
                                        repeat: bool, seed: int) -> None:
    profile = random_profile(np.random.default_rng(seed), m, rows, truncate, ties, repeat)
    assert (pairwise_matrix(profile) == plain_count(profile)).all()


@pytest.mark.parametrize("truncate", [False, True])
def test_many_distinct_ballots_overflow_no_byte_counter(truncate: bool) -> None:
    # 1,200 ballots cast once each: byte-sized partial sums must be flushed before 256.
    profile = random_profile(np.random.default_rng(7), 80, 1200, truncate, False, False)
    assert (profile.counts == 1).sum() > 1000
    d = pairwise_matrix(profile)
    assert (d == plain_count(profile)).all()
    assert d.max() > 255


def test_unanimous_full_rankings_of_many_alternatives() -> None:
    m = 200
    order = np.arange(m)
    profile = Profile(tuple(f"c{i}" for i in range(m)), np.tile(order, (300, 1)),
                      np.ones(300, np.int64))
    d = pairwise_matrix(profile)
    assert (d == np.triu(np.full((m, m), 300), 1)).all()
    assert schulze(profile).ranking == list(range(m))


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 8), st.lists(st.lists(st.integers(0, 12), min_size=8, max_size=8),
                                   min_size=1, max_size=20))
def test_tiers_are_renumbered_whatever_the_gaps(m: int, raw: list[list[int]]) -> None:
    from parrhesia.methods.voting.profile import normalise_tiers

    ranks = np.array(raw, dtype=np.int64)[:, :m]
    normal = normalise_tiers(ranks, m)
    for row, new in zip(ranks, normal, strict=True):
        ranked = sorted({int(v) for v in row if v < m})
        expected = [ranked.index(int(v)) if v < m else m for v in row]
        assert new.tolist() == expected
