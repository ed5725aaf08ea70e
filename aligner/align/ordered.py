"""Ordered alignment: translations that follow the original, with n-m and one-sided links.

Two passes, each linear in document length:

1. :func:`aligner.align.firstpass.first_path` finds a rough 1-1 path (coarse-to-fine).
2. A DP over every link type (1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 1-0, 0-1) in a band of
   ``Params.band_radius`` around it. Merged spans are scored by embedding their joined text, but
   only the spans whose cheap score (from the 1-1 cosines) makes them plausible are embedded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.align.band import Band, band_around
from aligner.align.dp import best_path
from aligner.align.firstpass import cell_similarity, first_path
from aligner.align.scoring import Params, length_agreement, link_gain, span_lengths, span_norms
from aligner.embed.cache import EmbeddingStore
from aligner.normalize import for_matching
from aligner.types import Link


@dataclass(frozen=True, slots=True)
class _Sides:
    """Both sides' texts, vectors ``(n, dim)`` / ``(m, dim)`` and matching lengths."""

    src: Sequence[str]
    tgt: Sequence[str]
    src_vec: np.ndarray
    tgt_vec: np.ndarray
    src_len: np.ndarray
    tgt_len: np.ndarray
    ratio: float


def align_ordered(src: Sequence[str], tgt: Sequence[str], store: EmbeddingStore,
                  params: Params | None = None) -> list[Link]:
    """Links covering every sentence of both sides exactly once, in document order."""
    params = params or Params()
    if not src or not tgt:
        return [Link((i,), (), None) for i in range(len(src))] + [
            Link((), (j,), None) for j in range(len(tgt))]
    sides = _prepare(src, tgt, store)
    rng = np.random.default_rng(0)
    path = first_path(sides.src_vec, sides.tgt_vec, rng)
    sides = _with_ratio(sides, path)
    band = band_around(path, len(src), len(tgt), params.band_radius)
    return align_in_band(sides, band, store, params)


def _prepare(src, tgt, store: EmbeddingStore) -> _Sides:
    src_len = np.array([len(for_matching(t)) for t in src], dtype=np.float64)
    tgt_len = np.array([len(for_matching(t)) for t in tgt], dtype=np.float64)
    ratio = float(src_len.sum() / max(tgt_len.sum(), 1.0))
    return _Sides(src, tgt, store.vectors(src), store.vectors(tgt), src_len, tgt_len, ratio)


def _with_ratio(sides: _Sides, path: np.ndarray) -> _Sides:
    """The length ratio of the first pass's confident 1-1 links (median).

    Whole-document totals would be skewed by one-sided material (an untranslated article at
    the end of a page); the median over linked pairs is not.
    """
    steps = np.diff(path, axis=0)
    ends = path[1:][(steps[:, 0] == 1) & (steps[:, 1] == 1)]
    if len(ends) == 0:
        return sides
    i, j = ends[:, 0] - 1, ends[:, 1] - 1
    sims = np.einsum("ij,ij->i", sides.src_vec[i], sides.tgt_vec[j])
    confident = sims >= np.quantile(sims, 0.5)
    ratios = sides.src_len[i[confident]] / np.maximum(sides.tgt_len[j[confident]], 1.0)
    ratio = float(np.median(ratios)) if len(ratios) else sides.ratio
    return _Sides(sides.src, sides.tgt, sides.src_vec, sides.tgt_vec, sides.src_len,
                  sides.tgt_len, ratio)


