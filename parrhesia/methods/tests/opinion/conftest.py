"""Fixtures for the opinion engine tests: the bundled Polis conversation and the shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[3]
SHARED_POLIS = REPO_ROOT.parent / "shared" / "data" / "polis"


@pytest.fixture
def brexit_dir() -> Path:
    """brexit-consensus (CC BY 4.0), copied into the repository so it is always present."""
    return HERE / "data" / "brexit-consensus"


@pytest.fixture
def shared_polis() -> Path:
    """The five Polis conversations in ../shared/data/polis, if this checkout has them."""
    if not SHARED_POLIS.is_dir():
        pytest.skip(f"shared Polis data not found at {SHARED_POLIS} (optional, outside the repo)")
    return SHARED_POLIS
