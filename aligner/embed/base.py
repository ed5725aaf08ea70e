"""The Encoder protocol: what every embedding backend provides."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Encoder(Protocol):
    """A sentence embedding model.

    ``name`` is recorded in every output so that results say what produced them.
    """

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``: returns ``(len(texts), dim)`` float32, each row L2-normalised."""
        ...


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero); ``(n, dim)`` float32 in and out."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def as_float32(vectors: np.ndarray) -> np.ndarray:
    """``vectors`` as float32 for arithmetic (stored ones are float16; no copy if already)."""
    return np.asarray(vectors, dtype=np.float32)


def rowwise_dot(a: np.ndarray, b: np.ndarray, chunk: int = 1 << 15) -> np.ndarray:
    """``a[k] · b[k]`` for every row, in float32, ``chunk`` rows at a time (bounded copies)."""
    out = np.empty(len(a), dtype=np.float32)
    for start in range(0, len(a), chunk):
        rows = slice(start, start + chunk)
        out[rows] = np.einsum("ij,ij->i", as_float32(a[rows]), as_float32(b[rows]))
    return out
