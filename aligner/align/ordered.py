"""Ordered alignment: translations that follow the original, with n-m and one-sided links.

Two passes, each linear in document length:

1. :func:`aligner.align.firstpass.first_path` finds a rough 1-1 path (coarse-to-fine).
2. A DP over every link type (1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 1-0, 0-1) in a band of
   ``Params.band_radius`` around it, in two rounds: cheap span scores first, then real
   embeddings of the joined text for the few merges that round one makes plausible.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from aligner.align.band import Band, band_around
from aligner.align.dp import best_path, best_path_array
from aligner.align.evidence import number_agreement, number_masks, span_masks
from aligner.align.firstpass import cell_similarity, first_path
from aligner.align.scoring import Params, length_agreement, link_gain, linked_ratio, span_norms
from aligner.embed.base import rowwise_dot
from aligner.embed.cache import EmbeddingStore
from aligner.memory import release_freed_memory
from aligner.normalize import for_matching
from aligner.types import Link


@dataclass(frozen=True, slots=True)
class Sides:
    """Both sides' texts, vectors ``(n, dim)`` / ``(m, dim)``, matching lengths and their ratio
    (shared with the order-free matcher, which aligns windows of a document with it)."""

    src: Sequence[str]
    tgt: Sequence[str]
    src_vec: np.ndarray
    tgt_vec: np.ndarray
    src_len: np.ndarray
    tgt_len: np.ndarray
    ratio: float


def align_ordered(src: Sequence[str], tgt: Sequence[str], store: EmbeddingStore,
                  params: Params | None = None, sides: Sides | None = None,
                  last: bool = True) -> list[Link]:
    """Links covering every sentence of both sides exactly once, in document order
    (``sides``: the caller's :func:`prepare_sides` of these texts, when it has them;
    ``last``: no other alignment will use ``store`` after this one, see
    :func:`align_in_band`)."""
    if not src or not tgt:
        return [Link((i,), (), None) for i in range(len(src))] + [
            Link((), (j,), None) for j in range(len(tgt))]
    return path_links(ordered_path(sides or prepare_sides(src, tgt, store), store, params, last))


class ScoredPath(NamedTuple):
    """Links as arrays, before any :class:`Link` is made (at 50,000 a side, making them
    costs a tenth of a second: once is enough). ``spans``: ``(k, 4)`` int64 ``(i0, i1, j0,
    j1)`` half-open ranges; ``scores``: each link's :attr:`Link.score` (None when one-sided)."""

    spans: np.ndarray
    scores: list[float | None]


def ordered_path(sides: Sides, store: EmbeddingStore, params: Params | None = None,
                 last: bool = True) -> ScoredPath:
    """:func:`align_ordered` of two non-empty sides, as arrays (see :class:`ScoredPath`)."""
    params = params or Params()
    rng = np.random.default_rng(0)
    path = first_path(sides.src_vec, sides.tgt_vec, rng)
    release_freed_memory(len(sides.src) + len(sides.tgt))  # the first pass's temporaries
    band = band_around(path, len(sides.src), len(sides.tgt), params.band_radius)
    sim11 = cell_similarity(sides.src_vec, sides.tgt_vec, band)
    return band_path(_with_ratio(sides, path, band, sim11), band, store, params, sim11,
                     last=last)


def prepare_sides(src: Sequence[str], tgt: Sequence[str], store: EmbeddingStore) -> Sides:
    """Vectors and matching lengths of both sides; the ratio from whole-document totals."""
    src_keys, tgt_keys = [for_matching(t) for t in src], [for_matching(t) for t in tgt]
    src_len = np.fromiter(map(len, src_keys), dtype=np.float64, count=len(src))
    tgt_len = np.fromiter(map(len, tgt_keys), dtype=np.float64, count=len(tgt))
    ratio = float(src_len.sum() / max(tgt_len.sum(), 1.0))
    return Sides(src, tgt, store.vectors(src, src_keys), store.vectors(tgt, tgt_keys), src_len,
                 tgt_len, ratio)


def _with_ratio(sides: Sides, path: np.ndarray, band: Band, sim11: np.ndarray) -> Sides:
    """``sides`` with the length ratio of the first pass's 1-1 links (:func:`linked_ratio`);
    their cosines are read from the band's (``sim11``, as :func:`cell_similarity` gives it)."""
    steps = np.diff(path, axis=0)
    ends = path[1:][(steps[:, 0] == 1) & (steps[:, 1] == 1)]
    ratio = linked_ratio(sides.src_len[ends[:, 0] - 1], sides.tgt_len[ends[:, 1] - 1],
                         sim11[band.index(ends[:, 0], ends[:, 1])], sides.ratio)
    return Sides(sides.src, sides.tgt, sides.src_vec, sides.tgt_vec, sides.src_len,
                  sides.tgt_len, ratio)


def align_in_band(sides: Sides, band: Band, store: EmbeddingStore, params: Params,
                  sim11: np.ndarray | None = None, last: bool = False) -> list[Link]:
    """The links of :func:`band_path`."""
    return path_links(band_path(sides, band, store, params, sim11, last))


def band_path(sides: Sides, band: Band, store: EmbeddingStore, params: Params,
              sim11: np.ndarray | None = None, last: bool = False) -> ScoredPath:
    """The final DP: every link type, in two rounds (``sim11``: the band's 1-1 cosines, when
    the caller has them; ``last``: no merge of these sentences will be embedded after this
    one, so the store may drop what it composes spans from, ~0.6 KB a sentence).

    Round one scores merged spans cheaply (from the 1-1 cosines); its path names the merges
    worth a real look: its own n-m links, and each one-sided link joined to a neighbour. Only
    those spans are embedded as joined text, and round two decides with their real scores.
    Round two's path, which often differs from the draft where merges are, names a few more
    (8 % more on MAC dev); when it does, they are embedded too and round three decides.
    """
    if sim11 is None:
        sim11 = cell_similarity(sides.src_vec, sides.tgt_vec, band)
    moves = params.linked
    gains = np.full((len(moves), band.size), -np.inf, dtype=np.float32)
    merges = [(t, a, b) for t, (a, b) in enumerate(moves) if a + b > 2]
    norms = _SpanNorms(sides, params.moves)
    for start in range(0, band.size, CHUNK):  # bounded temporaries at any document length
        cells = slice(start, start + CHUNK)
        ci, cj = band.cells_in(start, start + CHUNK)
        ends = _Ends(sides, band, sim11, norms, ci, cj)
        for t, (a, b) in enumerate(moves):
            if (a, b) == (1, 1):
                agree = length_agreement(sides.src_len[ci - 1], sides.tgt_len[cj - 1], sides.ratio)
                gain = link_gain(params, sim11[cells], agree, 1, 1)
                gain += _number_term(ends, 1, 1, params.number_weight)
                gains[t, cells] = np.where((ci > 0) & (cj > 0), gain, -np.inf)
            else:
                cheap, weakest = _cheap_merge_similarity(ends, a, b)
                ok = np.isfinite(cheap) & (weakest >= params.part_floor)
                agree = _span_agreement(ends, a, b)
                gain = link_gain(params, cheap, agree, a, b)
                gain += _number_term(ends, a, b, params.number_weight)
                gains[t, cells] = np.where(ok, gain, -np.inf)
    skip_source = np.full(len(sides.src), params.skip)
    skip_target = np.full(len(sides.tgt), params.skip)
    draft = best_path(band, moves, gains, skip_source, skip_target)
    release_freed_memory(len(sides.src) + len(sides.tgt))
    tried = _merge_candidates(draft, set(params.moves))
    del draft  # 100,000 tuples at 100k per side, not kept through round two
    real = _real_merges(tried, {}, sides, band, sim11, norms, params, store, last)
    if last:
        release_freed_memory(len(sides.src) + len(sides.tgt))
    for t, _, _ in merges:
        gains[t] = -np.inf
    _set_real_gains(gains, real, sides, band, sim11, norms, params)
    spans = best_path_array(band, moves, gains, skip_source, skip_target)
    more = _path_candidates(spans, set(params.moves)) - tried
    found = _real_merges(more, real, sides, band, sim11, norms, params, store, last)
    if found:  # round three
        real.update(found)
        _set_real_gains(gains, found, sides, band, sim11, norms, params)
        spans = best_path_array(band, moves, gains, skip_source, skip_target)
    del gains  # ~100 MB at 100,000 sentences a side, before the Link objects are made
    return ScoredPath(spans, _scores(spans, band, sim11, real))


