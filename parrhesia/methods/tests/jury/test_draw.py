"""The jury draw: deterministic, conflict-free, and uniform over the eligible members."""

from __future__ import annotations

import hashlib
import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import chisquare

from parrhesia.methods.jury import JuryTooSmall, draw_order, jury_draw, jury_seed

ROOT = hashlib.sha256(b"a record").digest()


def test_it_follows_the_documented_formula() -> None:
    seed = hashlib.sha256(b"parrhesia-jury/1\n" + ROOT + b"\n7\njury").digest()
    assert jury_seed(ROOT, 7, "jury") == seed
    keyed = sorted([3, 11, 25], key=lambda m: (hashlib.sha256(seed + str(m).encode()).digest(), m))
    assert jury_draw(root=ROOT, case=7, round="jury", eligible=[25, 3, 11], size=3) == keyed


@given(
    st.lists(st.integers(1, 10_000), min_size=1, max_size=40, unique=True),
    st.integers(1, 1000),
    st.randoms(use_true_random=False),
)
def test_it_does_not_depend_on_the_order_of_the_eligible_ids(
    ids: list[int], case: int, rnd: random.Random
) -> None:
    shuffled = list(ids)
    rnd.shuffle(shuffled)
    size = min(3, len(ids))
    assert jury_draw(root=ROOT, case=case, round="jury", eligible=ids, size=size) == jury_draw(
        root=ROOT, case=case, round="jury", eligible=shuffled, size=size
    )


def test_it_refuses_a_jury_larger_than_the_eligible_list() -> None:
    with pytest.raises(JuryTooSmall):
        jury_draw(root=ROOT, case=1, round="jury", eligible=[1, 2], size=3)


def test_no_conflict_over_ten_thousand_random_draws() -> None:
    """Jurors are always eligible, distinct, and never a party, the steward or a busy juror."""
    rnd = random.Random(20260101)
    conflicts = 0
    for number in range(10_000):
        members = rnd.sample(range(1, 500), rnd.randint(16, 40))
        excluded = set(rnd.sample(members, rnd.randint(0, 6)))
        eligible = [m for m in members if m not in excluded]
        root = rnd.randbytes(32)
        jury = jury_draw(root=root, case=number, round="jury", eligible=eligible, size=5)
        appeal = jury_draw(
            root=root,
            case=number,
            round="appeal",
            eligible=[m for m in eligible if m not in jury],
            size=5,
        )
        conflicts += len(set(jury) & excluded) + (len(set(jury)) != 5)
        conflicts += len(set(appeal) & (excluded | set(jury)))
    assert conflicts == 0


def test_the_draw_is_uniform_over_the_eligible_members() -> None:
    eligible = list(range(100, 120))
    counts: Counter[int] = Counter()
    draws = 4000
    for number in range(draws):
        root = hashlib.sha256(number.to_bytes(4, "big")).digest()
        counts.update(jury_draw(root=root, case=number, round="jury", eligible=eligible, size=5))
    observed = [counts[m] for m in eligible]
    assert sum(observed) == draws * 5
    # Each member is expected in 5/20 of the draws; the chi-square test must not reject that.
    assert chisquare(observed).pvalue > 0.001


def test_the_first_place_is_uniform_too() -> None:
    eligible = list(range(1, 11))
    firsts = Counter(
        draw_order(jury_seed(hashlib.sha256(str(n).encode()).digest(), n, "jury"), eligible)[0]
        for n in range(5000)
    )
    assert chisquare([firsts[m] for m in eligible]).pvalue > 0.001
