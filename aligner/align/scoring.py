"""Link gains for the final pass: similarity, length agreement, and the cost of leaving out.

A link of ``a`` source and ``b`` target sentences gains
``w(a, b) · (sim − τ) · lp ** λ − μ · (a + b − 2)``:
``sim`` is the cosine of the two spans, ``τ`` the cosine an unrelated pair reaches anyway,
``lp`` Bertalign's length agreement ``log2(1 + min(ls, r·lt) / max(ls, r·lt))`` over
character lengths (``r`` the document's length ratio), and ``w`` rewards a link for each
sentence it covers. An unlinked sentence gains ``skip`` (≤ 0).

The length term scales the evidence above ``τ``, not the whole cosine (as Bertalign scales its
margin-corrected score): a translator who expands a sentence into three makes a span much
longer than the document's ratio expects, and ``sim · lp`` then fell below the two-sentence
link plus a skipped third, leaving a real part of the translation unlinked. Below ``τ`` the
length term is left out, so a bad length match never makes a weak link cheaper.

Span similarity comes in two grades. The cheap one, from the 1-1 cosines already in the band
(``cos(Σx, Σy) = Σ x·y / (|Σx| |Σy|)``), drives a draft alignment that names the merges worth
a look; only those are embedded as joined text (what Vecalign and Bertalign do for every span),
so the encoder sees few texts beyond each sentence once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.embed.base import as_float32


@dataclass(frozen=True, slots=True)
class Params:
    """The knobs of the ordered aligner (tuned on dev data: see bench/quality.py)."""

    moves: tuple[tuple[int, int], ...] = (
        (1, 1), (1, 0), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 4), (4, 1), (2, 3), (3, 2),
        (3, 3))
    """Link sizes ``(a, b)`` the DP may use (1-0 and 0-1 always). Each costs a row of gains,
    ~9 MB at 100,000 sentences a side. 3-3 (three sentences cut differently on each side):
    Text+Berg dev 0.895 → 0.900. 2-4, 4-2, 1-5 and 5-1 as well: Text+Berg dev 0.902, MAC dev
    0.825 → 0.824, for 36 MB more (bench/tune_gain.py)."""
    threshold: float = 0.15
    """The cosine of a link with no evidence in it: only what it scores above this counts,
    scaled by its length agreement (0.15 on dev data, bench/tune_gain.py: FLORES-200 dev
    families, Text+Berg dev and MAC dev, the zh-en literary chapters)."""
    skip: float = -0.1
    size_bonus: float = 0.0
    merge_penalty: float = 0.0
    part_floor: float = 0.2
    """A merged link is refused when one of its short sentences scores below this on its own.
    0.2 on dev data (bench/tune_gain.py, FLORES-200 dev families over four edit seeds and
    Text+Berg dev): web junk glued to a translation is kept out (noise 0.9964 → 0.9998, hard
    0.9808 → 0.9846 strict F1) and Text+Berg dev is unchanged (0.884 → 0.885)."""
    length_weight: float = 1.0
    min_similarity: float = 0.1
    """Two-sided links whose cosine falls below this are refused outright: without it a link
    of unrelated lines (cosine 0) costs less than leaving both out does (``−τ > 2·skip``)."""
    number_weight: float = 0.1
    """Gain for numbers that agree across a link (minus as much when they differ)."""
    band_radius: int = 5

    @property
    def linked(self) -> tuple[tuple[int, int], ...]:
        """The two-sided moves: one row of gains each (leaving a sentence out gains ``skip``,
        a figure per sentence, not per band cell)."""
        return tuple((a, b) for a, b in self.moves if a and b)

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__slots__ if k != "moves"}


def length_agreement(src_len: np.ndarray, tgt_len: np.ndarray, ratio: float) -> np.ndarray:
    """Bertalign's length term in (0, 1]: 1 when the lengths match the document's ratio."""
    scaled = tgt_len * ratio
    small = np.minimum(src_len, scaled)
    large = np.maximum(np.maximum(src_len, scaled), 1.0)
    return np.log2(1.0 + small / large)


RATIO_LINKS = 3
"""1-1 links a document's length ratio is taken from; below, whole-document totals (only short
documents: no figure of bench/tune_gain.py's dev suites moved, from 3 to 6)."""


def linked_ratio(src_len: np.ndarray, tgt_len: np.ndarray, sims: np.ndarray,
                 default: float) -> float:
    """The documents' length ratio: the median over 1-1 links (their sides' lengths and
    cosines given) of the better-scoring half; ``default`` when there is no such link.

    Whole-document totals would be skewed by one-sided material (an untranslated article at
    the end of a page); the median over surely linked pairs is not. With fewer than
    :data:`RATIO_LINKS` links, though, the totals are the better guess: in a one-sentence
    original translated in two, the first pass links it to one of them, and that pair's
    ratio (about 2) made the true 1-2 link look twice too long.
    """
    if len(sims) < RATIO_LINKS:
        return default
    sure = sims >= np.quantile(sims, 0.5)
    return float(np.median(src_len[sure] / np.maximum(tgt_len[sure], 1.0)))


def span_norms(vectors: np.ndarray, sizes: set[int]) -> dict[int, np.ndarray]:
    """``|v[k] + … + v[k + size - 1]|`` for every start ``k`` and each size: ``{size: (n - size
    + 1,) float32}`` (empty where the side is shorter than the span).

    From dot products of sentences at most ``max(sizes) - 1`` apart, all taken in one pass over
    the (float16) vectors, so it costs ``O(n · dim)`` and reads each row once.
    """
    n, widest = len(vectors), max(sizes, default=1)
    dots = {gap: np.empty(max(n - gap, 0), dtype=np.float64) for gap in range(1, widest)}
    chunk = 1 << 12  # 8 MB of float32 rows at a time: this runs while the DP's gains are held
    for start in range(0, n, chunk):
        rows = as_float32(vectors[start:start + chunk + widest - 1])
        for gap, out in dots.items():
            stop = min(start + chunk, n - gap)
            if stop > start:
                out[start:stop] = np.einsum("ij,ij->i", rows[:stop - start],
                                            rows[gap:gap + stop - start])
    norms = {}
    for size in sizes:
        if n < size:
            norms[size] = np.zeros(0, dtype=np.float32)
            continue
        total = np.full(n - size + 1, float(size))
        for gap in range(1, size):
            for first in range(0, size - gap):  # pairs (k + first, k + first + gap) in the span
                total += 2 * dots[gap][first:first + n - size + 1]
        norms[size] = np.sqrt(np.maximum(total, 1e-12)).astype(np.float32)
    return norms


def link_gain(params: Params, sims: np.ndarray, agreement: np.ndarray, a: int, b: int
              ) -> np.ndarray:
    """Gain of ``a``-``b`` links with cosines ``sims`` and length terms ``agreement``."""
    extra = a + b - 2
    weight = 1.0 + params.size_bonus * extra
    core = np.clip(sims, 0.0, 1.0) - params.threshold
    core = np.where(core > 0, core * agreement ** params.length_weight, core)
    gain = weight * core - params.merge_penalty * extra
    return np.where(sims >= params.min_similarity, gain, -np.inf)
