"""Shared fixtures: the real encoder is loaded once per test session (it takes ~1 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.embed import load_encoder
from aligner.embed.base import Encoder

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "seed_aleppo_blog.txt"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The default offline model (USE-m v3), shared by every test that embeds text."""
    return load_encoder("use-m")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED
