"""Re-alignment around a reviewer's decisions: fixed links stay, the stretches between move.

Why: a reviewer who fixes one link usually fixes its neighbourhood too; an ordered alignment
that must pass through the fixed links re-decides only the sentences between them. The
documents are cut at the fixed two-sided links (which must not cross); each stretch between
two of them is aligned with the ordered aligner. Fixed one-sided links (a sentence the
reviewer declared untranslated) keep their sentence out of every stretch.

A short stretch is solved whole (every DP state, :func:`band.full_band`) with the length ratio
of the reviewed links: the first pass's random-pair noise level and its own ratio need more
sentences than a stretch of a few has. A long stretch goes through :func:`align_ordered`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from aligner.align.band import full_band
from aligner.align.ordered import Sides, align_in_band, align_ordered, prepare_sides
from aligner.align.scoring import Params
from aligner.embed.cache import EmbeddingStore
from aligner.types import Link

SMALL = 40_000
"""DP states (n+1)(m+1) up to which a stretch is solved whole with the reviewed ratio."""


def check_anchors(fixed: Sequence[Link], n: int, m: int) -> None:
    """Raise ValueError unless ``fixed`` links are disjoint, in range and do not cross."""
    seen: tuple[set[int], set[int]] = (set(), set())
    for link in fixed:
        for indices, used, size, name in ((link.source, seen[0], n, "source"),
                                          (link.target, seen[1], m, "target")):
            for i in indices:
                if not 0 <= i < size:
                    raise ValueError(f"{name} sentence {i + 1} does not exist ({size} sentences)")
                if i in used:
                    raise ValueError(f"{name} sentence {i + 1} is in two fixed links")
                used.add(i)
    two_sided = sorted((link for link in fixed if link.source and link.target),
                       key=lambda link: min(link.source))
    for a, b in itertools.pairwise(two_sided):
        if max(a.source) >= min(b.source) or max(a.target) >= min(b.target):
            raise ValueError(
                f"fixed links cross (source {_show(a.source)} → target {_show(a.target)}, "
                f"source {_show(b.source)} → target {_show(b.target)}): an ordered alignment "
                "cannot keep both")


def align_anchored(src: Sequence[str], tgt: Sequence[str], store: EmbeddingStore,
                   fixed: Sequence[Link], params: Params | None = None) -> list[Link]:
    """Links covering every sentence once: ``fixed`` as they are, the rest re-aligned in order.

    Raises:
        ValueError: when the fixed links overlap, cross or point outside the documents.
    """
    params = params or Params()
    check_anchors(fixed, len(src), len(tgt))
    whole = prepare_sides(src, tgt, store)
    ratio = _reviewed_ratio(whole, fixed)
    pinned_src = {i for link in fixed if not link.target for i in link.source}
    pinned_tgt = {j for link in fixed if not link.source for j in link.target}
    two_sided = sorted((link for link in fixed if link.source and link.target),
                       key=lambda link: min(link.source))
    out: list[Link] = []
    prev_s = prev_t = -1
    for anchor in [*two_sided, None]:
        s_end = min(anchor.source) if anchor else len(src)
        t_end = min(anchor.target) if anchor else len(tgt)
        s_idx = [i for i in range(prev_s + 1, s_end) if i not in pinned_src]
        t_idx = [j for j in range(prev_t + 1, t_end) if j not in pinned_tgt]
        out += _stretch(whole, s_idx, t_idx, ratio, store, params)
        if anchor is None:
            break
        out.append(anchor)
        # A sentence between a fixed link's first and last index that it does not hold.
        out += [Link((i,), (), None) for i in range(s_end, max(anchor.source))
                if i not in anchor.source and i not in pinned_src]
        out += [Link((), (j,), None) for j in range(t_end, max(anchor.target))
                if j not in anchor.target and j not in pinned_tgt]
        prev_s, prev_t = max(anchor.source), max(anchor.target)
    for link in sorted((link for link in fixed if not (link.source and link.target)),
                       key=lambda link: (link.source or link.target)[0]):
        out.insert(_place(out, link), link)
    return out


def _stretch(whole: Sides, s_idx: list[int], t_idx: list[int], ratio: float | None,
             store: EmbeddingStore, params: Params) -> list[Link]:
    """The links of one stretch, in document indices."""
    if not s_idx or not t_idx:
        return [Link((i,), (), None) for i in s_idx] + [Link((), (j,), None) for j in t_idx]
    src = [whole.src[i] for i in s_idx]
    tgt = [whole.tgt[j] for j in t_idx]
    if ratio is not None and (len(src) + 1) * (len(tgt) + 1) <= SMALL:
        sides = Sides(src, tgt, whole.src_vec[s_idx], whole.tgt_vec[t_idx],
                      whole.src_len[s_idx], whole.tgt_len[t_idx], ratio)
        local = align_in_band(sides, full_band(len(src), len(tgt)), store, params)
    else:
        local = align_ordered(src, tgt, store, params, last=False)  # more stretches follow
    return [Link(tuple(s_idx[i] for i in link.source), tuple(t_idx[j] for j in link.target),
                 link.score) for link in local]


def _reviewed_ratio(whole: Sides, fixed: Sequence[Link]) -> float | None:
    """Source/target length ratio: the median over the reviewer's two-sided links (None when
    there is none: then the one stretch is the whole document, and the ordered aligner's own
    estimate from its first pass is the better one)."""
    ratios = [whole.src_len[list(link.source)].sum() / max(whole.tgt_len[list(link.target)].sum(),
                                                            1.0)
              for link in fixed if link.source and link.target]
    return float(np.median(ratios)) if ratios else None


def _place(links: list[Link], link: Link) -> int:
    """Where a fixed one-sided link goes: after the last link holding an earlier sentence of
    its side."""
    side = 0 if link.source else 1
    first = (link.source or link.target)[0]
    position = 0
    for k, other in enumerate(links):
        indices = other.source if side == 0 else other.target
        if indices and max(indices) < first:
            position = k + 1
    return position


def _show(indices: Sequence[int]) -> str:
    return ",".join(str(i + 1) for i in indices)
