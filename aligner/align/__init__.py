"""Alignment: ordered (DP in a band), order-free (anchored regions), and the choice between them."""

from __future__ import annotations

from collections.abc import Sequence

from aligner.align.auto import looks_ordered
from aligner.align.confidence import with_confidence
from aligner.align.free import align_free
from aligner.align.ordered import align_ordered
from aligner.align.scoring import Params
from aligner.embed.cache import EmbeddingStore
from aligner.types import Link

MODES = ("ordered", "free", "auto")

__all__ = ["MODES", "Params", "align_sentences"]


def align_sentences(src: Sequence[str], tgt: Sequence[str], store: EmbeddingStore,
                    mode: str = "ordered", params: Params | None = None) -> tuple[list[Link], str]:
    """Align two lists of sentences; returns the links (each with its calibrated confidence)
    and the mode that actually ran."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
    if mode == "auto":
        ordered = not src or not tgt or looks_ordered(store.vectors(src), store.vectors(tgt))
        mode = "ordered" if ordered else "free"
    if mode == "free":
        links = align_free(src, tgt, store, params)
    else:
        links = align_ordered(src, tgt, store, params)
    if src and tgt:
        links = with_confidence(links, src, tgt, store)
    return links, mode
