"""Choosing links among overlapping candidates, and pairing what is left over.

The order-free matcher proposes more links than it can keep (windows overlap); the kept set
shares no sentence and has the highest total gain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.align.anchors import ratio_margin
from aligner.embed.base import as_float32
from aligner.types import Link

Spans = tuple[tuple[int, ...], tuple[int, ...]]
"""A link's source and target sentence indices."""
PAIR_FLOOR = 0.4
"""Cosine a leftover pair, with no support from its neighbours, must reach. On FLORES-200 dev
(USE-m) 99.2 % of true pairs reach it and 99.97 % of pairs from different articles do not."""
EXACT_LIMIT = 16
"""Conflicting candidates up to this many are resolved exactly, larger groups greedily."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed link, its cosine and its gain (as the ordered DP scores it)."""

    spans: Spans
    sim: float
    gain: float


def best_disjoint(candidates: list[Candidate]) -> list[Candidate]:
    """The links sharing no sentence with the highest total gain, one conflict group at a time."""
    kept = []
    for group in _conflict_groups(candidates):
        if len(group) <= EXACT_LIMIT:
            kept += _exact(group)[1]
        else:
            kept += _greedy(group)
    return kept


def _conflict_groups(candidates: list[Candidate]) -> list[list[Candidate]]:
    """Candidates linked, directly or not, by a shared sentence (union-find on sentences)."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for c in candidates:
        nodes = [("s", k) for k in c.spans[0]] + [("t", k) for k in c.spans[1]]
        for node in nodes[1:]:
            parent[root(node)] = root(nodes[0])
    groups: dict[tuple[str, int], list[Candidate]] = {}
    for c in candidates:
        groups.setdefault(root(("s", c.spans[0][0])), []).append(c)
    return list(groups.values())


def _exact(group: list[Candidate]) -> tuple[float, list[Candidate]]:
    """Maximum-gain subset of pairwise disjoint candidates (all gains are positive): branch
    on the first candidate, taking it outright when it conflicts with none of the rest."""
    if not group:
        return 0.0, []
    first, rest = group[0], group[1:]
    free = [c for c in rest if not _overlap(first, c)]
    gain, chosen = _exact(free)
    taken = (gain + first.gain, [first, *chosen])
    return taken if len(free) == len(rest) else max(taken, _exact(rest), key=lambda r: r[0])


def _greedy(group: list[Candidate]) -> list[Candidate]:
    kept: list[Candidate] = []
    for c in sorted(group, key=lambda c: (-c.gain, c.spans)):
        if not any(_overlap(c, k) for k in kept):
            kept.append(c)
    return kept


def _overlap(a: Candidate, b: Candidate) -> bool:
    return bool(set(a.spans[0]) & set(b.spans[0]) or set(a.spans[1]) & set(b.spans[1]))


def pair_leftovers(src_vec, tgt_vec, src_free: np.ndarray, tgt_free: np.ndarray,
                   density: tuple[np.ndarray, np.ndarray]) -> list[Link]:
    """Greedy best-first 1-1 pairs among unowned sentences, by ratio margin (``density``:
    each sentence's neighbourhood density, source and target, from
    :func:`aligner.align.anchors.nearest`); the rest one-sided."""
    s_idx, t_idx = np.flatnonzero(src_free), np.flatnonzero(tgt_free)
    links: list[Link] = []
    if len(s_idx) and len(t_idx):
        sims = as_float32(src_vec[s_idx]) @ as_float32(tgt_vec[t_idx]).T
        rank = ratio_margin(sims, density[0][s_idx], density[1][t_idx])
        flat = np.flatnonzero(sims >= PAIR_FLOOR)
        order = flat[np.argsort(-rank.ravel()[flat], kind="stable")]
        used_s, used_t = set(), set()
        for a, b in zip(*np.divmod(order, len(t_idx)), strict=True):
            a, b = int(a), int(b)
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
