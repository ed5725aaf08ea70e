"""The DP's forward pass and backtrack compiled with numba, when the ``fast`` extra is installed.

The numpy pass (:func:`aligner.align.dp._forward`) pays a dozen numpy calls per row: at
50,000 sentences a side that is seconds, however narrow the band. Compiled, the same
recurrence visits each cell once for a few nanoseconds per move, and the backtrack writes the
path into an array instead of walking 100,000 states in Python. numba is optional because it
weighs about 200 MB installed; without it the numpy pass runs and gives the same path. It is
used only for long documents (``dp.COMPILED_FROM_ROWS``, decided once per document), where it
saves more than it costs.

The compiled code is cached next to this file (or compiled for the run when the package folder
is read-only), so only the first run after installing pays the compilation. Loading numba
costs about 120 MB of memory; ``ALIGNER_NUMBA=0`` turns it off (bench/align_speed.py measures
both).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from typing import NamedTuple

import numpy as np

ONE_ZERO = -3
ZERO_ONE = -2
EPS = 1e-9


class Kernels(NamedTuple):
    """The DP's two compiled halves (signatures: :func:`_forward_cells`, :func:`_follow_back`)."""

    forward: Callable
    backtrack: Callable


@cache
def compiled_kernels() -> Kernels | None:
    """The compiled forward pass and backtrack, or None when numba is not installed or turned
    off."""
    if os.environ.get("ALIGNER_NUMBA", "1") == "0":
        return None
    try:
        import numba
    except ImportError:
        return None
    for cached in (True, False):  # no writable cache folder: compile for this run only
        try:
            kernels = Kernels(numba.njit(cache=cached, nogil=True)(_forward_cells),
                              numba.njit(cache=cached, nogil=True)(_follow_back))
            _warm_up(kernels)
            return kernels
        except Exception:  # any numba failure means: the numpy pass runs instead
            continue
    return None


def _warm_up(kernels: Kernels) -> None:
    """Compile (or load) the kernels for the float32 gains the aligner passes, on a 1-cell
    band, so that a numba failure shows here, where the numpy pass can still take over."""
    one = np.zeros(1, dtype=np.int64)
    steps, score, back = np.ones((1, 2), dtype=np.int64), np.full(1, -np.inf), np.full(
        1, -1, dtype=np.int8)
    kernels.forward(one, one + 1, one, steps, np.zeros((1, 1), np.float32), np.zeros(0),
                    np.zeros(0), score, back)
    kernels.backtrack(one, one + 1, one, steps, score, back, np.zeros((1, 4), dtype=np.int64))


def _forward_cells(lo: np.ndarray, hi: np.ndarray, off: np.ndarray, steps: np.ndarray,
                   gains: np.ndarray, skip_source: np.ndarray, skip_target: np.ndarray,
                   score: np.ndarray, back: np.ndarray) -> None:
    """Fill ``score`` (float64) and ``back`` (int8) for every band cell, row by row.

    Same recurrence and tie rules as the numpy pass: the first move wins a tie, a 1-0 move
    must beat the two-sided ones, and a 0-1 move must beat the best other move by more than
    ``EPS``.
    """
    for i in range(lo.shape[0]):
        low, high, start = lo[i], hi[i], off[i]
        for j in range(low, high):
            cell = start + j - low
            best = -np.inf
            arg = -1
            if i == 0 and j == 0:
                best = 0.0
            for t in range(steps.shape[0]):
                gain = gains[t, cell]
                if gain == -np.inf:
                    continue
                pi, pj = i - steps[t, 0], j - steps[t, 1]
                if pi < 0 or pj < lo[pi] or pj >= hi[pi]:
                    continue
                value = score[off[pi] + pj - lo[pi]] + gain
                if value > best:
                    best, arg = value, t
            if i > 0 and lo[i - 1] <= j < hi[i - 1]:  # 1-0 from the cell above
                value = score[off[i - 1] + j - lo[i - 1]] + skip_source[i - 1]
                if value > best:
                    best, arg = value, ONE_ZERO
            if j > low:
                value = score[cell - 1] + skip_target[j - 1]
                if value > best + EPS:
                    best, arg = value, ZERO_ONE
            score[cell] = best
            back[cell] = arg


def _follow_back(lo: np.ndarray, hi: np.ndarray, off: np.ndarray, steps: np.ndarray,
                 score: np.ndarray, back: np.ndarray, out: np.ndarray) -> tuple[int, int, int]:
    """Write the best path's links ``(i0, i1, j0, j1)`` into ``out`` from the last one back;
    return how many, and the state where the walk stopped (``(0, 0)`` unless the path is
    broken: a state outside the band, without a move, or scored ``-inf``)."""
    i = lo.shape[0] - 1
    j = hi[i] - 1
    count = 0
    while i > 0 or j > 0:
        low = lo[i]
        if j < low or j >= hi[i]:
            break
        cell = off[i] + j - low
        t = back[cell]
        if t == -1 or score[cell] == -np.inf:
            break
        if t == ZERO_ONE:
            a, b = 0, 1
        elif t == ONE_ZERO:
            a, b = 1, 0
        else:
            a, b = steps[t, 0], steps[t, 1]
        out[count, 0], out[count, 1], out[count, 2], out[count, 3] = i - a, i, j - b, j
        count += 1
        i, j = i - a, j - b
    return count, i, j
