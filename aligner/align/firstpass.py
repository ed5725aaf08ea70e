"""First pass: a rough 1-1 path through the whole document, in linear time and memory.

Coarse-to-fine, as in Vecalign (Thompson & Koehn 2019): sum the vectors of blocks of 2, 4, 8…
consecutive sentences until the document is small, solve that exactly, then at each finer
level search only a narrow band around the coarse path projected down. The path only needs to
be near the truth: the final pass searches a band around it with every link type.
"""

from __future__ import annotations

import numpy as np

from aligner.align.band import Band, band_around, full_band
from aligner.align.dp import best_path_array
from aligner.embed.base import as_float32
from aligner.memory import release_freed_memory

FULL_SEARCH_CELLS = 2_500_000
"""Problems up to this many DP states are searched whole, with no coarser level."""
REFINE_RADIUS = 6
NOISE_QUANTILE = 0.9
"""A 1-1 link must beat this quantile of random-pair similarities to be worth taking."""
MOVES = ((1, 1),)
SMALL_SIDE = 64
"""Sides up to this many blocks get their noise level from the full product of both."""
PROJECTED_DIM = 128
"""Long documents search their rough path in this many dimensions (the leading singular
directions of a sample of both sides' vectors, about 80 % of the variance for USE-m): summing
blocks of float32 rows this narrow costs a fraction of casting the stored float16 ones at every
level, and the path only has to land inside the final pass's band."""
WHOLE_BLOCKS = 8192
"""Coarse levels up to this many blocks are summed once and kept (16 MB at dim 512): the
coarsest level's full band and the noise samples read every block many times."""


class Level:
    """Sentence vectors seen ``factor`` sentences at a time (normalised block sums).

    Block vectors are computed on demand, a slice at a time, so the coarse levels never
    exist whole: at 100,000 sentences a side they would cost as much memory as the sentences.
    """

    def __init__(self, vectors: np.ndarray, factor: int = 1):
        self.vectors, self.factor = vectors, factor
        self.size = -(-len(vectors) // factor)
        self._whole: np.ndarray | None = None

    def __len__(self) -> int:
        return self.size

    def rows(self, start: int, stop: int) -> np.ndarray:
        """Block vectors ``start..stop``: ``(stop - start, dim)`` float32, unit length."""
        if self.factor == 1:
            return as_float32(self.vectors[start:stop])
        if self.size <= WHOLE_BLOCKS:
            if self._whole is None:
                self._whole = self._sum(0, self.size)
            return self._whole[start:stop]
        return self._sum(start, stop)

    def _sum(self, start: int, stop: int) -> np.ndarray:
        # Cast first, then add: numpy's float16 reduction with a float32 accumulator runs
        # element by element, ten times slower than a float32 one.
        chunk = as_float32(self.vectors[start * self.factor:stop * self.factor])
        if len(chunk) == 0:
            return chunk
        whole = len(chunk) // self.factor * self.factor
        sums = chunk[:whole].reshape(-1, self.factor, chunk.shape[1]).sum(axis=1)
        if whole < len(chunk):  # the document's last, shorter block
            sums = np.concatenate([sums, chunk[whole:].sum(axis=0, keepdims=True)])
        return sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)

    def take(self, index: np.ndarray) -> np.ndarray:
        """Block vectors at ``index`` (any order): ``(len(index), dim)`` float32."""
        if self.factor > 1 and self.size <= WHOLE_BLOCKS:
            return self.rows(0, self.size)[index]
        if self.factor == 1:  # cast the fewer rows: the gathered ones, or the whole side
            small = len(self.vectors) < len(index)
            return as_float32(self.vectors)[index] if small else as_float32(self.vectors[index])
        sums = np.zeros((len(index), self.vectors.shape[1]), dtype=np.float32)
        for k in range(self.factor):  # the k-th sentence of each block, where it has one
            row = np.asarray(index) * self.factor + k
            inside = row < len(self.vectors)
            sums[inside] += self.vectors[row[inside]]
        return sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)