def align_in_band(sides: _Sides, band: Band, store: EmbeddingStore, params: Params) -> list[Link]:
    """The final DP: every link type, merged spans embedded where they are plausible."""
    i, j = band.cells()
    sim11 = cell_similarity(sides.src_vec, sides.tgt_vec, i, j)
    gains = np.full((len(params.moves), band.size), -np.inf, dtype=np.float32)
    real: dict[tuple[int, int, int, int], float] = {}
    for t, (a, b) in enumerate(params.moves):
        if (a, b) == (1, 0):
            gains[t] = params.skip
        elif (a, b) == (1, 1):
            agree = length_agreement(sides.src_len[i - 1], sides.tgt_len[j - 1], sides.ratio)
            gains[t] = np.where(i * j > 0, link_gain(params, sim11, agree, 1, 1), -np.inf)
        else:
            cells = _plausible_merges(sides, band, sim11, a, b, params)
            gains[t, cells] = _merged_gains(sides, i[cells], j[cells], a, b, store, params, real)
    links = best_path(band, params.moves, gains, np.full(len(sides.tgt), params.skip))
    return [_to_link(link, sides, band, sim11, real) for link in links]


def _plausible_merges(sides: _Sides, band: Band, sim11: np.ndarray, a: int, b: int,
                      params: Params) -> np.ndarray:
    """Cells where an ``a``-``b`` link could beat its best 1-1 part: flat cell indices."""
    i, j = band.cells()
    ok = (i >= a) & (j >= b)
    total = np.zeros(band.size, dtype=np.float32)
    best_part = np.full(band.size, -np.inf, dtype=np.float32)
    for p in range(a):
        for q in range(b):
            idx = band.index(i - p, j - q)
            ok &= idx >= 0
            part = np.where(idx >= 0, sim11[np.maximum(idx, 0)], 0.0)
            total += part
            best_part = np.maximum(best_part, part)
    src_norm = _norm_at(sides.src_vec, i - a, a, ok)
    tgt_norm = _norm_at(sides.tgt_vec, j - b, b, ok)
    cheap = np.where(ok, total / np.maximum(src_norm * tgt_norm, 1e-6), -np.inf)
    keep = ok & (cheap > best_part - params.candidate_slack) & (cheap > params.threshold)
    return np.flatnonzero(keep)


def _norm_at(vectors: np.ndarray, start: np.ndarray, size: int, ok: np.ndarray) -> np.ndarray:
    if size == 1:
        return np.ones(len(start), dtype=np.float32)
    norms = span_norms(vectors, size)
    return np.where(ok, norms[np.clip(start, 0, max(len(norms) - 1, 0))], 1.0)


def _merged_gains(sides: _Sides, i: np.ndarray, j: np.ndarray, a: int, b: int,
                  store: EmbeddingStore, params: Params,
                  real: dict[tuple[int, int, int, int], float]) -> np.ndarray:
    """Gains of candidate merged links, from embeddings of their joined text."""
    if len(i) == 0:
        return np.zeros(0, dtype=np.float32)
    src_text = [" ".join(sides.src[s - a:s]) for s in i]
    tgt_text = [" ".join(sides.tgt[t - b:t]) for t in j]
    sims = np.einsum("ij,ij->i", store.vectors(src_text), store.vectors(tgt_text))
    src_len = span_lengths(sides.src_len, a)[i - a]
    tgt_len = span_lengths(sides.tgt_len, b)[j - b]
    agree = length_agreement(src_len, tgt_len, sides.ratio)
    for s, t, sim in zip(i.tolist(), j.tolist(), sims.tolist(), strict=True):
        real[(s - a, s, t - b, t)] = sim
    return link_gain(params, sims, agree, a, b)


def _to_link(link: tuple[int, int, int, int], sides: _Sides, band: Band, sim11: np.ndarray,
             real: dict[tuple[int, int, int, int], float]) -> Link:
    i0, i1, j0, j1 = link
    source, target = tuple(range(i0, i1)), tuple(range(j0, j1))
    if not source or not target:
        return Link(source, target, None)
    if len(source) == 1 and len(target) == 1:
        sim = float(sim11[band.index(np.array([i1]), np.array([j1]))[0]])
    else:
        sim = real[link]
    return Link(source, target, round(min(max(sim, 0.0), 1.0), 4))
