"""Order-free alignment: for documents whose pieces are shuffled, duplicated or missing.

1. Mutual best matches by ratio margin, above a cosine floor, become anchors (margin mining
   of parallel sentences, Artetxe & Schwenk 2019): a sentence whose best match also picks it
   back is rarely wrong, wherever it sits.
2. Anchors whose positions advance together on both sides form *runs*: pieces that kept their
   inner order. Each run, widened to up to ``MAX_GAP`` unanchored sentences on each side, is
   aligned with the ordered DP (with the document's length ratio), so merges and splits inside
   a piece still become 1-2 / 2-1 links. Windows of neighbouring runs may overlap: a sentence
   between two pieces (``Inc.`` cut off the end of one, say) is offered to both.
3. Candidates: the windows' links, the 1-1 parts of their merged links (two pieces that
   cross, which an ordered window can only cover with one n-m link), and merged links without
   a contested or glued-on edge sentence (see :func:`_candidates`). Each is scored with the
   ordered DP's gain, and the disjoint set with the highest total gain is kept, exactly for
   each group of conflicting candidates.
4. Sentences left over are paired greedily by margin, at cosine ``PAIR_FLOOR`` or more; the
   rest stay one-sided. Every sentence ends up in exactly one link.

Similarities are computed block by block and only the top candidates kept, so memory is
linear; time is ``O(n · m · dim)``, which is what order-freedom costs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

import numpy as np

from aligner.align.anchors import mutual_pairs, nearest
from aligner.align.band import band_around
from aligner.align.firstpass import first_path
from aligner.align.ordered import Sides, align_in_band, prepare_sides
from aligner.align.scoring import Params, length_agreement, link_gain
from aligner.align.select import Candidate, Spans, best_disjoint, pair_leftovers
from aligner.embed.base import as_float32, rowwise_dot
from aligner.embed.cache import EmbeddingStore
from aligner.types import Link

EDGE_FLOOR = 0.35
"""Cosine a link outside its run's anchors must reach: the ordered DP placed it next to a
piece, so a lower bar (99.9 % of different-article pairs score below it)."""
PART_FLOOR = 0.3
"""Cosine against the other side's span below which an edge sentence of a merged link, beyond
its run's anchors, may be glued on. On FLORES-200 dev (USE-m) 99 % of sentences from another
article score below it against a sentence, and 6 % of the parts of true 1-2 splits."""
INSIDE_FLOOR = 0.1
"""The same bar for a sentence between its run's anchors, where a foreign one is rarer."""
GLUE_MARGIN = 0.05
"""A weak part is glued on unless removing it costs the link more than this much cosine."""
MAX_GAP = 3

Run = list[tuple[int, int]]
"""Anchors ``(i, j)`` in increasing order on both sides."""
Outside = frozenset[tuple[str, int]]
"""Sentences ``("s", i)`` / ``("t", j)`` of a link that lie beyond its run's anchors."""


def align_free(src: Sequence[str], tgt: Sequence[str], store: EmbeddingStore,
               params: Params | None = None, sides: Sides | None = None) -> list[Link]:
    """Links covering every sentence once, found without assuming the two sides share order
    (``sides``: the caller's :func:`prepare_sides` of these texts, when it has them)."""
    params = params or Params()
    sides = sides or prepare_sides(src, tgt, store)
    best = nearest(sides.src_vec, sides.tgt_vec)
    anchors = mutual_pairs(best)
    sides = _with_anchor_ratio(sides, anchors)
    outside = _window_links(sides, _runs(anchors), store, params)
    candidates = _candidates(outside, anchors, sides, store, params)
    links = [Link(*c.spans, round(min(max(c.sim, 0.0), 1.0), 4))
             for c in best_disjoint(candidates)]
    src_free = np.ones(len(src), dtype=bool)
    tgt_free = np.ones(len(tgt), dtype=bool)
    for link in links:
        src_free[list(link.source)] = False
        tgt_free[list(link.target)] = False
    links += pair_leftovers(sides.src_vec, sides.tgt_vec, src_free, tgt_free,
                            (best.src_density, best.tgt_density))
    return sorted(links, key=_order_key)


def _with_anchor_ratio(sides: Sides, anchors: np.ndarray) -> Sides:
    """The source/target length ratio of the anchors (median): the whole document's evidence.

    A window of two or three sentences cannot estimate it: its own best 1-1 link would set
    the ratio, and any merge would look too long beside it.
    """
    if len(anchors) == 0:
        return sides
    ratios = sides.src_len[anchors[:, 0]] / np.maximum(sides.tgt_len[anchors[:, 1]], 1.0)
    return replace(sides, ratio=float(np.median(ratios)))


