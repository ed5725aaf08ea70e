"""One document pair in, one journal record out: what every executor runs.

The record is plain JSON data (it crosses process and network boundaries, and is what the
journal stores). It holds each link's texts, score, confidence and flags, and the detected
language of each side, so that every filter can run later, without the model. A document that
cannot be read or aligned gives a record with ``"error"``; only a bug in this module raises.

The encoder is loaded once per process (:func:`encoder_for`) and kept: a process pool worker or
a Dask worker aligns many documents with one model.

Documents travel in chunks of :data:`CHUNK` (fixed groups of the id-sorted pair list). The
sentences of a whole chunk are encoded together first (:class:`Prefetched`): USE-m has a fixed
cost of about 0.2 s per call, which dominates short documents when each one is encoded alone.
A vector differs in its last bits with the batch it was computed in, so the groups never
depend on scheduling: a chunk is always encoded whole, even when the journal already holds
some of its documents, and the result is the same in one process, many, or on a cluster.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from aligner.align import OrderWarning
from aligner.api import Options
from aligner.corpus.pairing import Pair
from aligner.embed.base import Encoder
from aligner.embed.cache import BATCH_SIZE
from aligner.errors import InputError
from aligner.languages import line_language
from aligner.normalize import for_matching
from aligner.readers import read_document
from aligner.segment import segment_document
from aligner.types import Document
from aligner.writers.tsv import span_text

CHUNK = 8
"""Document pairs per task: their sentences are encoded in one batch."""
MAX_PREFETCH = 4 * BATCH_SIZE
"""A chunk with more distinct sentences is not prefetched (long documents batch well alone)."""

_ENCODERS: dict[str, Encoder] = {}
_LOCK = threading.Lock()

Record = dict[str, Any]


def encoder_for(model: str) -> Encoder:
    """The process's encoder for ``model``, loaded on first use (thread-safe, for Dask).

    ``--jobs`` and Dask workers set ``OMP_NUM_THREADS``, which USE-m honours
    (:func:`aligner.embed.use_m.default_threads`): several workers on one machine each using
    every core run about three times slower than with the cores shared out.
    """
    with _LOCK:
        if model not in _ENCODERS:
            _ENCODERS[model] = _load(model)
        return _ENCODERS[model]


def _load(model: str) -> Encoder:
    import aligner.api  # looked up at call time, so tests may substitute the loader

    return aligner.api.load_encoder(model)


def warm_up(model: str) -> None:
    """Process-pool initializer: load the model before the first document arrives."""
    encoder_for(model)


def fingerprint(pair: Pair) -> list[Any]:
    """What identifies the work on a pair: its paths, and each file's size and mtime."""
    return [pair.id, pair.src, pair.tgt, fingerprint_file(pair.src), fingerprint_file(pair.tgt)]


def fingerprint_file(path: str) -> list[int] | None:
    """A file's size and modification time (None when it cannot be read)."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


class Prefetched:
    """An Encoder that serves vectors computed ahead and encodes only what it lacks.

    Texts it computes on demand are not kept, so what one document asks for never changes
    what another one gets.
    """

    def __init__(self, encoder: Encoder, vectors: dict[str, np.ndarray]):
        self.encoder = encoder
        self.name = encoder.name
        self.vectors = vectors

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        fresh = dict(zip(missing, self.encoder.encode(missing), strict=True)) if missing else {}
        if not texts:
            return self.encoder.encode([])
        return np.stack([self.vectors[t] if t in self.vectors else fresh[t] for t in texts])


def process_chunk(pairs: list[Pair], wanted: list[str], options: Options) -> list[Record]:
    """Records for the pairs of ``pairs`` whose id is in ``wanted``, the chunk encoded whole."""
    read: list[tuple[Pair, Document, Document] | Record] = []
    for pair in pairs:
        try:
            src = read_document(pair.src, encoding=options.encoding, fmt=options.input_format)
            tgt = read_document(pair.tgt, encoding=options.encoding, fmt=options.input_format)
            read.append((pair, src, tgt))
        except InputError as error:
            read.append({**_header(pair), "error": error.one_line()})
        except Exception as error:  # a reader's bug on one file must not sink the chunk
            read.append({**_header(pair), "error": _internal(error)})
    encoder = encoder_for(options.model)
    keys: dict[str, None] = {}
    for item in read:
        if isinstance(item, tuple):
            for doc, lang in ((item[1], options.src_lang), (item[2], options.tgt_lang)):
                for sentence in _sentences(doc, lang, options):
                    keys.setdefault(for_matching(sentence))
    vectors: dict[str, np.ndarray] = {}
    if len(keys) <= MAX_PREFETCH:
        order = sorted(keys, key=len)  # as EmbeddingStore does: similar lengths per batch
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            vectors.update(zip(batch, encoder.encode(batch), strict=True))
    prefetched = Prefetched(encoder, vectors)
    return [item if isinstance(item, dict) else _align(*item, options, prefetched)
            for item in read if _id(item) in set(wanted)]


def _id(item: tuple[Pair, Document, Document] | Record) -> str:
    return item["id"] if isinstance(item, dict) else item[0].id


def _sentences(doc: Document, lang: str, options: Options) -> list[str]:
    try:
        return [s.text for s in segment_document(doc, lang, presplit=options.presplit)]
    except InputError:
        return []


def _header(pair: Pair) -> Record:
    return {"id": pair.id, "src": pair.src, "tgt": pair.tgt, "how": pair.how,
            "pair_score": pair.score, "fingerprint": fingerprint(pair)}


def process_pair(pair: Pair, options: Options) -> Record:
    """One pair on its own (its own batches): for callers outside a chunked build."""
    return process_chunk([pair], [pair.id], options)[0]


def _align(pair: Pair, src_doc: Document, tgt_doc: Document, options: Options,
           encoder: Encoder) -> Record:
    """Align read documents; an input problem becomes the record's ``error``."""
    from aligner.api import align_documents

    record = _header(pair)
    try:
        with warnings.catch_warnings(record=True) as notes:  # counted in stats.json instead
            warnings.simplefilter("always", OrderWarning)
            alignment = align_documents(src_doc, tgt_doc, options=options, encoder=encoder)
    except InputError as error:
        return {**record, "error": error.one_line()}
    except Exception as error:  # a bug on one document must not stop a corpus of thousands
        return {**record, "error": _internal(error)}
    src, tgt = alignment.source.sentences, alignment.target.sentences
    links = []
    for link in alignment.links:
        src_text, tgt_text = span_text(src, link.source), span_text(tgt, link.target)
        links.append({
            "source": list(link.source), "target": list(link.target),
            "src": src_text, "tgt": tgt_text,
            "score": None if link.score is None else round(link.score, 4),
            "confidence": None if link.confidence is None else round(link.confidence, 3),
            "flags": list(link.flags),
            "langs": [_language(src_text, options), _language(tgt_text, options)],
        })
    order = {"order_doubtful": True} if any(
        issubclass(note.category, OrderWarning) for note in notes) else {}
    return {**record, "mode": alignment.mode, "model": alignment.model,
            "sentences": [len(src), len(tgt)], "links": links, **order}


def _internal(error: Exception) -> str:
    return f"internal error: {type(error).__name__}: {error} (please report this)"


def _language(text: str, options: Options) -> str | None:
    """The language of one side of a link; None when it has no letters to judge by."""
    if not text or not any(ch.isalpha() for ch in text):
        return None
    return line_language(text, options.src_lang, options.tgt_lang)
