"""Alignment: ordered (DP in a band), order-free (anchored regions), and the choice between them."""

from __future__ import annotations

from collections.abc import Sequence

from aligner.align.auto import looks_ordered
from aligner.align.confidence import confidences, with_confidence
from aligner.align.free import align_free
from aligner.align.ordered import align_ordered, ordered_path, path_links, prepare_sides
from aligner.align.scoring import Params
from aligner.embed.cache import EmbeddingStore
from aligner.memory import release_freed_memory
from aligner.types import Link

MODES = ("ordered", "free", "auto")

__all__ = ["MODES", "Params", "align_sentences"]


def align_sentences(src: Sequence[str], tgt: Sequence[str], store: EmbeddingStore,
                    mode: str = "ordered", params: Params | None = None) -> tuple[list[Link], str]:
    """Align two lists of sentences; returns the links (each with its calibrated confidence)
    and the mode that actually ran."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
    if not src or not tgt:  # nothing to compare: every sentence is one-sided
        aligner = align_free if mode == "free" else align_ordered
        return aligner(src, tgt, store, params), "ordered" if mode == "auto" else mode
    sides = prepare_sides(src, tgt, store)  # vectors and lengths, shared by every step below
    release_freed_memory(len(src) + len(tgt))  # encoding's leftovers, before the band
    if mode == "auto":
        mode = "ordered" if looks_ordered(sides.src_vec, sides.tgt_vec) else "free"
    if mode == "free":
        return with_confidence(align_free(src, tgt, store, params, sides), sides), mode
    path = ordered_path(sides, store, params)  # arrays: each Link is made once, confidence and all
    return path_links(path, confidences(path, sides)), mode
