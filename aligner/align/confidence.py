"""A calibrated confidence per link: the chance, learnt on gold data, that the link is right.

A cosine of 0.6 means little by itself: it is high for a short headline, ordinary for a long
sentence, and a 1-1 link can score well while the next sentence would have scored better. The
confidence reads a link the way a reviewer does, from a few numbers:

- two-sided links: the link's cosine, its *margin* over the best rival (the cosine of either
  side with the sentences just outside the link on the other side), the length agreement, and
  whether it is a merge;
- one-sided links (1-0, 0-1): the best cosine of the sentence with the other side's sentences
  around the gap (low: surely untranslated; high: probably a missed link).

A logistic model maps them to a probability. Its coefficients were fitted by
``bench/calibrate.py`` on dev data only (FLORES-200 dev families, Text+Berg dev and, when
bench/get_mac.py has extracted it, MAC dev; each suite weighing the same) and are copied
below; the same script prints how well calibrated they are (0.9 should be right about 9 times
in 10) on the devtest/test data.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aligner.align.ordered import ScoredPath, Sides
from aligner.align.scoring import linked_ratio
from aligner.embed.base import as_float32
from aligner.types import Link

NEIGHBOURS = 2
"""Sentences on each side of a link (or a gap) that count as its rivals."""

TWO_SIDED = (-4.796, 1.644, 4.606, 7.558, -2.069)
"""Intercept, cosine, margin, length agreement, merge (bench/calibrate.py, dev data)."""
ONE_SIDED = (2.022, -3.558)
"""Intercept, best cosine around the gap (bench/calibrate.py, dev data)."""


def link_features(links: Sequence[Link], sides: Sides) -> tuple[np.ndarray, np.ndarray]:
    """``(two, one)``: feature rows of the two-sided links ``(k, 4)`` and of the one-sided
    links ``(l, 1)``, in link order within each group. ``sides`` is what the aligner worked
    from (:func:`aligner.align.ordered.prepare_sides`): vectors, lengths and the documents'
    ratio."""
    return path_features(_as_path(links), sides)


def _as_path(links: Sequence[Link]) -> ScoredPath:
    """``links`` as arrays (each link's sentences are consecutive)."""
    count = len(links)  # four passes, no list of 4-tuples (18 MB at 100,000 links)
    i0 = np.fromiter((k.source[0] if k.source else 0 for k in links), np.int64, count)
    i1 = np.fromiter((k.source[-1] + 1 if k.source else 0 for k in links), np.int64, count)
    j0 = np.fromiter((k.target[0] if k.target else 0 for k in links), np.int64, count)
    j1 = np.fromiter((k.target[-1] + 1 if k.target else 0 for k in links), np.int64, count)
    return ScoredPath(np.stack([i0, i1, j0, j1], axis=1).reshape(-1, 4),
                      [k.score for k in links])


def path_features(path: ScoredPath, sides: Sides) -> tuple[np.ndarray, np.ndarray]:
    """:func:`link_features` of the links ``path`` holds. Vectorised: a few numpy passes over
    the links, whatever their number."""
    src_vec, tgt_vec = sides.src_vec, sides.tgt_vec
    i0, i1, j0, j1 = (np.ascontiguousarray(column) for column in path.spans.T)
    has_src, has_tgt = i1 > i0, j1 > j0
    i0, i1 = np.where(has_src, i0, -1), np.where(has_src, i1, -1)  # -1: no sentence there
    j0, j1 = np.where(has_tgt, j0, -1), np.where(has_tgt, j1, -1)
    two_sided = has_src & has_tgt
    scores = np.array([score or 0.0 for score in path.scores], dtype=np.float64)
    ratio = _linked_ratio(scores, two_sided, i0, i1, j0, j1, sides)
    return (_two_sided(scores, two_sided, i0, i1, j0, j1, src_vec, tgt_vec, sides.src_len,
                       sides.tgt_len, ratio),
            _one_sided(two_sided, i0, i1, j0, j1, src_vec, tgt_vec))


def _linked_ratio(scores, two_sided, i0, i1, j0, j1, sides: Sides) -> float:
    """The documents' length ratio over the final 1-1 links, as the aligner estimates it
    (:func:`aligner.align.scoring.linked_ratio`): whole-document totals are skewed by
    untranslated material (a French article after the Arabic posts that a page quotes), and
    every length agreement with them."""
    single = two_sided & (i1 - i0 == 1) & (j1 - j0 == 1)
    return linked_ratio(sides.src_len[i0[single]], sides.tgt_len[j0[single]], scores[single],
                        sides.ratio)


CHUNK = 4096
"""Links whose vectors are gathered at once (8 MB at dim 512): memory stays flat at any size."""


def _two_sided(scores, mask, i0, i1, j0, j1, src_vec, tgt_vec, src_len, tgt_len, ratio):
    i0, i1, j0, j1 = i0[mask], i1[mask], j0[mask], j1[mask]
    rival = np.zeros(len(i0))
    for c in range(0, len(i0), CHUNK):
        part = slice(c, c + CHUNK)
        src = _Window.around(src_vec, i0[part], i1[part])
        tgt = _Window.around(tgt_vec, j0[part], j1[part])
        rival[part] = np.maximum(_rivals(src.spans(i0[part], i1[part]), tgt, j0[part], j1[part]),
                                 _rivals(tgt.spans(j0[part], j1[part]), src, i0[part], i1[part]))
    rival = np.where(np.isfinite(rival), rival, 0.0)
    score = scores[mask]
    prefix_s = np.concatenate([[0.0], np.cumsum(src_len)])
    prefix_t = np.concatenate([[0.0], np.cumsum(tgt_len)])
    ls, lt = prefix_s[i1] - prefix_s[i0], (prefix_t[j1] - prefix_t[j0]) * ratio
    agreement = np.log2(1.0 + np.minimum(ls, lt) / np.maximum(np.maximum(ls, lt), 1.0))
    merge = ((i1 - i0) + (j1 - j0) > 2).astype(np.float64)
    return np.stack([score, score - rival, agreement, merge], axis=1).reshape(-1, 4)


def _one_sided(two_sided, i0, i1, j0, j1, src_vec, tgt_vec):
    """Best cosine of each one-sided sentence with the other side around its gap (where the
    previous link left off)."""
    i_next, j_next = _resume_points(i1), _resume_points(j1)
    alone = ~two_sided
    on_src = alone & (i0 >= 0)
    on_tgt = alone & (j0 >= 0)
    best = np.zeros(len(two_sided))
    for rows, vectors, other, where in ((np.flatnonzero(on_src), src_vec, tgt_vec, i0),
                                        (np.flatnonzero(on_tgt), tgt_vec, src_vec, j0)):
        position = j_next if vectors is src_vec else i_next
        for c in range(0, len(rows), CHUNK):
            chunk = rows[c:c + CHUNK]
            near = position[chunk]
            best[chunk] = _best_near(as_float32(vectors[where[chunk]]),
                                     _Window(other, int(near.min()) - NEIGHBOURS - 1,
                                             int(near.max()) + NEIGHBOURS + 1, len(chunk)), near)
    return best[alone].reshape(-1, 1)


def _resume_points(ends: np.ndarray) -> np.ndarray:
    """For each link, the end (on one side) of the latest earlier link that has that side."""
    known = ends >= 0
    last = np.maximum.accumulate(np.where(known, np.arange(len(ends)), -1))
    before = np.concatenate([[-1], last[:-1]]) if len(ends) else last
    return np.where(before >= 0, ends[np.maximum(before, 0)], 0)


class _Window:
    """The float32 rows of one side that a chunk of links reads.

    A chunk's links lie close together in the document, so the rows ``low..high`` they read
    (their spans and the sentences around them) are cast to float32 once, as one window,
    rather than gathered and cast once per use; rows far apart are cast as gathered.
    """

    def __init__(self, vectors: np.ndarray, low: int, high: int, links: int):
        self.vectors, self.size = vectors, len(vectors)
        low, high = max(low, 0), min(high, len(vectors))
        compact = low < high and high - low <= 2 * links + 64
        self.rows = as_float32(vectors[low:high]) if compact else None
        self.low = low if compact else 0

    @classmethod
    def around(cls, vectors: np.ndarray, start: np.ndarray, stop: np.ndarray) -> _Window:
        """The rows of spans ``start..stop`` and their ``NEIGHBOURS`` on each side."""
        return cls(vectors, int(start.min()) - NEIGHBOURS, int(stop.max()) + NEIGHBOURS,
                   len(start))

    def take(self, index: np.ndarray) -> np.ndarray:
        """Rows ``index`` (all inside the side), float32."""
        if self.rows is None:
            return as_float32(self.vectors[index])
        return self.rows[index - self.low]

    def total(self, start: int, stop: int) -> np.ndarray:
        """The float32 sum of rows ``start..stop``."""
        if self.rows is None:
            return self.vectors[start:stop].sum(axis=0, dtype=np.float32)
        return self.rows[start - self.low:stop - self.low].sum(axis=0, dtype=np.float32)

    def spans(self, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
        """Normalised sum of each span's sentence vectors (the joined text's own vector is
        close); single sentences are their own vector."""
        out = self.take(start)
        for k in np.flatnonzero(stop - start > 1):
            total = self.total(start[k], stop[k])
            out[k] = total / max(float(np.linalg.norm(total)), 1e-12)
        return out


def _rivals(span: np.ndarray, other: _Window, start: np.ndarray, stop: np.ndarray
            ) -> np.ndarray:
    """Best cosine of each span with the ``NEIGHBOURS`` sentences before ``start`` and after
    ``stop`` on the other side (``-inf`` where there are none)."""
    return _best_of(span, other, [*(start - d for d in range(1, NEIGHBOURS + 1)),
                                  *(stop + d for d in range(NEIGHBOURS))])


def _best_near(vectors: np.ndarray, other: _Window, position: np.ndarray) -> np.ndarray:
    """Best cosine of each vector with the other side's sentences around its position."""
    best = _best_of(vectors, other,
                    [position + offset for offset in range(-NEIGHBOURS - 1, NEIGHBOURS + 1)])
    return np.where(np.isfinite(best), best, 0.0)


def _best_of(vectors: np.ndarray, other: _Window, indices: list[np.ndarray]) -> np.ndarray:
    """Best cosine of each of ``vectors`` (float32) with ``other``'s rows ``index[k]`` over
    the index arrays (``-inf`` where every index falls outside the other side)."""
    best = np.full(len(vectors), -np.inf)
    if len(vectors) == 0 or other.size == 0:
        return best
    for index in indices:
        valid = (index >= 0) & (index < other.size)
        dots = np.einsum("ij,ij->i", vectors, other.take(np.clip(index, 0, other.size - 1)))
        best = np.where(valid, np.maximum(best, dots), best)
    return best


def with_confidence(links: list[Link], sides: Sides) -> list[Link]:
    """``links``, each replaced in place by itself with its calibrated confidence (in place so
    that two sets of links never coexist: 100,000 of them weigh tens of MB)."""
    for k, (link, p) in enumerate(zip(links, confidences(_as_path(links), sides), strict=True)):
        links[k] = Link(link.source, link.target, link.score, link.flags, link.status, p)
    return links


def confidences(path: ScoredPath, sides: Sides) -> list[float]:
    """The calibrated confidence of each link of ``path``, rounded to 3 decimals."""
    two, one = path_features(path, sides)
    p_two = iter(predict(two, TWO_SIDED).tolist())
    p_one = iter(predict(one, ONE_SIDED).tolist())
    del two, one
    return [round(next(p_two) if two else next(p_one), 3)
            for two in ((path.spans[:, 1] > path.spans[:, 0])
                        & (path.spans[:, 3] > path.spans[:, 2])).tolist()]


def predict(features: np.ndarray, coefficients: Sequence[float]) -> np.ndarray:
    """Logistic model: ``σ(c0 + c · x)`` for each row of ``features``."""
    if len(features) == 0:
        return np.zeros(0)
    c = np.asarray(coefficients, dtype=np.float64)
    return 1.0 / (1.0 + np.exp(-(c[0] + features @ c[1:])))
