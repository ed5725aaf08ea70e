"""A ragged band of DP states around a path: the reason alignment is linear, not quadratic.

State ``(i, j)`` means "``i`` source and ``j`` target sentences consumed". Row ``i`` of the band
holds the columns ``lo[i] <= j < hi[i]``; cells are stored row after row in flat arrays, row
``i`` starting at ``off[i]``. ``lo`` and ``hi`` never decrease, so any monotone path inside the
band is reachable with the DP's moves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Band:
    """Rows ``0..n`` of DP states; ``lo``/``hi``/``off`` are ``(n + 1,)`` int64 arrays."""

    lo: np.ndarray
    hi: np.ndarray
    off: np.ndarray
    size: int

    @property
    def rows(self) -> int:
        return len(self.lo)

    def is_full(self) -> bool:
        """Whether the band holds every state (rows of equal width, from column 0)."""
        return self.size == self.rows * int(self.hi[-1])

    def cells(self) -> tuple[np.ndarray, np.ndarray]:
        """``(i, j)`` of every cell, flat, in storage order: two ``(size,)`` int64 arrays."""
        return self.cells_in(0, self.size)

    def cells_in(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """``(i, j)`` of the cells ``start..stop`` in storage order (a chunk of :meth:`cells`,
        so that callers never hold index arrays for the whole band)."""
        flat = np.arange(start, min(stop, self.size), dtype=np.int64)
        i = np.searchsorted(self.off, flat, side="right") - 1
        return i, flat - self.off[i] + self.lo[i]

    def index(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Flat index of cells ``(i, j)``, or -1 where the cell lies outside the band."""
        inside = (i >= 0) & (i < self.rows)
        i_safe = np.where(inside, i, 0)
        inside &= (j >= self.lo[i_safe]) & (j < self.hi[i_safe])
        return np.where(inside, self.off[i_safe] + j - self.lo[i_safe], -1)


def make_band(lo: np.ndarray, hi: np.ndarray) -> Band:
    """A band from per-row column bounds (made monotone, so the band stays connected)."""
    lo = np.minimum.accumulate(np.asarray(lo, dtype=np.int64)[::-1])[::-1]
    hi = np.maximum.accumulate(np.asarray(hi, dtype=np.int64))
    widths = hi - lo
    off = np.zeros(len(lo), dtype=np.int64)
    np.cumsum(widths[:-1], out=off[1:])
    return Band(lo=lo, hi=hi, off=off, size=int(widths.sum()))


def full_band(n: int, m: int) -> Band:
    """Every state: ``(n + 1) * (m + 1)`` cells, for small problems and the coarsest level."""
    return make_band(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m + 1, dtype=np.int64))


def band_around(path: np.ndarray, n: int, m: int, radius: int) -> Band:
    """The states within ``radius`` rows and columns of ``path``.

    ``path`` is an ``(k, 2)`` int array of monotone states from ``(0, 0)`` to ``(n, m)``; the
    segment between two consecutive states covers the rectangle they span.
    """
    rows, cols = path[:, 0], path[:, 1]
    every = np.arange(n + 1)
    # Columns reached at row i. A row holding states spans from its first to its last state;
    # a row between two states spans the segment from the previous state to the next one.
    start = np.minimum(np.searchsorted(rows, every, side="left"), len(rows) - 1)
    end = np.maximum(np.searchsorted(rows, every, side="right") - 1, 0)
    first_col = np.where(rows[start] == every, cols[start], cols[end])
    last_col = np.where(rows[end] == every, cols[end], cols[start])
    # Widen by the radius in both directions (rows, then columns).
    low_rows = first_col[np.maximum(every - radius, 0)]
    high_rows = last_col[np.minimum(every + radius, n)]
    lo = np.clip(low_rows - radius, 0, m)
    hi = np.clip(high_rows + radius + 1, 1, m + 1)
    lo[0], hi[n] = 0, m + 1
    return make_band(lo, hi)
