"""Dynamic programming over a band: the best monotone sequence of links.

The recurrence is the classic one of Gale–Church, Vecalign and Bertalign: ``D[i, j]`` is the best
total gain of a path from ``(0, 0)`` to ``(i, j)``, each move consuming ``a`` source and ``b``
target sentences. Rows are processed one at a time with numpy slices; the within-row move
(0-1) is a running maximum, so a row costs a few vector operations whatever its width.
Time and memory are linear in the number of band cells.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aligner.align.band import Band

ZERO_ONE = -2
EPS = 1e-9


def best_path(
    band: Band,
    moves: Sequence[tuple[int, int]],
    gains: np.ndarray,
    skip_target: np.ndarray,
) -> list[tuple[int, int, int, int]]:
    """The highest-gain path from ``(0, 0)`` to ``(n, m)`` inside ``band``.

    ``moves`` are ``(a, b)`` with ``a >= 1`` (1-0 included); ``gains`` is ``(len(moves),
    band.size)`` float: the gain of arriving at each cell by each move (``-inf`` = forbidden).
    ``skip_target`` is ``(m,)``: the gain of leaving target sentence ``j`` unlinked (0-1).
    Returns the links as ``(i0, i1, j0, j1)`` half-open sentence ranges, in order.
    """
    _, back = _forward(band, moves, gains, skip_target)
    return _backtrack(band, moves, back)


def _forward(band, moves, gains, skip_target):
    lo, hi, off = band.lo, band.hi, band.off
    score = np.full(band.size, -np.inf)
    back = np.full(band.size, -1, dtype=np.int8)
    skip_prefix = np.concatenate([[0.0], np.cumsum(skip_target, dtype=np.float64)])
    for i in range(band.rows):
        low, high = int(lo[i]), int(hi[i])
        best = np.full(high - low, -np.inf)
        arg = np.full(high - low, -1, dtype=np.int8)
        if i == 0:
            best[0] = 0.0
        for t, (a, b) in enumerate(moves):
            if i - a < 0:
                continue
            p_low, p_high = int(lo[i - a]), int(hi[i - a])
            j_low, j_high = max(low, p_low + b), min(high, p_high + b)
            if j_low >= j_high:
                continue
            base = off[i - a] - p_low - b
            here = off[i] - low
            cand = score[base + j_low:base + j_high] + gains[t, here + j_low:here + j_high]
            seg = slice(j_low - low, j_high - low)
            better = cand > best[seg]
            best[seg] = np.where(better, cand, best[seg])
            arg[seg] = np.where(better, t, arg[seg])
        prefix = skip_prefix[low:high]
        row = prefix + np.maximum.accumulate(best - prefix)
        from_left = row > best + EPS
        row_slice = slice(off[i], off[i] + high - low)
        score[row_slice] = np.where(from_left, row, best)
        back[row_slice] = np.where(from_left, ZERO_ONE, arg)
    return score, back


def _backtrack(band, moves, back) -> list[tuple[int, int, int, int]]:
    i, j = band.rows - 1, int(band.hi[-1]) - 1
    links: list[tuple[int, int, int, int]] = []
    while i > 0 or j > 0:
        t = int(back[band.off[i] + j - band.lo[i]])
        if t == ZERO_ONE:
            a, b = 0, 1
        elif t < 0:
            raise RuntimeError(f"DP state ({i}, {j}) is unreachable: the band lost the path")
        else:
            a, b = moves[t]
        links.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    links.reverse()
    return links
