"""Dynamic programming over a band: the best monotone sequence of links.

The recurrence is the classic one of Gale–Church, Vecalign and Bertalign: ``D[i, j]`` is the best
total gain of a path from ``(0, 0)`` to ``(i, j)``, each move consuming ``a`` source and ``b``
target sentences. Rows are processed one at a time: one gather reads every move's
predecessors at once, and the within-row move (0-1) is a running maximum, so a row costs a
dozen vector operations whatever its width and however many moves there are.
Time and memory are linear in the number of band cells.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aligner.align.band import Band
from aligner.align.dp_compiled import compiled_kernels

ONE_ZERO = -3
ZERO_ONE = -2
EPS = 1e-9
COMPILED_FROM_ROWS = 20_000
"""Documents with this many source sentences run the compiled kernel when numba is installed
(every DP of theirs, the first pass's coarse levels too); below, the numpy pass takes well
under a second in all, less than loading numba (about 1 s and 120–140 MB)."""


def best_path(
    band: Band,
    moves: Sequence[tuple[int, int]],
    gains: np.ndarray,
    skip_source: np.ndarray,
    skip_target: np.ndarray,
    document_rows: int | None = None,
) -> list[tuple[int, int, int, int]]:
    """The highest-gain path from ``(0, 0)`` to ``(n, m)`` inside ``band``.

    ``moves`` are the two-sided links ``(a, b)``, ``a, b >= 1``; ``gains`` is ``(len(moves),
    band.size)`` float: the gain of arriving at each cell by each move (``-inf`` = forbidden);
    moves that would start outside the band may be set to ``-inf`` in it, in place.
    Leaving a sentence unlinked is always possible: source sentence ``i`` (1-0) gains
    ``skip_source[i]``, target sentence ``j`` (0-1) ``skip_target[j]``. Those gains belong to
    a sentence, not to a cell, so no band-sized row is stored for them (9 MB at 100,000
    sentences a side). ``document_rows``: the source sentences of the whole document, when
    ``band`` is a coarse level of it (the kernel choice is made once per document). Returns
    the links as ``(i0, i1, j0, j1)`` half-open sentence ranges, in order.
    """
    links = best_path_array(band, moves, gains, skip_source, skip_target, document_rows)
    return list(map(tuple, links.tolist()))


def best_path_array(band: Band, moves: Sequence[tuple[int, int]], gains: np.ndarray,
                    skip_source: np.ndarray, skip_target: np.ndarray,
                    document_rows: int | None = None) -> np.ndarray:
    """:func:`best_path` as a ``(links, 4)`` int64 array, for callers that only need the
    states (no tuple per link: the first pass's levels hold 100,000 of them)."""
    big = (document_rows or band.rows) >= COMPILED_FROM_ROWS
    kernels = compiled_kernels() if big else None
    if kernels is None:
        score, back = _forward(band, moves, gains, skip_source, skip_target)
        return np.asarray(_backtrack(band, moves, score, back), dtype=np.int64).reshape(-1, 4)
    return _compiled_path(kernels, band, moves, gains, skip_source, skip_target)


def _compiled_path(kernels, band, moves, gains, skip_source, skip_target) -> np.ndarray:
    """The best path's links ``(k, 4)`` by the numba kernels (the ``fast`` extra)."""
    score = np.full(band.size, -np.inf)
    back = np.full(band.size, -1, dtype=np.int8)
    steps = np.asarray(moves, dtype=np.int64).reshape(-1, 2)
    kernels.forward(band.lo, band.hi, band.off, steps, np.ascontiguousarray(gains),
                    np.asarray(skip_source, dtype=np.float64),
                    np.asarray(skip_target, dtype=np.float64), score, back)
    links = np.empty((band.rows + int(band.hi[-1]), 4), dtype=np.int64)
    count, i, j = kernels.backtrack(band.lo, band.hi, band.off, steps, score, back, links)
    if i or j:
        raise RuntimeError(f"DP state ({i}, {j}) is unreachable: the band lost the path")
    return links[count - 1::-1] if count else links[:0]


def _forward(band, moves, gains, skip_source, skip_target):
    """Scores and back-pointers of every cell, one numpy gather per row for all moves.

    Each move's predecessors of a row are consecutive cells of an earlier row, so their flat
    indices are ``base[t, i] + k`` (``k`` the column's place in the row). Gains of cells whose
    predecessor lies outside the band are set to ``-inf`` first, in place, so the gather may
    read any cell there (``mode="clip"`` keeps it inside the array). A 1-0 move reads the
    previous row where it overlaps this one, and wins only when strictly better (as in the
    compiled kernel).
    """
    lo, hi, off = band.lo, band.hi, band.off
    steps = np.asarray(moves, dtype=np.int64).reshape(-1, 2)
    _forbid_outside(band, steps, gains)
    base = np.zeros((len(steps), band.rows), dtype=np.int64)
    for t, (a, b) in enumerate(steps):
        prev = np.arange(band.rows) - a
        ok = prev >= 0
        p = np.where(ok, prev, 0)
        base[t] = np.where(ok, off[p] - lo[p] - b + lo, 0)
    width = int((hi - lo).max())
    columns = np.arange(width, dtype=np.int64)
    score = np.full(band.size, -np.inf)
    back = np.full(band.size, -1, dtype=np.int8)
    skip_prefix = np.concatenate([[0.0], np.cumsum(skip_target, dtype=np.float64)])
    for i in range(band.rows):
        low, high, start = int(lo[i]), int(hi[i]), int(off[i])
        w = high - low
        cells = slice(start, start + w)
        cand = np.take(score, base[:, i, None] + columns[:w], mode="clip")
        cand += gains[:, cells]
        arg = cand.argmax(axis=0)
        best = cand.max(axis=0)
        if i == 0:
            best[0] = 0.0
        else:  # 1-0 from the cell above, where the previous row reaches this column
            above_lo, above_hi = int(lo[i - 1]), int(hi[i - 1])
            first, stop = max(low, above_lo), min(high, above_hi)
            if stop > first:
                above = int(off[i - 1]) - above_lo
                up = score[above + first:above + stop] + skip_source[i - 1]
                part = slice(first - low, stop - low)
                better = up > best[part]
                best[part] = np.where(better, up, best[part])
                arg[part] = np.where(better, ONE_ZERO, arg[part])
        prefix = skip_prefix[low:high]
        row = prefix + np.maximum.accumulate(best - prefix)
        from_left = row > best + EPS
        score[cells] = np.where(from_left, row, best)
        back[cells] = np.where(from_left, ZERO_ONE, arg)
    return score, back


def _forbid_outside(band: Band, steps: np.ndarray, gains: np.ndarray, chunk: int = 1 << 18
                    ) -> None:
    """Set ``gains[t, c] = -inf`` where move ``t`` into cell ``c`` starts outside the band."""
    if band.is_full() and gains.flags.c_contiguous:  # every state (small documents): moves
        # from outside start in the first rows or columns
        for t, (a, b) in enumerate(steps):
            cells = gains[t].reshape(band.rows, -1)
            cells[:a] = -np.inf
            cells[:, :b] = -np.inf
        return
    for start in range(0, band.size, chunk):
        ci, cj = band.cells_in(start, start + chunk)
        for t, (a, b) in enumerate(steps):
            outside = band.index(ci - a, cj - b) < 0
            gains[t, start:start + chunk][outside] = -np.inf


def _backtrack(band, moves, score, back) -> list[tuple[int, int, int, int]]:
    """The links of the best path, followed back from ``(n, m)`` (``.item`` reads: indexing a
    numpy array item by item would cost a second per 100,000 links, and list copies of the
    band would cost tens of MB)."""
    lo, hi, off, back = band.lo.item, band.hi.item, band.off.item, back.item
    steps = [*moves, (1, 0), (0, 1), None]  # back: ONE_ZERO (-3), ZERO_ONE (-2), none (-1)
    i, j = band.rows - 1, hi(band.rows - 1) - 1
    links: list[tuple[int, int, int, int]] = []
    visited = []
    while i > 0 or j > 0:
        low = lo(i)
        if not low <= j < hi(i):
            break
        cell = off(i) + j - low
        visited.append(cell)
        t = back(cell)
        if t == -1:
            break
        a, b = steps[t]
        links.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    if i or j or np.isneginf(score[np.asarray(visited, dtype=np.int64)]).any():
        raise RuntimeError(f"DP state ({i}, {j}) is unreachable: the band lost the path")
    links.reverse()
    return links
