"""Juries drawn by verifiable lot: a pure function of public inputs (docs/tribunal.md §4).

Inputs of a draw, all on the organisation's public record:

* ``root`` — the 32-byte RFC 9162 root hash of the organisation's record at ``checkpoint_size``
  entries (the record as it stood when the defence period closed, or when an interim measure or
  an appeal needed a jury, or a juror recused);
* ``case`` — the case number; ``round`` — ``"jury"``, ``"appeal"``, ``"replacement-<k>"`` …;
* ``eligible`` — the member ids eligible at that moment by what the record says; ``size`` — how
  many to draw; ``withheld`` — how many of the eligible ids may not sit for a reason the record
  keeps private (a reporter whose anonymity holds, a member who said they cannot sit now), so
  that the list shows no unexplained gap.

Formula::

    seed     = SHA-256("parrhesia-jury/1" ‖ 0x0A ‖ root ‖ 0x0A ‖ ascii(case) ‖ 0x0A ‖ utf8(round))
    key(m)   = SHA-256(seed ‖ ascii(m))            for every eligible member id m (decimal)
    order    = the distinct eligible ids sorted by (key(m), m) ascending
    jurors   = the first ``size`` ids of ``order`` that may sit

The draw needs ``size + withheld`` eligible ids whatever the withheld ids are, so whether a jury
can be drawn never depends on who is withheld. A verifier, who does not know them, checks that
the jurors are ``order`` with at most ``withheld`` ids passed over, each before the last juror
(:func:`jury_verify`); with ``withheld = 0`` (and in entries written before it existed) the
jurors are exactly the first ``size`` ids.

Keying every id by a hash of an unpredictable seed is a uniformly random permutation for all
practical purposes (SHA-256 as a random oracle), so every eligible member has the same chance,
``size / len(eligible)``, and the result is independent of the order in which ids are given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence

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


def jury_size_check(eligible: int, size: int, withheld: int = 0) -> None:
    """Raise :class:`JuryTooSmall` unless ``eligible`` ids are enough for ``size`` jurors when
    ``withheld`` of them may not sit."""
    if size < 1:
        raise ValueError("a jury has at least one juror")
    if withheld < 0:
        raise ValueError("the number of withheld ids cannot be negative")
    if eligible < size + withheld:
        more = f" ({withheld} of them possibly withheld)" if withheld else ""
        raise JuryTooSmall(f"{eligible} eligible members for a jury of {size}{more}")


def jury_draw(
    *,
    root: bytes,
    case: int,
    round: str,
    eligible: Sequence[int],
    size: int,
    withheld: int = 0,
    barred: Collection[int] = (),
) -> list[int]:
    """The ``size`` jurors of a draw, in draw order (see the module's formula): the first ids of
    the order not in ``barred`` (at most ``withheld`` ids, known only to whoever draws)."""
    order = draw_order(jury_seed(root, case, round), eligible)
    jury_size_check(len(order), size, withheld)
    barred = set(barred)
    if len(barred) > withheld:
        raise ValueError(f"{len(barred)} ids barred, but only {withheld} may be withheld")
    return [member for member in order if member not in barred][:size]


def jury_verify(
    *,
    root: bytes,
    case: int,
    round: str,
    eligible: Sequence[int],
    size: int,
    jurors: Sequence[int],
    withheld: int = 0,
) -> str | None:
    """Why ``jurors`` are not a draw of these inputs, or None when they are: the order with at
    most ``withheld`` ids passed over, every one of them before the last juror."""
    order = draw_order(jury_seed(root, case, round), eligible)
    try:
        jury_size_check(len(order), size, withheld)
    except JuryTooSmall as error:
        return str(error)
    jurors = [int(member) for member in jurors]
    if len(jurors) != size or len(set(jurors)) != size or not set(jurors) <= set(order):
        return f"the lot gives {order[:size]}, the record says {jurors}"
    last = order.index(jurors[-1])
    passed = [member for member in order[: last + 1] if member not in jurors]
    if [member for member in order[: last + 1] if member in jurors] != jurors:
        return f"the jurors {jurors} are not in the lot's order {order[: last + 1]}"
    if len(passed) > withheld:
        return (
            f"the lot gives {order[:size]}, the record says {jurors} "
            f"({len(passed)} passed over, {withheld} may be withheld)"
        )
    return None