def _real_merges(links: set[tuple[int, int, int, int]],
                 real: dict[tuple[int, int, int, int], float], sides: Sides, band: Band,
                 sim11: np.ndarray, norms: _SpanNorms, params: Params, store: EmbeddingStore,
                 last: bool) -> dict[tuple[int, int, int, int], float]:
    """The real cosines of the admissible ``links`` (see :func:`_admissible`), embedded in one
    batch, less those that hold untranslated neighbours (:func:`_glued`; ``real``: the merges
    already embedded, which the check may shrink them to)."""
    if not links:
        return {}
    found = _embed_merges(_admissible(links, sides, band, sim11, norms, params), sides, store,
                          last)
    known = {**_one_to_one(band, sim11, found), **real, **found}
    return {link: sim for link, sim in found.items()
            if not _glued(link, sim, sides, store, known)}


def _by_move(links) -> dict[tuple[int, int], tuple[list, np.ndarray, np.ndarray]]:
    """Links grouped by size ``(a, b)``: the links, and their end cells' ``i`` and ``j``."""
    groups: dict[tuple[int, int], list] = {}
    for link in links:
        groups.setdefault((link[1] - link[0], link[3] - link[2]), []).append(link)
    return {size: (found, np.array([f[1] for f in found], dtype=np.int64),
                   np.array([f[3] for f in found], dtype=np.int64))
            for size, found in groups.items()}


def _admissible(links: set[tuple[int, int, int, int]], sides: Sides, band: Band,
                sim11: np.ndarray, norms: _SpanNorms, params: Params
                ) -> set[tuple[int, int, int, int]]:
    """The merges round two may use: inside the band, and no short part scoring below
    ``part_floor`` on its own. Checked before embedding: most merges grown over one-sided
    neighbours fail it, and each would cost an encoder call for nothing."""
    keep = set()
    for (a, b), (found, end_i, end_j) in _by_move(links).items():
        cells = band.index(end_i, end_j)
        cheap, weakest = _cheap_merge_similarity(_Ends(sides, band, sim11, norms, end_i, end_j),
                                                 a, b)
        ok = (cells >= 0) & np.isfinite(cheap) & (weakest >= params.part_floor)
        keep.update(link for link, fits in zip(found, ok.tolist(), strict=True) if fits)
    return keep


def _set_real_gains(gains: np.ndarray, real: dict[tuple[int, int, int, int], float], sides: Sides,
                    band: Band, sim11: np.ndarray, norms: _SpanNorms, params: Params) -> None:
    """Round two's merge gains: each embedded (admissible) link's real cosine at its end cell."""
    for (a, b), (found, end_i, end_j) in _by_move(real).items():
        t = params.linked.index((a, b))
        sims = np.array([real[link] for link in found], dtype=np.float32)
        ends = _Ends(sides, band, sim11, norms, end_i, end_j)
        gain = link_gain(params, sims, _span_agreement(ends, a, b), a, b)
        gain += _number_term(ends, a, b, params.number_weight)
        gains[t, band.index(end_i, end_j)] = gain


CHUNK = 1 << 16
"""Band cells whose merge scores are computed at once (about 12 MB of temporaries)."""


def _ends_with(texts: Sequence[str], marks: tuple[str, ...], closers: str = "") -> np.ndarray:
    """``(len(texts),)`` bool: does each text end on one of ``marks``, spaces and any of
    ``closers`` after it aside?"""
    strip = closers + " \u00a0\u202f\u2009"  # French puts a (thin) space before »
    return np.fromiter((t.rstrip().rstrip(strip).endswith(marks) for t in texts), dtype=bool,
                       count=len(texts))


class _SpanNorms:
    """``|v[k] + … + v[k + size - 1]|`` for each side and span size the moves need, each
    side's prefix sums of lengths, and which sentences end on a clause mark, computed once
    (``O(n · dim)``) and read per cell."""

    def __init__(self, sides: Sides, moves: Sequence[tuple[int, int]]):
        self.src = span_norms(sides.src_vec, {a for a, _ in moves if a > 1})
        self.tgt = span_norms(sides.tgt_vec, {b for _, b in moves if b > 1})
        src_numbers, tgt_numbers = number_masks(sides.src), number_masks(sides.tgt)
        self.src_numbers = {a: span_masks(src_numbers, a) for a in {a for a, _ in moves} if a}
        self.tgt_numbers = {b: span_masks(tgt_numbers, b) for _, b in moves if b}
        self.src_short = _short_codes(sides.src, sides.src_len)
        self.tgt_short = _short_codes(sides.tgt, sides.tgt_len)
        self.src_prefix = np.concatenate([[0.0], np.cumsum(sides.src_len)])
        self.tgt_prefix = np.concatenate([[0.0], np.cumsum(sides.tgt_len)])