def _window_links(sides: Sides, runs: list[Run], store: EmbeddingStore,
                  params: Params) -> dict[Spans, Outside]:
    """Candidate links of every window, each with its sentences outside its run's anchors.

    A merged link also offers its 1-1 parts (two pieces that cross, which an ordered window
    can only cover with one n-m link) and, where another window holds one of its edge
    sentences, itself without that sentence, so the sentence can go to the other window.
    """
    windows = list(_windows(runs, len(sides.src), len(sides.tgt)))
    src_count = np.bincount([k for s, _ in windows for k in s], minlength=len(sides.src))
    tgt_count = np.bincount([k for _, t in windows for k in t], minlength=len(sides.tgt))
    outside: dict[Spans, Outside] = {}
    for run, (s_range, t_range) in zip(runs, windows, strict=True):
        fitting = _fitting(params, len(s_range), len(t_range))
        for link in _align_window(sides, s_range, t_range, store, fitting):
            if not (link.source and link.target):
                continue
            spans = (tuple(s_range[k] for k in link.source), tuple(t_range[k] for k in link.target))
            parts = [((i,), (j,)) for i in spans[0] for j in spans[1]]
            for key in (spans, *_trimmed(spans, src_count > 1, tgt_count > 1), *parts):
                out = _outside(key, run)
                outside[key] = outside[key] & out if key in outside else out
    return outside


def _align_window(sides: Sides, s_range: list[int], t_range: list[int],
                  store: EmbeddingStore, params: Params) -> list[Link]:
    """The ordered aligner's two passes on one window, with the document's length ratio."""
    window = Sides([sides.src[k] for k in s_range], [sides.tgt[k] for k in t_range],
                    sides.src_vec[s_range], sides.tgt_vec[t_range], sides.src_len[s_range],
                    sides.tgt_len[t_range], sides.ratio)
    path = first_path(window.src_vec, window.tgt_vec, np.random.default_rng(0))
    band = band_around(path, len(s_range), len(t_range), params.band_radius)
    return align_in_band(window, band, store, params)


def _runs(anchors: np.ndarray) -> list[Run]:
    """Anchors, by source position, cut wherever either side jumps back or by > ``MAX_GAP``."""
    runs: list[Run] = []
    for i, j in sorted(map(tuple, anchors.tolist())):
        last = runs[-1][-1] if runs else None
        if last and 0 < i - last[0] <= MAX_GAP and 0 < j - last[1] <= MAX_GAP:
            runs[-1].append((i, j))
        else:
            runs.append([(i, j)])
    return runs


def _windows(runs: list[Run], n: int, m: int) -> Iterator[tuple[list[int], list[int]]]:
    """Each run's source and target span, widened over up to ``MAX_GAP`` unanchored sentences.

    Widening stops at a sentence anchored by another run but not at one another window holds,
    so the sentences between two pieces are offered to both.
    """
    anchored_src = {i for run in runs for i, _ in run}
    anchored_tgt = {j for run in runs for _, j in run}
    for run in runs:
        yield (_widen(run[0][0], run[-1][0], anchored_src, n),
               _widen(run[0][1], run[-1][1], anchored_tgt, m))


def _widen(first: int, last: int, anchored: set[int], size: int) -> list[int]:
    """``first..last`` plus up to ``MAX_GAP`` unanchored sentences on each side."""
    lo = first
    while lo > 0 and first - lo < MAX_GAP and lo - 1 not in anchored:
        lo -= 1
    hi = last
    while hi + 1 < size and hi - last < MAX_GAP and hi + 1 not in anchored:
        hi += 1
    return list(range(lo, hi + 1))


def _fitting(params: Params, n: int, m: int) -> Params:
    """``params`` without the link types too big for an ``n`` × ``m`` window."""
    moves = tuple((a, b) for a, b in params.moves if a <= n and b <= m)
    return params if moves == params.moves else replace(params, moves=moves)


def _trimmed(spans: Spans, src_shared: np.ndarray, tgt_shared: np.ndarray) -> list[Spans]:
    """``spans`` without one end sentence that another window also holds, for each such end."""
    source, target = spans
    out = []
    if len(source) > 1:
        out += [(source[1:], target)] if src_shared[source[0]] else []
        out += [(source[:-1], target)] if src_shared[source[-1]] else []
    if len(target) > 1:
        out += [(source, target[1:])] if tgt_shared[target[0]] else []
        out += [(source, target[:-1])] if tgt_shared[target[-1]] else []
    return out


