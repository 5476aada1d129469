"""Published results of real elections (PrefLib), from copies in the repo and shared data."""

from __future__ import annotations

from pathlib import Path

from parrhesia.methods.tests.voting.conftest import DATA
from parrhesia.methods.voting import (
    instant_runoff,
    plurality,
    ranked_pairs,
    read_profile,
    schulze,
    scottish_stv,
)


def names(result_winners: list[int], alternatives: tuple[str, ...]) -> set[str]:
    return {alternatives[i] for i in result_winners}


def test_burlington_2009_condorcet_winner_lost_irv() -> None:
    profile = read_profile(DATA / "00005-00000002.toi")
    assert names(instant_runoff(profile).winners, profile.alternatives) == {"Bob Kiss"}
    assert names(schulze(profile).winners, profile.alternatives) == {"Andy Montroll"}
    assert names(ranked_pairs(profile).winners, profile.alternatives) == {"Andy Montroll"}
    assert names(plurality(profile).winners, profile.alternatives) == {"Kurt Wright"}
    final = instant_runoff(profile).rounds[-1]["tallies"]
    assert final == {"Bob Kiss": 4313, "Kurt Wright": 4060}


def test_debian_2002_and_aspen_2009() -> None:
    debian = read_profile(DATA / "00002-00000001.soi")
    assert names(schulze(debian).winners, debian.alternatives) == {"Bdale Garbee"}
    aspen = read_profile(DATA / "00016-00000002.toi")
    assert names(instant_runoff(aspen).winners, aspen.alternatives) == {"Mick Ireland"}


def test_shared_elections(shared_preflib: Path) -> None:
    def elected(name: str, seats: int) -> set[str]:
        profile = read_profile(shared_preflib / name)
        return names(scottish_stv(profile, seats).winners, profile.alternatives)

    assert elected("00001-00000002.soi", 3) == {
        "Brian Lenihan F.F.",
        "Joe Higgins S.P.",
        "Joan Burton Lab",
    }
    assert elected("00018-00000001.toc", 3) == {'"Bob Fine"', '"John Erwin"', '"Annie Young"'}
    assert elected("00008-00000001.soi", 4) == {
        "Craig Mackay",
        "Philip Braat",
        "Nina Baker",
        "Gordon Matheson",
    }
    for name in ("00002-00000006.soi", "00002-00000006.toc"):
        debian = read_profile(shared_preflib / name)
        assert names(schulze(debian).winners, debian.alternatives) == {"Stefano Zacchiroli"}
