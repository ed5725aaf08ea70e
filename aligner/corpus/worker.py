"""One document pair in, one journal record out: what every executor runs.

The record is plain JSON data (it crosses process and network boundaries, and is what the
journal stores). It holds each link's texts, score and flags, and the detected language of
each side, so that every filter can run later, without the model. A document that cannot be
read or aligned gives a record with ``"error"``; only a bug in this module raises.

The encoder is loaded once per process (:func:`encoder_for`) and kept: a process pool worker or
a Dask worker aligns many documents with one model.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from aligner.api import Options
from aligner.corpus.pairing import Pair
from aligner.embed.base import Encoder
from aligner.errors import InputError
from aligner.languages import line_language
from aligner.writers.tsv import span_text

_ENCODERS: dict[str, Encoder] = {}
_LOCK = threading.Lock()

Record = dict[str, Any]


def encoder_for(model: str) -> Encoder:
    """The process's encoder for ``model``, loaded on first use (thread-safe, for Dask)."""
    with _LOCK:
        if model not in _ENCODERS:
            import aligner.api  # looked up at call time, so tests may substitute the loader

            _ENCODERS[model] = aligner.api.load_encoder(model)
        return _ENCODERS[model]


def warm_up(model: str) -> None:
    """Process-pool initializer: load the model before the first document arrives."""
    encoder_for(model)


def fingerprint(pair: Pair) -> list[Any]:
    """What identifies the work on a pair: its paths, and each file's size and mtime."""
    stamps: list[Any] = [pair.id, pair.src, pair.tgt]
    for path in (pair.src, pair.tgt):
        try:
            stat = os.stat(path)
            stamps.append([stat.st_size, stat.st_mtime_ns])
        except OSError:
            stamps.append(None)
    return stamps


def process_pair(pair: Pair, options: Options) -> Record:
    """Read and align one pair; an input problem becomes the record's ``error``."""
    from aligner.api import align_files

    record: Record = {"id": pair.id, "src": pair.src, "tgt": pair.tgt, "how": pair.how,
                      "pair_score": pair.score, "fingerprint": fingerprint(pair)}
    try:
        alignment = align_files(pair.src, pair.tgt, options=options,
                                encoder=encoder_for(options.model))
    except InputError as error:
        return {**record, "error": error.one_line()}
    except Exception as error:  # a bug on one document must not stop a corpus of thousands
        return {**record, "error": f"internal error: {type(error).__name__}: {error}"}
    src, tgt = alignment.source.sentences, alignment.target.sentences
    links = []
    for link in alignment.links:
        src_text, tgt_text = span_text(src, link.source), span_text(tgt, link.target)
        links.append({
            "source": list(link.source), "target": list(link.target),
            "src": src_text, "tgt": tgt_text,
            "score": None if link.score is None else round(link.score, 4),
            "flags": list(link.flags),
            "langs": [_language(src_text, options), _language(tgt_text, options)],
        })
    return {**record, "mode": alignment.mode, "model": alignment.model,
            "sentences": [len(src), len(tgt)], "links": links}


def _language(text: str, options: Options) -> str | None:
    """The language of one side of a link; None when it has no letters to judge by."""
    if not text or not any(ch.isalpha() for ch in text):
        return None
    return line_language(text, options.src_lang, options.tgt_lang)