def first_path(src: np.ndarray, tgt: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Monotone DP states ``(k, 2)`` from ``(0, 0)`` to ``(n, m)``.

    ``src`` ``(n, dim)`` and ``tgt`` ``(m, dim)`` are float32, L2-normalised.
    """
    factor = 1
    while True:
        n, m = -(-len(src) // factor), -(-len(tgt) // factor)
        if (n + 1) * (m + 1) <= FULL_SEARCH_CELLS or min(n, m) < 4:
            break
        factor *= 2
    if factor > 1 and src.shape[1] > PROJECTED_DIM:
        src, tgt = _projected(src, tgt, rng)
    path = _solve(Level(src, factor), Level(tgt, factor), full_band(n, m), rng, len(src))
    while factor > 1:
        factor //= 2
        fine_src, fine_tgt = Level(src, factor), Level(tgt, factor)
        n, m = len(fine_src), len(fine_tgt)
        projected = np.minimum(path * 2, [n, m])
        release_freed_memory(len(src) + len(tgt))  # the coarser level's temporaries
        path = _solve(fine_src, fine_tgt, band_around(projected, n, m, REFINE_RADIUS), rng,
                      len(src))
    return path


def _projected(src: np.ndarray, tgt: np.ndarray, rng: np.random.Generator, sample: int = 4096,
               chunk: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    """Both sides in :data:`PROJECTED_DIM` dimensions, rows unit length, stored float16 like
    the sentence vectors (a quarter of their size): one pass over them instead of one per
    level."""
    rows = np.concatenate([as_float32(v[np.sort(rng.integers(0, len(v), sample))])
                           for v in (src, tgt)])
    _, directions = np.linalg.eigh(rows.T @ rows)  # ascending: the leading ones come last
    basis = np.ascontiguousarray(directions[:, ::-1][:, :PROJECTED_DIM])
    out = []
    for side in (src, tgt):
        narrow = np.empty((len(side), PROJECTED_DIM), dtype=np.float16)
        for start in range(0, len(side), chunk):
            part = as_float32(side[start:start + chunk]) @ basis
            part /= np.maximum(np.linalg.norm(part, axis=1, keepdims=True), 1e-12)
            narrow[start:start + chunk] = part
        out.append(narrow)
    return out[0], out[1]


def _solve(src: Level, tgt: Level, band: Band, rng, document_rows: int) -> np.ndarray:
    gains = np.empty((len(MOVES), band.size), dtype=np.float32)
    cell_similarity(src, tgt, band, out=gains[0])
    gains[0] -= noise_level(src, tgt, rng)
    links = best_path_array(band, MOVES, gains, np.zeros(len(src)), np.zeros(len(tgt)),
                            document_rows)  # leaving a block out (1-0, 0-1) gains nothing
    return np.concatenate([np.zeros((1, 2), dtype=np.int64), links[:, [1, 3]]])


def cell_similarity(src: Level | np.ndarray, tgt: Level | np.ndarray, band: Band,
                    block: int = 128, out: np.ndarray | None = None) -> np.ndarray:
    """Cosine of source vector ``i - 1`` and target vector ``j - 1`` for every band cell;
    ``-inf`` on row/column 0.

    Computed ``block`` rows at a time as one dense product over the columns those rows span
    (BLAS does the work; memory stays at one block). Returns ``(band.size,)`` float32, written
    into ``out`` when given (a row of the caller's gains table: no second band-sized array).
    """
    src = src if isinstance(src, Level) else Level(src)
    tgt = tgt if isinstance(tgt, Level) else Level(tgt)
    if out is None:
        out = np.empty(band.size, dtype=np.float32)
    out.fill(-np.inf)
    grid = out.reshape(band.rows, -1) if band.is_full() else None  # the coarsest level
    for r0 in range(1, band.rows, block):
        r1 = min(band.rows, r0 + block)
        c0, c1 = max(int(band.lo[r0]), 1), int(band.hi[r1 - 1])
        if c1 <= c0:
            continue
        dense = src.rows(r0 - 1, r1 - 1) @ tgt.rows(c0 - 1, c1 - 1).T
        if grid is not None:  # each cell is where the dense block has it: no index arrays
            grid[r0:r1, c0:c1] = dense
            continue
        first, stop = int(band.off[r0]), int(band.off[r1 - 1] + band.hi[r1 - 1] - band.lo[r1 - 1])
        cells = slice(first, stop)
        rows, cols = band.cells_in(first, stop)
        valid = cols >= 1
        target = out[cells]
        target[valid] = dense[rows[valid] - r0, cols[valid] - c0]
    return out


def noise_level(src: Level, tgt: Level, rng: np.random.Generator, samples: int = 4096) -> float:
    """The similarity that unrelated sentence pairs of this document reach (a high quantile).

    Data-driven like Vecalign's deletion cost, so it adapts to any encoder without tuning.
    """
    if len(src) == 0 or len(tgt) == 0:
        return 0.0
    if len(src) <= SMALL_SIDE and len(tgt) <= SMALL_SIDE:  # a window: all pairs cost less
        a, b = rng.integers(0, len(src), samples), rng.integers(0, len(tgt), samples)
        every = src.rows(0, len(src)) @ tgt.rows(0, len(tgt)).T
        sims = every[a, b[rng.permutation(samples)]]  # the same draws as the sampled way
        return float(np.quantile(sims, NOISE_QUANTILE))
    x, y = _sample(src, samples, rng), _sample(tgt, samples, rng)
    sims = np.einsum("ij,ij->i", x, y[rng.permutation(len(y))])  # random pairs, never aligned
    return float(np.quantile(sims, NOISE_QUANTILE))


def _sample(level: Level, count: int, rng: np.random.Generator, run: int = 64) -> np.ndarray:
    """``count`` block vectors drawn at random: single blocks for sentences, runs of ``run``
    consecutive blocks at coarse levels (summing scattered blocks one at a time is slow)."""
    if level.factor == 1 or len(level) <= run:
        return level.take(rng.integers(0, len(level), count))
    starts = rng.integers(0, len(level) - run + 1, -(-count // run))
    return np.concatenate([level.rows(int(s), int(s) + run) for s in starts])[:count]
