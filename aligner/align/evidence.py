"""Numbers as evidence beside the cosine: a translation keeps its figures.

Sentence encoders barely see digits (``8579 m`` and ``8597 m`` embed alike), yet years,
altitudes, prices and list numbers survive translation almost always. Each sentence's numbers
(digit runs, after mapping Arabic-Indic and Eastern Arabic digits to ASCII; separators split
runs, so ``8847,60`` and ``8847.60`` both give 8847 and 60) are hashed into a 64-bit mask; a
span's mask is the OR of its sentences'. A link whose two sides both state numbers gets the
Jaccard overlap of their masks; one side without numbers says nothing (it may spell them out).

Cost: one numpy pass over the texts' code points, then a few integer operations per band cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from zlib import crc32

import numpy as np

from aligner.numbers import ascii_digits

DIGITS = ((0x30, 0x39), (0x660, 0x669), (0x6F0, 0x6F9))
"""Code points of the digits numbers are written in (first, last): ASCII, Arabic-Indic,
Eastern Arabic."""
CHUNK = 8192
"""Texts scanned at once (a few MB of code points)."""


def number_masks(texts: Sequence[str]) -> np.ndarray:
    """``(len(texts),)`` uint64: one bit per distinct number a sentence states (0: none)."""
    masks = np.zeros(len(texts), dtype=np.uint64)
    bits: dict[str, int] = {}  # each distinct run hashed once
    for start in range(0, len(texts), CHUNK):
        part = texts[start:start + CHUNK]
        joined = "\n".join(part)  # any non-digit between texts: no run crosses it
        starts, stops = _digit_runs(joined)
        runs = [joined[a:b] for a, b in zip(starts.tolist(), stops.tolist(), strict=True)]
        bits.update((run, _bit(run)) for run in set(runs).difference(bits))
        ends = np.cumsum(np.fromiter(map(len, part), dtype=np.int64, count=len(part)) + 1)
        np.bitwise_or.at(masks[start:start + CHUNK], np.searchsorted(ends, starts, side="right"),
                         np.fromiter(map(bits.__getitem__, runs), dtype=np.uint64,
                                     count=len(runs)))
    return masks


def _digit_runs(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Start and stop of each run of :data:`DIGITS` in ``text``, as two int64 arrays.

    Compares code points with numpy: a regex scans some 15 ns a character, and a document's
    texts are millions of characters (a fifth of a second at 50,000 sentences a side)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    digit = np.zeros(len(codes) + 2, dtype=bool)  # a non-digit before and after the text
    inside = digit[1:-1]
    for first, last in DIGITS:
        inside |= (codes >= first) & (codes <= last)
    edges = np.flatnonzero(digit[1:] != digit[:-1])  # alternately a run's start and stop
    return edges[0::2], edges[1::2]


def _bit(run: str) -> int:
    """The mask bit of a run of digits: its value's hash (leading zeros and script aside)."""
    return 1 << (crc32((ascii_digits(run).lstrip("0") or "0").encode()) & 63)


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
