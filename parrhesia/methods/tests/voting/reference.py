"""Loading the pref-voting reference fixtures written by ``tools/voting_reference.py``."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from parrhesia.methods.voting import Profile


def order_tiers(order: str) -> list[list[int]]:
    """``0,{2,1},3`` → ``[[0], [2, 1], [3]]`` (0-based, as in the fixtures)."""
    tiers: list[list[int]] = []
    in_group = False
    for part in order.split(","):
        if part.startswith("{"):
            tiers.append([])
            in_group = True
            part = part[1:]
        elif not in_group:
            tiers.append([])
        if part.endswith("}"):
            in_group = False
            part = part[:-1]
        tiers[-1].append(int(part))
    return tiers


def profile_from_text(text: str) -> Profile:
    """A fixture profile ``"m|count:order;count:order"`` with alternatives named c0, c1, …"""
    m_text, _, body = text.partition("|")
    rankings, counts = [], []
    for item in body.split(";"):
        count, _, order = item.partition(":")
        rankings.append(order_tiers(order))
        counts.append(int(count))
    return Profile.from_rankings([f"c{i}" for i in range(int(m_text))], rankings, counts)


def load(path: Path) -> list[Any]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows: list[Any] = json.load(handle)["profiles"]
    return rows