def _outside(spans: Spans, run: Run) -> Outside:
    """The sentences of ``spans`` beyond the first or last anchor of ``run``, on either side."""
    (source, target), (first, last) = spans, (run[0], run[-1])
    return frozenset([("s", i) for i in source if not first[0] <= i <= last[0]]
                     + [("t", j) for j in target if not first[1] <= j <= last[1]])


def _holds_anchor(spans: Spans, anchors: set[tuple[int, int]]) -> bool:
    return any((i, j) in anchors for i in spans[0] for j in spans[1])


def _candidates(outside: dict[Spans, Outside], anchors: np.ndarray, sides: Sides,
                store: EmbeddingStore, params: Params) -> list[Candidate]:
    """The links worth keeping, scored; merged links lose a glued-on edge sentence.

    An edge sentence of a merged link that scores below ``PART_FLOOR`` (``INSIDE_FLOOR``
    between its run's anchors) against the other side's span, and whose removal costs the
    link less than ``GLUE_MARGIN`` of cosine, is a neighbouring piece's sentence glued on (an
    untranslated one, typically): the link is refused and its variant without that sentence
    offered instead. Real splits often have a part that weak (Text+Berg: 40 % of gold merges
    score below 0.2), but then the part carries meaning and removing it costs more. A link
    beyond its run's anchors must also reach ``EDGE_FLOOR`` or hold an anchor.
    """
    scores = _scored(outside, sides, store)
    weak = {key: [_without(key, part) for part in parts]
            for key, (_, parts) in scores.items() if parts}
    variants = {v: outside[key] - {part} for key, parts in weak.items()
                for v, part in zip(parts, scores[key][1], strict=True) if v not in scores}
    scores |= _scored(variants, sides, store)
    anchor_set = {(int(i), int(j)) for i, j in anchors.tolist()}
    kept = []
    for key in sorted(scores):
        sim = scores[key][0]
        if any(scores[v][0] > sim - GLUE_MARGIN for v in weak.get(key, [])):
            continue
        spans_outside = outside.get(key, variants.get(key))
        if spans_outside and sim < EDGE_FLOOR and not _holds_anchor(key, anchor_set):
            continue
        gain = _gain(key, sim, sides, params)
        if gain > 0:
            kept.append(Candidate(key, sim, gain))
    return kept


def _scored(outside: dict[Spans, Outside], sides: Sides, store: EmbeddingStore
            ) -> dict[Spans, tuple[float, list[tuple[str, int]]]]:
    """Each link's cosine (merged spans embedded as joined text) and its weak end sentences:
    those under ``PART_FLOOR`` (``INSIDE_FLOOR`` within the run) against the other side."""
    keys = sorted(outside)
    spans = store.span_vectors([[sides.src[k] for k in s] for s, _ in keys]
                               + [[sides.tgt[k] for k in t] for _, t in keys])
    src_span, tgt_span = as_float32(spans[:len(keys)]), as_float32(spans[len(keys):])
    sims = rowwise_dot(src_span, tgt_span)
    out = {}
    for row, (source, target) in enumerate(keys):
        ends = {("s", source[0]), ("s", source[-1])} if len(source) > 1 else set()
        ends |= {("t", target[0]), ("t", target[-1])} if len(target) > 1 else set()
        weak = [(side, k) for side, k in sorted(ends)
                if (as_float32(sides.src_vec[k]) @ tgt_span[row] if side == "s"
                    else as_float32(sides.tgt_vec[k]) @ src_span[row])
                < (PART_FLOOR if (side, k) in outside[source, target] else INSIDE_FLOOR)]
        out[source, target] = (float(sims[row]), weak)
    return out


def _without(spans: Spans, part: tuple[str, int]) -> Spans:
    side, k = part
    source, target = spans
    if side == "s":
        return tuple(i for i in source if i != k), target
    return source, tuple(j for j in target if j != k)


def _gain(spans: Spans, sim: float, sides: Sides, params: Params) -> float:
    """The ordered DP's gain for this link over leaving its sentences unlinked, so that
    total gains compare as the DP's path scores do."""
    source, target = spans
    agree = length_agreement(np.array([sides.src_len[list(source)].sum()]),
                             np.array([sides.tgt_len[list(target)].sum()]), sides.ratio)
    gain = link_gain(params, np.array([sim]), agree, len(source), len(target))[0]
    return float(gain) - params.skip * (len(source) + len(target))


def _order_key(link: Link) -> tuple[float, float]:
    """Links by their first source sentence; target-only links by their target position."""
    return (link.source[0] if link.source else float("inf"),
            link.target[0] if link.target else -1)
