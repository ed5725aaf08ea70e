"""Choosing between ordered and order-free alignment from the data itself.

Mutual nearest neighbours are reliable pairs wherever they sit. If the two sides follow the
same order, nearly all of them lie on one increasing chain; if pieces were shuffled, some fall
off it. The longest increasing subsequence measures exactly that.

How many may fall off by chance? On real ordered documents a few anchors are spurious (short
lines such as ``Photo :`` matching a caption elsewhere): 2-8 % of them on the Text+Berg books.
A page of news posts with its translations shuffled has 8-20 anchors, and one moved post puts
9 % or more off the chain. ``OFF_CHAIN_NOISE`` sits between the two, so a short page must keep
every anchor on the chain to count as ordered, while a book may lose a few. Guessing "free" for
an ordered page costs nothing there (the order-free aligner handles ordered pieces too), but
some links on a long, messy book (Text+Berg strict F1 0.82 against 0.87 ordered); guessing
"ordered" for a shuffled page loses every moved piece.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np

from aligner.align.anchors import mutual_anchors

OFF_CHAIN_NOISE = 0.09
"""Share of anchors off the longest increasing chain still put down to chance."""
ORDER_FLOOR = 0.4
"""Cosine for the mutual best matches judged here: lower than the order-free aligner's anchor
floor, so that a short moved post with a weaker translation still counts (the Text+Berg books
stay under ``OFF_CHAIN_NOISE`` with it)."""
SAMPLE = 3000
MIN_ANCHORS = 2


WARN_FLOOR = 0.5
WARN_SHARE = 0.3
WARN_ANCHORS = 4
"""Ordered mode warns only when more than ``WARN_SHARE`` of at least ``WARN_ANCHORS`` mutual
best matches of cosine ≥ ``WARN_FLOOR`` fall off one chain. ``auto``'s own test is too eager
for a warning: it judged 10 of the 24 MAC-Test chapters (zh-en novels, in order; spurious
anchors among short dialogue lines) and one Text+Berg test book out of order. At these
settings the ordered real sets (MAC dev and test, Text+Berg dev and test) reach at most 0.24
off the chain, and nine in ten of the FLORES shuffled documents (dev and devtest) 0.375 or
more."""


def looks_ordered(src: np.ndarray, tgt: np.ndarray) -> bool:
    """True when the mutual best matches of ``src`` ``(n, dim)`` and ``tgt`` follow one order.

    On long documents the check runs on an evenly spaced sample of ``SAMPLE`` sentences per
    side, so it stays cheap; fewer than two anchors means "ordered" (nothing to judge by).
    """
    off_chain, anchors = _off_chain(src, tgt, ORDER_FLOOR)
    return anchors < MIN_ANCHORS or off_chain <= OFF_CHAIN_NOISE * anchors


def clearly_unordered(src: np.ndarray, tgt: np.ndarray) -> bool:
    """True when the two sides plainly do not follow one order (see :data:`WARN_SHARE`): what
    ordered mode warns about, with no false alarm on the real translations measured."""
    off_chain, anchors = _off_chain(src, tgt, WARN_FLOOR)
    return anchors >= WARN_ANCHORS and off_chain > WARN_SHARE * anchors


def _off_chain(src: np.ndarray, tgt: np.ndarray, floor: float) -> tuple[int, int]:
    """How many mutual best matches (cosine ≥ ``floor``, on a sample of each long side) fall
    off their longest increasing chain, and how many there are."""
    anchors = mutual_anchors(src[_sample(len(src))], tgt[_sample(len(tgt))], floor)
    if len(anchors) < 2:
        return 0, len(anchors)
    order = anchors[np.argsort(anchors[:, 0], kind="stable"), 1]
    return len(order) - longest_increasing(order.tolist()), len(order)


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
