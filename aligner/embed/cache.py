"""Encode each distinct text once per run, in batches; merged spans reuse the same store.

Texts are keyed by their matching form (:func:`aligner.normalize.for_matching`), so the same
sentence written with or without tatweel, harakat or a zero-width space is encoded once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from aligner.embed.base import Encoder
from aligner.normalize import for_matching

Progress = Callable[[int], None]
"""Called with the number of texts just encoded (for a progress bar)."""

BATCH_SIZE = 256


class EmbeddingStore:
    """A run-wide cache from text to its vector, filled by batched calls to an encoder."""

    def __init__(self, encoder: Encoder, progress: Progress | None = None):
        self.encoder = encoder
        self._progress = progress
        self._rows: dict[str, int] = {}
        self._chunks: list[np.ndarray] = []
        self._matrix: np.ndarray | None = None
        self.encoded = 0

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), dim)`` float32, L2-normalised; only unseen texts reach the encoder."""
        keys = [for_matching(t) for t in texts]
        self._encode_missing(keys)
        matrix = self._all()
        return matrix[[self._rows[k] for k in keys]] if keys else matrix[:0]

    def pending(self, texts: Sequence[str]) -> int:
        """How many of ``texts`` would need encoding (distinct and not yet cached)."""
        return len({for_matching(t) for t in texts} - self._rows.keys())

    def _encode_missing(self, keys: list[str]) -> None:
        missing = list(dict.fromkeys(k for k in keys if k not in self._rows))
        if not missing:
            return
        # Similar lengths in a batch keep the encoder's padding and token batches small.
        missing.sort(key=len)
        for start in range(0, len(missing), BATCH_SIZE):
            batch = missing[start:start + BATCH_SIZE]
            vectors = np.asarray(self.encoder.encode(batch), dtype=np.float32)
            base = sum(len(c) for c in self._chunks)
            self._chunks.append(vectors)
            for offset, key in enumerate(batch):
                self._rows[key] = base + offset
            self.encoded += len(batch)
            if self._progress:
                self._progress(len(batch))
        self._matrix = None

    def _all(self) -> np.ndarray:
        if self._matrix is None:
            if len(self._chunks) > 1:
                self._chunks = [np.concatenate(self._chunks)]
            self._matrix = self._chunks[0] if self._chunks else np.zeros((0, 0), np.float32)
        return self._matrix
