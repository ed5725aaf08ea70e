"""Choosing between ordered and order-free alignment from the data itself.

Mutual nearest neighbours are reliable pairs wherever they sit. If the two sides follow the
same order, nearly all of them lie on one increasing chain; if pieces were shuffled, many fall
off it. The longest increasing subsequence measures exactly that.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np

from aligner.align.free import mutual_anchors

ORDERED_SHARE = 0.85
"""Share of anchors on the longest increasing chain above which the sides count as ordered."""
SAMPLE = 3000
MIN_ANCHORS = 4


def looks_ordered(src: np.ndarray, tgt: np.ndarray) -> bool:
    """True when the mutual best matches of ``src`` ``(n, dim)`` and ``tgt`` follow one order.

    On long documents the check runs on an evenly spaced sample of ``SAMPLE`` sentences per
    side, so it stays cheap; too few anchors to judge means "ordered" (the safe default).
    """
    src_rows = _sample(len(src))
    tgt_rows = _sample(len(tgt))
    anchors = mutual_anchors(src[src_rows], tgt[tgt_rows])
    if len(anchors) < MIN_ANCHORS:
        return True
    order = anchors[np.argsort(anchors[:, 0], kind="stable"), 1]
    return longest_increasing(order.tolist()) >= ORDERED_SHARE * len(order)


def longest_increasing(values: list[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting, O(k log k))."""
    tails: list[int] = []
    for v in values:
        k = bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
        else:
            tails[k] = v
    return len(tails)


def _sample(size: int) -> np.ndarray:
    if size <= SAMPLE:
        return np.arange(size)
    return np.linspace(0, size - 1, SAMPLE).round().astype(np.int64)
