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
``bench/calibrate.py`` on dev data only (FLORES-200 dev families, Text+Berg dev, each suite
weighing the same) and are copied below; the same script prints how well calibrated they
are (0.9 should be right about 9 times in 10) on the devtest/test data.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aligner.embed.cache import EmbeddingStore
from aligner.normalize import for_matching
from aligner.types import Link

NEIGHBOURS = 2
"""Sentences on each side of a link (or a gap) that count as its rivals."""

TWO_SIDED = (-4.557, -1.986, 5.324, 10.179, -3.202)
"""Intercept, cosine, margin, length agreement, merge (bench/calibrate.py, dev data)."""
ONE_SIDED = (3.855, -5.958)
"""Intercept, best cosine around the gap (bench/calibrate.py, dev data)."""


def link_features(links: Sequence[Link], src: Sequence[str], tgt: Sequence[str],
                  store: EmbeddingStore) -> tuple[np.ndarray, np.ndarray]:
    """``(two, one)``: feature rows of the two-sided links ``(k, 4)`` and of the one-sided
    links ``(l, 1)``, in link order within each group."""
    src_vec, tgt_vec = store.vectors(src), store.vectors(tgt)
    src_len = np.array([len(for_matching(t)) for t in src], dtype=np.float64)
    tgt_len = np.array([len(for_matching(t)) for t in tgt], dtype=np.float64)
    ratio = float(src_len.sum() / max(tgt_len.sum(), 1.0))
    two: list[list[float]] = []
    one: list[list[float]] = []
    i_next = j_next = 0  # where the next sentences of each side start (for gaps)
    for link in links:
        if link.source and link.target:
            i0, i1 = link.source[0], link.source[-1] + 1
            j0, j1 = link.target[0], link.target[-1] + 1
            s_vec = _span(src_vec, i0, i1)
            t_vec = _span(tgt_vec, j0, j1)
            rivals = [*_around(tgt_vec, j0, j1) @ s_vec, *_around(src_vec, i0, i1) @ t_vec]
            score = float(link.score or 0.0)
            ls, lt = src_len[i0:i1].sum(), tgt_len[j0:j1].sum() * ratio
            agreement = float(np.log2(1.0 + min(ls, lt) / max(ls, lt, 1.0)))
            margin = score - max(rivals, default=0.0)
            two.append([score, margin, agreement, float(i1 - i0 + j1 - j0 > 2)])
            i_next, j_next = i1, j1
        elif link.source:
            i = link.source[0]
            one.append([_best_near(src_vec[i], tgt_vec, j_next)])
            i_next = i + 1
        else:
            j = link.target[0]
            one.append([_best_near(tgt_vec[j], src_vec, i_next)])
            j_next = j + 1
    return (np.array(two, dtype=np.float64).reshape(-1, 4),
            np.array(one, dtype=np.float64).reshape(-1, 1))


def with_confidence(links: Sequence[Link], src: Sequence[str], tgt: Sequence[str],
                    store: EmbeddingStore) -> list[Link]:
    """The same links, each with its calibrated confidence."""
    two, one = link_features(links, src, tgt, store)
    p_two, p_one = iter(predict(two, TWO_SIDED)), iter(predict(one, ONE_SIDED))
    out = []
    for link in links:
        p = next(p_two) if link.source and link.target else next(p_one)
        out.append(Link(link.source, link.target, link.score, link.flags, link.status,
                        round(float(p), 3)))
    return out


def predict(features: np.ndarray, coefficients: Sequence[float]) -> np.ndarray:
    """Logistic model: ``σ(c0 + c · x)`` for each row of ``features``."""
    if len(features) == 0:
        return np.zeros(0)
    c = np.asarray(coefficients, dtype=np.float64)
    return 1.0 / (1.0 + np.exp(-(c[0] + features @ c[1:])))


def _span(vectors: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Normalised sum of a span's sentence vectors (the joined text's own vector is close)."""
    total = vectors[start:stop].sum(axis=0)
    return total / max(float(np.linalg.norm(total)), 1e-12)


def _around(vectors: np.ndarray, start: int, stop: int) -> np.ndarray:
    """The ``NEIGHBOURS`` sentence vectors before ``start`` and after ``stop``."""
    before = vectors[max(0, start - NEIGHBOURS):start]
    after = vectors[stop:stop + NEIGHBOURS]
    return np.concatenate([before, after])


def _best_near(vector: np.ndarray, other: np.ndarray, position: int) -> float:
    """Best cosine of ``vector`` with the other side's sentences around ``position``."""
    window = other[max(0, position - NEIGHBOURS - 1):position + NEIGHBOURS + 1]
    return float((window @ vector).max()) if len(window) else 0.0
