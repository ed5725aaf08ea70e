"""Shared fixtures: the real encoder is loaded once per test session (it takes ~1 s)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aligner.embed import load_encoder
from aligner.embed.base import Encoder

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "seed_aleppo_blog.txt"

def _shared_data() -> Path:
    """The project's shared gold data: ``$ALIGNER_SHARED_DATA``, beside the clone, or /work."""
    for candidate in (os.environ.get("ALIGNER_SHARED_DATA"), REPO.parent / "shared" / "data",
                      Path("/work/shared/data")):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return REPO.parent / "shared" / "data"


SHARED_DATA = _shared_data()


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The default offline model (USE-m v3), shared by every test that embeds text."""
    return load_encoder("use-m")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Where the shared gold data is (tests that need it skip, visibly, when it is absent)."""
    return SHARED_DATA