class _Ends:
    """What the gains of links ending at cells ``(i, j)`` (a chunk of the band, or some links'
    end cells) read, each looked up once and shared by every link type that needs it: the
    1-1 cosines at ``(i - p, j - q)``, and per side and span size the spans' norms, lengths,
    numbers and short pieces (each lookup is a pass over all the cells)."""

    def __init__(self, sides: Sides, band: Band, sim11: np.ndarray, tables: _SpanNorms,
                 i: np.ndarray, j: np.ndarray):
        self.sides, self.band, self.sim11, self.tables, self.i, self.j = (
            sides, band, sim11, tables, i, j)
        self._found: dict[tuple, Any] = {}

    def _once(self, key: tuple, compute: Callable[[], Any]) -> Any:
        if key not in self._found:
            self._found[key] = compute()
        return self._found[key]

    def shifted(self, p: int, q: int) -> tuple[np.ndarray, np.ndarray]:
        """(inside the band, cosine there; 0 outside it and on row/column 0) per cell."""
        return self._once(("shifted", p, q), lambda: self._cosines(p, q))

    def _cosines(self, p: int, q: int) -> tuple[np.ndarray, np.ndarray]:
        idx = self.band.index(self.i - p, self.j - q)
        inside = idx >= 0
        values = np.where(inside, self.sim11[np.maximum(idx, 0)], 0.0)
        values[~np.isfinite(values)] = 0.0  # row/column 0 cells, outside every link that fits
        return inside, values

    def norms(self, source: bool, size: int) -> np.ndarray | None:
        """``|Σv|`` of the ``size``-sentence span ending at each cell (clipped where it does
        not fit); None for single sentences or a side shorter than the span."""
        return self._span_rows("norms", self.tables.src if source else self.tables.tgt,
                               source, size)

    def lengths(self, source: bool, size: int) -> np.ndarray:
        """Matching length of the ``size``-sentence span ending at each cell (any cell: spans
        that do not fit are clipped, and those cells are refused elsewhere)."""
        prefix = self.tables.src_prefix if source else self.tables.tgt_prefix

        def compute() -> np.ndarray:
            end = np.clip(self.end(source), 0, len(prefix) - 1)
            return prefix[end] - prefix[np.maximum(end - size, 0)]
        return self._once(("lengths", source, size), compute)

    def numbers(self, source: bool, size: int) -> np.ndarray | None:
        """Number mask of the ``size``-sentence span ending at each cell (None: no table)."""
        return self._span_rows("numbers", self.tables.src_numbers if source
                               else self.tables.tgt_numbers, source, size)

    def _span_rows(self, name: str, tables: dict[int, np.ndarray], source: bool, size: int
                   ) -> np.ndarray | None:
        """Row ``end - size`` (clipped) of ``tables[size]`` for each cell, looked up once;
        None when there is no such table or it is empty."""
        table = tables.get(size)
        if table is None or len(table) == 0:
            return None
        return self._once((name, source, size), lambda: table[np.clip(
            self.end(source) - size, 0, len(table) - 1)])

    def short(self, source: bool, size: int) -> np.ndarray:
        """:func:`_short_parts` of the ``size``-sentence span ending at each cell."""
        codes = self.tables.src_short if source else self.tables.tgt_short
        return self._once(("short", source, size),
                          lambda: _short_parts(codes, self.end(source), size))

    def end(self, source: bool) -> np.ndarray:
        return self.i if source else self.j


def _masked_norm(norms: np.ndarray | None, ok: np.ndarray) -> np.ndarray:
    """Span norms where the link fits, 1 elsewhere (and for single sentences)."""
    if norms is None:
        return np.ones(len(ok), dtype=np.float32)
    return np.where(ok, norms, 1.0)


