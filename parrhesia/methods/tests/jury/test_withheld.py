"""A draw that passes over withheld ids (a hidden reporter, docs/tribunal.md §4): the published
eligible list has no gap, and anyone can still check the jurors from the public inputs alone."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parrhesia.methods.jury import (
    JuryTooSmall,
    draw_order,
    jury_draw,
    jury_seed,
    jury_size_check,
    jury_verify,
)

ROOT = hashlib.sha256(b"a record").digest()


def order_of(eligible: list[int], case: int = 1) -> list[int]:
    return draw_order(jury_seed(ROOT, case, "jury"), eligible)


@given(
    st.lists(st.integers(1, 5_000), min_size=8, max_size=40, unique=True),
    st.integers(1, 5),
    st.integers(0, 2),
    st.data(),
)
def test_a_draw_passes_over_the_barred_and_verifies_without_knowing_them(
    eligible: list[int], size: int, withheld: int, data: st.DataObject
) -> None:
    barred = data.draw(st.lists(st.sampled_from(eligible), max_size=withheld, unique=True))
    jurors = jury_draw(
        root=ROOT, case=3, round="jury", eligible=eligible, size=size,
        withheld=withheld, barred=barred,
    )  # fmt: skip
    assert len(jurors) == size and not set(jurors) & set(barred)
    order = order_of(eligible, 3)
    assert jurors == [m for m in order if m not in barred][:size]
    assert (
        jury_verify(
            root=ROOT,
            case=3,
            round="jury",
            eligible=eligible,
            size=size,
            jurors=jurors,
            withheld=withheld,
        )  # fmt: skip
        is None
    )


@given(st.lists(st.integers(1, 5_000), min_size=3, max_size=40, unique=True), st.integers(1, 3))
def test_with_nobody_withheld_it_is_the_first_draw_formula(eligible: list[int], size: int) -> None:
    size = min(size, len(eligible))
    assert (
        jury_draw(root=ROOT, case=2, round="jury", eligible=eligible, size=size)
        == order_of(eligible, 2)[:size]
    )


def test_a_verifier_refuses_more_passed_over_ids_than_withheld() -> None:
    eligible = list(range(1, 13))
    order = order_of(eligible)
    skip_one, skip_two = order[1:4], order[2:5]

    def verify(jurors: list[int], withheld: int) -> str | None:
        return jury_verify(
            root=ROOT, case=1, round="jury", eligible=eligible, size=3,
            jurors=jurors, withheld=withheld,
        )  # fmt: skip

    assert verify(order[:3], 0) is None and verify(order[:3], 1) is None
    assert verify(skip_one, 1) is None
    assert "passed over" in (verify(skip_one, 0) or "")  # an old entry: no one may be skipped
    assert "passed over" in (verify(skip_two, 1) or "")
    shuffled = [order[1], order[0], order[2]]
    assert "not in the lot's order" in (verify(shuffled, 1) or "")
    assert verify([order[0], order[1], 9999], 1) is not None
    assert verify(order[:2], 1) is not None  # too few jurors


def test_whether_a_jury_can_be_drawn_does_not_depend_on_who_is_withheld() -> None:
    # Four eligible ids, a jury of three, one id possibly withheld: always four needed, so the
    # answer is the same whether the withheld id is among the four or not.
    jury_size_check(4, 3, 1)
    with pytest.raises(JuryTooSmall, match="3 eligible members for a jury of 3"):
        jury_size_check(3, 3, 1)
    with pytest.raises(JuryTooSmall):
        jury_draw(root=ROOT, case=1, round="jury", eligible=[1, 2, 3], size=3, withheld=1)
    with pytest.raises(ValueError):
        jury_draw(
            root=ROOT, case=1, round="jury", eligible=[1, 2, 3, 4], size=2,
            withheld=1, barred=[1, 2],
        )  # fmt: skip
