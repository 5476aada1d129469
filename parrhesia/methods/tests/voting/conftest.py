"""Fixtures for the voting tests: real PrefLib elections from the shared data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


def _repo_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists():
            return parent
    return here.parents[4]


@pytest.fixture(scope="session")
def shared_preflib() -> Path:
    """``../shared/data/preflib/dev`` next to the repository; skips when it is absent."""
    folder = _repo_root().parent / "shared" / "data" / "preflib" / "dev"
    if not folder.is_dir():
        pytest.skip(f"shared PrefLib data not found at {folder} (only present on dev machines/CI)")
    return folder
