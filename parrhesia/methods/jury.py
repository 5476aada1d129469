"""Juries drawn by verifiable lot: a pure function of public inputs (docs/tribunal.md §4).

Inputs of a draw, all on the organisation's public record:

* ``root`` — the 32-byte RFC 9162 root hash of the organisation's record at ``checkpoint_size``
  entries (the record as it stood when the defence period closed, or when an interim measure or
  an appeal needed a jury, or a juror recused);
* ``case`` — the case number; ``round`` — ``"jury"``, ``"appeal"``, ``"replacement-<k>"`` …;
* ``eligible`` — the member ids eligible at that moment; ``size`` — how many to draw.

Formula::

    seed     = SHA-256("parrhesia-jury/1" ‖ 0x0A ‖ root ‖ 0x0A ‖ ascii(case) ‖ 0x0A ‖ utf8(round))
    key(m)   = SHA-256(seed ‖ ascii(m))            for every eligible member id m (decimal)
    order    = the distinct eligible ids sorted by (key(m), m) ascending
    jurors   = the first ``size`` ids of ``order``

Keying every id by a hash of an unpredictable seed is a uniformly random permutation for all
practical purposes (SHA-256 as a random oracle), so every eligible member has the same chance,
``size / len(eligible)``, and the result is independent of the order in which ids are given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

FORMAT = b"parrhesia-jury/1"


class JuryTooSmall(ValueError):
    """Fewer eligible members than jurors to draw."""


def jury_seed(root: bytes, case: int, round: str) -> bytes:
    """``SHA-256("parrhesia-jury/1" ‖ LF ‖ root ‖ LF ‖ case ‖ LF ‖ round)``."""
    if len(root) != 32:
        raise ValueError("the record root must be 32 bytes")
    return hashlib.sha256(
        FORMAT + b"\n" + root + b"\n" + str(int(case)).encode("ascii") + b"\n" + round.encode()
    ).digest()


def draw_order(seed: bytes, eligible: Iterable[int]) -> list[int]:
    """Every distinct eligible id, ordered by ``(SHA-256(seed ‖ ascii(id)), id)``."""
    ids = sorted({int(member) for member in eligible})
    return sorted(ids, key=lambda m: (hashlib.sha256(seed + str(m).encode("ascii")).digest(), m))


def jury_draw(
    *, root: bytes, case: int, round: str, eligible: Sequence[int], size: int
) -> list[int]:
    """The ``size`` jurors of a draw, in draw order (see the module's formula)."""
    if size < 1:
        raise ValueError("a jury has at least one juror")
    order = draw_order(jury_seed(root, case, round), eligible)
    if len(order) < size:
        raise JuryTooSmall(f"{len(order)} eligible members for a jury of {size}")
    return order[:size]
