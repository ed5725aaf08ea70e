"""Numbers as evidence beside the cosine: a translation keeps its figures.

Sentence encoders barely see digits (``8579 m`` and ``8597 m`` embed alike), yet years,
altitudes, prices and list numbers survive translation almost always. Each sentence's numbers
(digit runs, after mapping Arabic-Indic and Eastern Arabic digits to ASCII; separators split
runs, so ``8847,60`` and ``8847.60`` both give 8847 and 60) are hashed into a 64-bit mask; a
span's mask is the OR of its sentences'. A link whose two sides both state numbers gets the
Jaccard overlap of their masks; one side without numbers says nothing (it may spell them out).

Cost: one regex pass over the texts, then a few integer operations per band cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from zlib import crc32

import numpy as np

from aligner.numbers import ascii_digits

_RUN = re.compile(r"[0-9٠-٩۰-۹]+")


def number_masks(texts: Sequence[str]) -> np.ndarray:
    """``(len(texts),)`` uint64: one bit per distinct number a sentence states (0: none)."""
    bits: dict[str, int] = {}  # each distinct run hashed once
    masks = []
    for text in texts:
        mask = 0
        for run in _RUN.findall(text):
            bit = bits.get(run)
            if bit is None:
                value = ascii_digits(run).lstrip("0") or "0"
                bit = bits[run] = 1 << (crc32(value.encode()) & 63)
            mask |= bit
        masks.append(mask)
    return np.array(masks, dtype=np.uint64)


def span_masks(masks: np.ndarray, size: int) -> np.ndarray:
    """OR of ``masks[k:k + size]`` for every start ``k``: ``(n - size + 1,)`` uint64."""
    n = len(masks)
    if n < size:
        return np.zeros(0, dtype=np.uint64)
    out = masks[:n - size + 1].copy()
    for step in range(1, size):
        out |= masks[step:n - size + 1 + step]
    return out


def number_agreement(src: np.ndarray, tgt: np.ndarray) -> np.ndarray:
    """Jaccard overlap of two arrays of masks, in [0, 1]; 0.5 (no evidence) where either side
    states no number."""
    union = np.bitwise_count(src | tgt).astype(np.float32)
    shared = np.bitwise_count(src & tgt).astype(np.float32)
    both = (src != 0) & (tgt != 0)
    return np.where(both, shared / np.maximum(union, 1.0), 0.5).astype(np.float32)
