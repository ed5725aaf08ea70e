"""Encode each distinct text once per run, in batches; merged spans reuse the same store.

Texts are keyed by their matching form (:func:`aligner.normalize.for_matching`), so the same
sentence written with or without tatweel, harakat or a zero-width space is encoded once.

Vectors are stored as float16: half the memory (at 100,000 sentences a side, 216 MB instead of
432 MB) for cosines that move by about 1e-4, far below any decision the aligner makes. Every
computation casts the rows it reads to float32 (:func:`aligner.embed.base.as_float32`), so
numpy never runs a slow float16 product.

Memory: each call that brings new texts adds one block of rows, in the order the texts were
asked for (batches are sorted by length for the encoder, then put back in place). Asking again
for the same texts in the same order returns a view of that block, not a copy: at 100,000
sentences a side, the vectors are 400 MB, and a second copy would double that.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from aligner.embed.base import Encoder
from aligner.embed.use_m_spans import Parts, blank_parts, concat_parts, put_parts
from aligner.normalize import for_matching

Progress = Callable[[int], None]
"""Called with the number of texts just encoded (for a progress bar)."""

STORED = np.float16
"""The dtype vectors are kept in (see the module's docstring)."""
BATCH_SIZE = 256
COMPOSE_CHUNK = 512
"""Spans composed per call to the encoder (their parts gathered into one small table)."""
LARGE_BLOCK = 256
"""Blocks this big (a document's sentences) are always searched for a view."""


class EmbeddingStore:
    """A run-wide cache from text to its vector, filled by batched calls to an encoder."""

    def __init__(self, encoder: Encoder, progress: Progress | None = None):
        self.encoder = encoder
        self._progress = progress
        self._where: dict[str, tuple[int, int]] = {}
        self._blocks: list[np.ndarray] = []
        self._keys: list[list[str]] = []  # the key of every row of each block
        self._starts: list[dict[str, int]] = []  # each key's first row in each block
        self._large: list[int] = []  # blocks of at least LARGE_BLOCK rows
        self._parts: list[Parts | None] = []  # per block, what joined texts compose from
        self.encoded = 0
        self.composed = 0

    def vectors(self, texts: Sequence[str], keys: Sequence[str] | None = None) -> np.ndarray:
        """``(len(texts), dim)`` float16, L2-normalised; only unseen texts reach the encoder.

        The result is a read-only view into the store: asking again for the same texts in the
        same order costs nothing, and no call ever holds two copies of its vectors. ``keys``:
        the texts' :func:`for_matching` forms, when the caller has computed them already.
        """
        keys = [for_matching(t) for t in texts] if keys is None else list(keys)
        if not keys:
            return np.zeros((0, self._dim()), dtype=STORED)
        view = self._existing_view(keys)
        return view if view is not None else self._new_block(keys)

    def span_vectors(self, spans: Sequence[Sequence[str]], drop_parts: bool = False
                     ) -> np.ndarray:
        """Vectors of the ``" "``-joined texts of ``spans`` (consecutive sentences), as
        :meth:`vectors` gives them for the joined texts. With an encoder that composes
        (:class:`~aligner.embed.use_m.UseMEncoder`), a span of sentences already encoded
        costs a few short windows instead of encoding the joined text. ``drop_parts``: no
        span will be asked for after these; the parts go (:meth:`drop_parts`) before the
        spans that cannot be composed are encoded."""
        texts = [" ".join(parts) for parts in spans]
        keys = [for_matching(t) for t in texts]
        view = self._existing_view(keys) if keys else None
        composed = self._compose(spans, keys) if keys and view is None else {}
        if drop_parts:
            self.drop_parts()
        if not keys:
            return np.zeros((0, self._dim()), dtype=STORED)
        return view if view is not None else self._new_block(keys, composed, keep_parts=False)

    def _compose(self, spans: Sequence[Sequence[str]], keys: list[str]
                 ) -> dict[str, np.ndarray]:
        """Vectors of the spans the encoder can compose from parts it has already seen."""
        compose = getattr(self.encoder, "compose", None)
        if compose is None:
            return {}
        chosen: dict[str, list[tuple[int, int]]] = {}
        for parts, key in zip(spans, keys, strict=True):
            if len(parts) < 2 or key in self._where or key in chosen:
                continue
            part_keys = [for_matching(t) for t in parts]
            places = [self._where.get(k) for k in part_keys]
            if " ".join(part_keys) == key and all(map(self._has_parts, places)):
                chosen[key] = places
        out: dict[str, np.ndarray] = {}
        todo = list(chosen.items())
        for start in range(0, len(todo), COMPOSE_CHUNK):  # a small parts table at a time
            chunk = todo[start:start + COMPOSE_CHUNK]
            by_block: dict[int, list[int]] = {}
            for block, row in dict.fromkeys(p for _, places in chunk for p in places):
                by_block.setdefault(block, []).append(row)
            table = concat_parts([self._parts[b][rows] for b, rows in by_block.items()])
            index = {place: k for k, place in enumerate(
                (b, r) for b, rows in by_block.items() for r in rows)}
            vectors = compose([[index[p] for p in places] for _, places in chunk], table)
            out.update(zip((key for key, _ in chunk), vectors, strict=True))
            self.composed += len(chunk)
            if self._progress:
                self._progress(len(chunk))
        return out

    def drop_parts(self) -> None:
        """Forget what joined spans are composed from (at 100,000 sentences a side, 120 MB):
        spans asked for afterwards are encoded as joined text."""
        self._parts = [None] * len(self._parts)

    def _has_parts(self, place: tuple[int, int] | None) -> bool:
        """Whether the text stored at ``place`` was encoded with its parts kept."""
        if place is None or self._parts[place[0]] is None:
            return False
        return bool(self._parts[place[0]].length[place[1]] > 0)

    def lookup(self, texts: Sequence[str]) -> np.ndarray:
        """Float32 copies of the rows of ``texts``, without adding a block to the store.

        For a few texts at a time, asked for very often (each merged link's parts): a block
        per call would hold tens of thousands of tiny arrays and their indexes for the rest of
        the run. Texts not yet seen go through :meth:`vectors` first.
        """
        keys = [for_matching(t) for t in texts]
        if any(key not in self._where for key in keys):
            self.vectors(texts, keys)
        return np.stack([self._vector(key) for key in keys]).astype(np.float32)

    def pending(self, texts: Sequence[str]) -> int:
        """How many of ``texts`` would need encoding (distinct and not yet cached)."""
        return len({for_matching(t) for t in texts} - self._where.keys())

    def _existing_view(self, keys: list[str]) -> np.ndarray | None:
        """The rows of ``keys`` when a block already holds them, in this order, repeats and all.

        Looks in the latest blocks and in every large one: thousands of small blocks (merged
        spans) come after a document's sentences, and asking for those again must still be a
        view, not a copy of the whole side.
        """
        latest = range(len(self._blocks) - 1, max(len(self._blocks) - 8, 0) - 1, -1)
        for block in dict.fromkeys([*latest, *reversed(self._large)]):
            first = self._starts[block].get(keys[0])
            if first is not None and self._keys[block][first:first + len(keys)] == keys:
                return self._blocks[block][first:first + len(keys)]
        return None

    def _new_block(self, keys: list[str], composed: dict[str, np.ndarray] | None = None,
                   keep_parts: bool = True) -> np.ndarray:
        """One row per key, in order: new texts encoded (or ``composed`` already), cached ones
        copied, repeats shared. ``keep_parts``: keep what spans of these texts would be
        composed from (not for texts that are spans themselves)."""
        composed = composed or {}
        first_row: dict[str, int] = {}
        for row, key in enumerate(keys):
            first_row.setdefault(key, row)
        missing = [key for key in first_row if key not in self._where and key not in composed]
        block: np.ndarray | None = None
        for key, row in first_row.items():
            known = self._vector(key) if key in self._where else composed.get(key)
            if known is not None:
                block = self._ensure(block, len(keys), known.shape[0])
                block[row] = known
        block, parts = self._encode_into(block, missing, first_row, len(keys), keep_parts)
        for row, key in enumerate(keys):
            if first_row[key] != row:
                block[row] = block[first_row[key]]
        block.flags.writeable = False
        index = len(self._blocks)
        if len(keys) >= LARGE_BLOCK:
            self._large.append(index)
        self._blocks.append(block)
        self._keys.append(keys)
        self._starts.append(first_row)
        self._parts.append(parts)
        self._where.update((key, (index, first_row[key])) for key in [*missing, *composed])
        return block

    def _encode_into(self, block, missing: list[str], first_row: dict[str, int], size: int,
                     keep_parts: bool = True) -> tuple[np.ndarray, Parts | None]:
        """Encode ``missing`` into ``block`` (made if None); with a composing encoder, also
        the parts of each (rows as in ``block``; rows of other texts stay zero)."""
        encode_parts = getattr(self.encoder, "encode_parts", None) if keep_parts else None
        parts: Parts | None = None
        # Similar lengths in a batch keep the encoder's padding and token batches small.
        order = sorted(missing, key=len)
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            rows = [first_row[key] for key in batch]
            if encode_parts is None:
                vectors = np.asarray(self.encoder.encode(batch), dtype=np.float32)
            else:
                vectors, found = encode_parts(batch)
                parts = parts if parts is not None else blank_parts(size)
                put_parts(parts, rows, found)
            block = self._ensure(block, size, vectors.shape[1])
            block[rows] = vectors
            self.encoded += len(batch)
            if self._progress:
                self._progress(len(batch))
        return block, parts

    @staticmethod
    def _ensure(block: np.ndarray | None, size: int, dim: int) -> np.ndarray:
        return block if block is not None else np.empty((size, dim), dtype=STORED)

    def _vector(self, key: str) -> np.ndarray:
        block, row = self._where[key]
        return self._blocks[block][row]

    def _dim(self) -> int:
        return self._blocks[0].shape[1] if self._blocks else 0