def _cheap_merge_similarity(ends: _Ends, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
    """``cos(Σx, Σy)`` of the ``a``-``b`` link ending at each of ``ends``, from 1-1 cosines
    alone, and the cosine of its weakest short part with the other side's span.

    A merge is only as good as its weakest sentence: a credit line or "Lire aussi" glued to a
    real translation barely moves the span's vector, but scores near zero on its own.
    Returns two ``(len(i),)`` float32 arrays; ``-inf`` where the link does not fit.
    """
    ok = (ends.i >= a) & (ends.j >= b)
    pair = np.zeros((a, b, len(ok)), dtype=np.float32)
    for p in range(a):
        for q in range(b):
            inside, values = ends.shifted(p, q)
            ok &= inside
            pair[p, q] = values
    src_norm = _masked_norm(ends.norms(True, a), ok)
    tgt_norm = _masked_norm(ends.norms(False, b), ok)
    cheap = pair.sum(axis=(0, 1)) / np.maximum(src_norm * tgt_norm, 1e-6)
    weakest = np.full(len(ok), np.inf, dtype=np.float32)
    if a > 1:  # each short source sentence against the whole target span
        part = np.where(ends.short(True, a), pair.sum(axis=1) / tgt_norm, np.inf)
        weakest = np.minimum(weakest, part.min(axis=0))
    if b > 1:
        part = np.where(ends.short(False, b), pair.sum(axis=0) / src_norm, np.inf)
        weakest = np.minimum(weakest, part.min(axis=0))
    return np.where(ok, cheap, -np.inf), np.where(ok, weakest, -np.inf)


GLUED_PART = 0.3
"""An edge sentence scoring below this against the other side's span may be glued on…"""
GLUED_COST = 0.1
"""…and is, when the link scores this much better without it…"""
UNRELATED_PART = 0.1
UNRELATED_COST = 0.05
"""…or, for an edge sentence scoring below ``UNRELATED_PART`` (nothing in common with the
other side), this much better. One bar of 0.05 for all kept out the FLORES dev families'
inserted sentences as well, but split 2 % more of MAC dev's real expansions (a translator's
added sentence scores 0.1-0.3 alone) into a link and an unlinked sentence; one bar of 0.1 let
unrelated lines in (bench/tune_gain.py)."""


def _glued(link: tuple[int, int, int, int], sim: float, sides: Sides, store: EmbeddingStore,
           known: dict[tuple[int, int, int, int], float]) -> bool:
    """True when a merged link holds untranslated neighbours at its edges.

    A caption beside a post, or a sentence the translator dropped, passes as a merge when the
    length term likes the longer span; the cosines show it: each such sentence alone scores
    low against the other side, and a smaller link without them scores clearly better. (A
    real split whose second half the encoder ignores keeps its cosine, so it stays merged.)
    """
    i0, i1, j0, j1 = link
    src_part = _part_cosines(sides.src[i0:i1], " ".join(sides.tgt[j0:j1]), store)
    tgt_part = _part_cosines(sides.tgt[j0:j1], " ".join(sides.src[i0:i1]), store)
    for a0, a1, b0, b1 in _sub_links(link):
        reduced = known.get((a0, a1, b0, b1))
        if reduced is None:
            continue
        dropped = max(*src_part[:a0 - i0], *src_part[a1 - i0:], *tgt_part[:b0 - j0],
                      *tgt_part[b1 - j0:], -1.0)
        bar = UNRELATED_COST if dropped < UNRELATED_PART else GLUED_COST
        if reduced - sim > bar and dropped < GLUED_PART:
            return True
    return False


def _sub_links(link: tuple[int, int, int, int]) -> list[tuple[int, int, int, int]]:
    """Every smaller link inside ``link`` (contiguous, two-sided)."""
    i0, i1, j0, j1 = link
    return [(a0, a1, b0, b1) for a0 in range(i0, i1) for a1 in range(a0 + 1, i1 + 1)
            for b0 in range(j0, j1) for b1 in range(b0 + 1, j1 + 1)
            if (a0, a1, b0, b1) != link]


def _part_cosines(sentences: Sequence[str], other: str, store: EmbeddingStore) -> list[float]:
    """Cosine of each sentence with the other side's joined span (all cached embeddings)."""
    vectors = store.lookup([*sentences, other])
    return (vectors[:-1] @ vectors[-1]).tolist()


SHORT_PART = 30
"""Characters below which a merged sentence must carry its own weight (see part_floor)."""


CLAUSE_MARKS = (";", ":", "؛")
"""A "sentence" ending in one of these is a clause the segmentation cut off (Text+Berg's gold
does this); the next piece continues it, so neither has to carry weight of its own."""


SENTENCE_STOPS = (".", "!", "?", "…", "؟", "。", "！", "？")
"""A short piece ending like a sentence is text (a translator's "Pas de difficultés notables.",
a line of dialogue "'Stop it! Shut up!'", or an abbreviation's tail "C ) ."), not the web
furniture the part floor keeps out of merges: credits, "Lire aussi", dates, handles and links
end on none of these. Closing quotes and brackets after the stop do not count
(:data:`CLOSERS`)."""

CLOSERS = "'\"’”»›)]）」』"
"""Closing quotes and brackets that may follow a sentence's stop."""


BARE_SHORT, CLAUSE_AFTER, CLAUSE_BEFORE = 1, 2, 4
"""Bits of :func:`_short_codes`: a short piece that does not end like a sentence; it ends on
a clause mark; the sentence before it does."""


def _short_codes(texts: Sequence[str], lengths: np.ndarray) -> np.ndarray:
    """``(len(texts),)`` uint8: each sentence's :data:`BARE_SHORT` / :data:`CLAUSE_AFTER` /
    :data:`CLAUSE_BEFORE` bits, so that a span reads one code per sentence."""
    clause = _ends_with(texts, CLAUSE_MARKS)
    codes = ((lengths < SHORT_PART) & ~_ends_with(texts, SENTENCE_STOPS, CLOSERS)
             ).astype(np.uint8)
    codes |= clause.astype(np.uint8) * CLAUSE_AFTER
    codes[1:] |= clause[:-1].astype(np.uint8) * CLAUSE_BEFORE
    return codes


def _short_parts(codes: np.ndarray, end: np.ndarray, size: int) -> np.ndarray:
    """``(size, cells)`` bool: is sentence ``end - 1 - k`` of each cell's span a short piece
    that neither ends like a sentence nor is joined to a neighbour inside the span by a
    clause mark?"""
    last = max(len(codes) - 1, 0)
    short = np.empty((size, len(end)), dtype=bool)
    for k in range(size):  # k = 0 is the span's last sentence
        glue = (CLAUSE_AFTER if k > 0 else 0) | (CLAUSE_BEFORE if k < size - 1 else 0)
        short[k] = codes[np.clip(end - 1 - k, 0, last)] & (BARE_SHORT | glue) == BARE_SHORT
    return short


def _number_term(ends: _Ends, a: int, b: int, weight: float) -> np.ndarray:
    """``weight · (agreement − ½)`` of the numbers of the ``a``-``b`` links ending at each of
    ``ends``: positive when their figures match, negative when they differ, 0 without."""
    src, tgt = ends.numbers(True, a), ends.numbers(False, b)
    if not weight or src is None or tgt is None:
        return np.zeros(len(ends.i), dtype=np.float32)
    return weight * (number_agreement(src, tgt) - 0.5)


def _span_agreement(ends: _Ends, a: int, b: int) -> np.ndarray:
    """Length agreement of the ``a``-``b`` links ending at each of ``ends``."""
    return length_agreement(ends.lengths(True, a), ends.lengths(False, b), ends.sides.ratio)


def _merge_candidates(draft: list[tuple[int, int, int, int]], moves: set[tuple[int, int]]
                      ) -> set[tuple[int, int, int, int]]:
    """Merged links worth embedding: the draft's own, and each two-sided link grown over the
    one-sided links next to it (a translator's split that the draft left half unlinked)."""
    found = {link for link in draft if (link[1] - link[0]) + (link[3] - link[2]) > 2}
    one_sided = [False, *(i1 == i0 or j1 == j0 for i0, i1, j0, j1 in draft), False]
    beside = [k for k in range(len(draft))  # two-sided, with a one-sided neighbour
              if not one_sided[k + 1] and (one_sided[k] or one_sided[k + 2])]
    for k in beside:
        i0, i1, j0, j1 = draft[k]
        before = _one_sided_run(draft, k, -1)
        after = _one_sided_run(draft, k, +1)
        for left in range(len(before) + 1):
            for right in range(len(after) + 1):
                parts = [*before[:left], (i0, i1, j0, j1), *after[:right]]
                merged = (min(p[0] for p in parts), max(p[1] for p in parts),
                          min(p[2] for p in parts), max(p[3] for p in parts))
                if (merged[1] - merged[0], merged[3] - merged[2]) in moves and left + right:
                    found.add(merged)
    return found


def _path_candidates(spans: np.ndarray, moves: set[tuple[int, int]]
                     ) -> set[tuple[int, int, int, int]]:
    """:func:`_merge_candidates` of a path given as arrays (``(k, 4)`` link spans), made as
    tuples only around its merged and one-sided links: at 100,000 links a side, a clean
    document would otherwise hold 100,000 tuples (~15 MB) while the DP's gains are alive."""
    sizes = spans[:, [1, 3]] - spans[:, [0, 2]]
    plain = (sizes == 1).all(axis=1)
    context = np.zeros(len(spans), dtype=bool)
    unusual = np.flatnonzero(~plain)
    # A candidate grows a two-sided link over the one-sided links next to it: each of its
    # parts is an unusual link or the neighbour of one.
    for shift in (-1, 0, 1):
        context[np.clip(unusual + shift, 0, len(spans) - 1)] = True
    chosen = np.flatnonzero(context)
    found: set[tuple[int, int, int, int]] = set()
    for run in np.split(chosen, np.flatnonzero(np.diff(chosen) > 1) + 1):
        if len(run):  # each run starts and ends on plain 1-1 links (or a document edge)
            found |= _merge_candidates(list(map(tuple, spans[run].tolist())), moves)
    return found


def _one_to_one(band: Band, sim11: np.ndarray, links) -> dict[tuple[int, int, int, int], float]:
    """Cosines of the 1-1 links inside ``links`` (the parts a merge could shrink to)."""
    pairs = sorted({(i, j) for i0, i1, j0, j1 in links for i in range(i0, i1)
                    for j in range(j0, j1)})
    if not pairs:
        return {}
    at = np.array(pairs, dtype=np.int64)
    cells = band.index(at[:, 0] + 1, at[:, 1] + 1)
    return {(i, i + 1, j, j + 1): float(sim11[cell])
            for (i, j), cell in zip(pairs, cells.tolist(), strict=True) if cell >= 0}


def _one_sided_run(draft, k: int, step: int, limit: int = 3) -> list[tuple[int, int, int, int]]:
    """Up to ``limit`` consecutive one-sided links next to ``draft[k]``, nearest first."""
    run = []
    n = k + step
    while 0 <= n < len(draft) and len(run) < limit:
        i0, i1, j0, j1 = draft[n]
        if i1 > i0 and j1 > j0:
            break
        run.append(draft[n])
        n += step
    return run


def _embed_merges(links: set[tuple[int, int, int, int]], sides: Sides, store: EmbeddingStore,
                  last: bool = False) -> dict[tuple[int, int, int, int], float]:
    """Cosine of each link's joined source and target text, embedded in one batch (``last``:
    the store may drop its span parts once these are composed, see :func:`align_in_band`)."""
    ordered = sorted(links)
    both = store.span_vectors([sides.src[i0:i1] for i0, i1, _, _ in ordered]
                              + [sides.tgt[j0:j1] for _, _, j0, j1 in ordered], drop_parts=last)
    sims = rowwise_dot(both[:len(ordered)], both[len(ordered):])
    return dict(zip(ordered, sims.tolist(), strict=True))


def _scores(spans: np.ndarray, band: Band, sim11: np.ndarray,
            real: dict[tuple[int, int, int, int], float]) -> list[float | None]:
    """Each link's cosine, clipped to [0, 1] and rounded (None for one-sided links): from the
    band for 1-1 links (looked up all at once), the joined texts' for merges."""
    sizes = spans[:, [1, 3]] - spans[:, [0, 2]]
    sims = np.full(len(spans), np.nan)
    single = (sizes[:, 0] == 1) & (sizes[:, 1] == 1)
    sims[single] = sim11[band.index(spans[single, 1], spans[single, 3])]
    merged = np.flatnonzero((sizes > 0).all(axis=1) & ~single)
    sims[merged] = [real[link] for link in map(tuple, spans[merged].tolist())]
    two_sided = (sizes > 0).all(axis=1).tolist()
    return [round(min(max(sim, 0.0), 1.0), 4) if two else None
            for sim, two in zip(sims.tolist(), two_sided, strict=True)]


def path_links(path: ScoredPath, confidences: Sequence[float] | None = None) -> list[Link]:
    """The :class:`Link` objects of ``path`` (with their confidences, when given)."""
    confidences = [None] * len(path.scores) if confidences is None else confidences
    return [Link(tuple(range(i0, i1)), tuple(range(j0, j1)), score, (), None, confidence)
            for (i0, i1, j0, j1), score, confidence
            in zip(path.spans.tolist(), path.scores, confidences, strict=True)]
