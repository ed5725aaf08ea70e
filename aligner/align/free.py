"""Order-free alignment: for documents whose pieces are shuffled, duplicated or missing.

1. Mutual nearest neighbours above a similarity floor become anchors (the idea behind margin
   mining of parallel sentences, Artetxe & Schwenk 2019): a sentence whose best match also
   picks it back is rarely wrong, wherever it sits.
2. Anchors whose positions advance together on both sides form *runs*: pieces that kept their
   inner order. Each run, widened to the unanchored sentences around it, is aligned with the
   ordered DP, so merges and splits inside a piece still become 1-2 / 2-1 links.
3. Sentences left over are paired greedily by similarity above the floor; the rest stay
   one-sided. Every sentence ends up in exactly one link.

Similarities are computed block by block and only the top candidates kept, so memory is
linear; time is ``O(n · m · dim)``, which is what order-freedom costs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aligner.align.ordered import align_ordered
from aligner.align.scoring import Params
from aligner.embed.cache import EmbeddingStore
from aligner.types import Link

ANCHOR_FLOOR = 0.5
"""Cosine below which a mutual best match is not trusted (USE-m: 99 % of the best wrong
matches of a FLORES sentence score below ~0.6, 95 % of true pairs above 0.5)."""
PAIR_FLOOR = 0.45
MAX_GAP = 3
BLOCK = 2048


def nearest(src: np.ndarray, tgt: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Best target per source and best source per target, with their cosines.

    Returns ``(src_best (n,), src_sim (n,), tgt_best (m,), tgt_sim (m,))``.
    """
    n, m = len(src), len(tgt)
    src_best, src_sim = np.zeros(n, np.int64), np.full(n, -np.inf, np.float32)
    tgt_best, tgt_sim = np.zeros(m, np.int64), np.full(m, -np.inf, np.float32)
    for start in range(0, n, BLOCK):
        block = src[start:start + BLOCK] @ tgt.T
        src_best[start:start + BLOCK] = block.argmax(1)
        src_sim[start:start + BLOCK] = block.max(1)
        col_best = block.argmax(0)
        col_sim = block[col_best, np.arange(m)]
        better = col_sim > tgt_sim
        tgt_best[better] = col_best[better] + start
        tgt_sim[better] = col_sim[better]
    return src_best, src_sim, tgt_best, tgt_sim


def mutual_anchors(src: np.ndarray, tgt: np.ndarray, floor: float = ANCHOR_FLOOR) -> np.ndarray:
    """Pairs ``(k, 2)`` that are each other's nearest neighbour with cosine ≥ ``floor``."""
    src_best, src_sim, tgt_best, _ = nearest(src, tgt)
    i = np.flatnonzero((tgt_best[src_best] == np.arange(len(src))) & (src_sim >= floor))
    return np.stack([i, src_best[i]], axis=1) if len(i) else np.zeros((0, 2), np.int64)


def align_free(src: Sequence[str], tgt: Sequence[str], store: EmbeddingStore,
               params: Params | None = None) -> list[Link]:
    """Links covering every sentence once, found without assuming the two sides share order."""
    params = params or Params()
    src_vec, tgt_vec = store.vectors(src), store.vectors(tgt)
    anchors = mutual_anchors(src_vec, tgt_vec)
    src_owner = np.full(len(src), -1)
    tgt_owner = np.full(len(tgt), -1)
    links: list[Link] = []
    for region, (s_range, t_range) in enumerate(_regions(anchors, src_owner, tgt_owner)):
        sub = align_ordered([src[k] for k in s_range], [tgt[k] for k in t_range], store, params)
        links.extend(_shift(link, s_range, t_range) for link in sub)
        src_owner[s_range] = region
        tgt_owner[t_range] = region
    links.extend(_pair_leftovers(src_vec, tgt_vec, src_owner < 0, tgt_owner < 0))
    return sorted(links, key=_order_key)


def _regions(anchors: np.ndarray, src_owner: np.ndarray, tgt_owner: np.ndarray):
    """Runs of anchors that advance together, widened over unanchored neighbours."""
    runs: list[list[tuple[int, int]]] = []
    for i, j in sorted(map(tuple, anchors.tolist())):
        last = runs[-1][-1] if runs else None
        if last and 0 < i - last[0] <= MAX_GAP and 0 < j - last[1] <= MAX_GAP:
            runs[-1].append((i, j))
        else:
            runs.append([(i, j)])
    anchored_src = set(anchors[:, 0].tolist())
    anchored_tgt = set(anchors[:, 1].tolist())
    claimed_src: set[int] = set()
    claimed_tgt: set[int] = set()
    for run in runs:
        s_range = _widen(run[0][0], run[-1][0], anchored_src, claimed_src, len(src_owner))
        t_range = _widen(run[0][1], run[-1][1], anchored_tgt, claimed_tgt, len(tgt_owner))
        claimed_src.update(s_range)
        claimed_tgt.update(t_range)
        yield np.array(s_range), np.array(t_range)


def _widen(first: int, last: int, anchored: set[int], claimed: set[int], size: int) -> list[int]:
    """``first..last`` plus up to ``MAX_GAP`` free sentences on each side."""
    lo = first
    while lo > 0 and first - lo < MAX_GAP and lo - 1 not in anchored and lo - 1 not in claimed:
        lo -= 1
    hi = last
    while (hi + 1 < size and hi - last < MAX_GAP
           and hi + 1 not in anchored and hi + 1 not in claimed):
        hi += 1
    return [k for k in range(lo, hi + 1) if k not in claimed]


def _shift(link: Link, s_range: np.ndarray, t_range: np.ndarray) -> Link:
    return Link(tuple(int(s_range[k]) for k in link.source),
                tuple(int(t_range[k]) for k in link.target), link.score)


def _pair_leftovers(src_vec, tgt_vec, src_free: np.ndarray, tgt_free: np.ndarray) -> list[Link]:
    """Greedy best-first 1-1 pairs among unowned sentences; the rest one-sided."""
    s_idx, t_idx = np.flatnonzero(src_free), np.flatnonzero(tgt_free)
    links: list[Link] = []
    if len(s_idx) and len(t_idx):
        sims = src_vec[s_idx] @ tgt_vec[t_idx].T
        order = np.argsort(-sims, axis=None, kind="stable")
        used_s, used_t = set(), set()
        for flat in order:
            a, b = divmod(int(flat), len(t_idx))
            if sims[a, b] < PAIR_FLOOR:
                break
            if a in used_s or b in used_t:
                continue
            used_s.add(a)
            used_t.add(b)
            links.append(Link((int(s_idx[a]),), (int(t_idx[b]),), round(float(sims[a, b]), 4)))
        s_idx = [s for k, s in enumerate(s_idx) if k not in used_s]
        t_idx = [t for k, t in enumerate(t_idx) if k not in used_t]
    links += [Link((int(s),), (), None) for s in s_idx]
    links += [Link((), (int(t),), None) for t in t_idx]
    return links


def _order_key(link: Link) -> tuple[float, float]:
    """Links by their first source sentence; target-only links by their target position."""
    return (link.source[0] if link.source else float("inf"),
            link.target[0] if link.target else -1)
