"""``aligner align SRC TGT --anchors reviewed.json``: keep the reviewer's links, re-align the rest.

The reviewed file must be an alignment of the same text (same sentences on both sides, i.e.
the same files aligned with the same ``--presplit`` and ``--encoding``); its links with status
``accepted`` or ``edited`` are kept as they are, with their status, and the stretches between
them are re-aligned in order (:mod:`aligner.align.anchored`). Rejected and unreviewed links are
re-decided.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from aligner.align.anchored import align_anchored
from aligner.api import Options, align_documents
from aligner.embed import EmbeddingStore, Encoder
from aligner.errors import InputError
from aligner.review import KEPT, read_alignment
from aligner.types import Alignment, Document, Link, Side

_HINT = ("give the reviewed JSON of these same files, aligned with the same --presplit and "
         "--encoding")


def align_around_review(src_doc: Document, tgt_doc: Document | None, anchors_path: str, *,
                        options: Options, encoder: Encoder | None = None,
                        progress: Callable[[int], None] | None = None) -> Alignment:
    """Align like :func:`aligner.api.align_documents`, keeping the review's decisions.

    Raises:
        InputError: the review cannot be read, is of other text, or its kept links cross;
            or ``--mode free`` was asked for (the stretches are aligned in order).
    """
    if options.mode == "free":
        raise InputError("--anchors re-aligns in document order, not with --mode free",
                         path=anchors_path, hint="drop --mode free, or drop --anchors")
    review = read_alignment(anchors_path, whole=False)  # only its kept links are used
    fixed = [link for link in review.links if link.status in KEPT]

    def realign(src: Side, tgt: Side, store: EmbeddingStore) -> tuple[list[Link], str]:
        _same_text(review, src, tgt, anchors_path)
        try:
            links = align_anchored([s.text for s in src.sentences],
                                   [s.text for s in tgt.sentences], store, fixed, options.params)
        except ValueError as err:
            raise InputError(str(err), path=anchors_path,
                             hint="reject or split one of the two links in the report") from err
        return links, "ordered"

    alignment = align_documents(src_doc, tgt_doc, options=options, encoder=encoder,
                                progress=progress, realign=realign)
    settings = {**alignment.settings, "anchors": len(fixed)}
    return replace(alignment, settings=settings)


def _same_text(review: Alignment, src: Side, tgt: Side, path: str) -> None:
    for name, old, new in (("source", review.source, src), ("target", review.target, tgt)):
        old_texts = [s.text for s in old.sentences]
        new_texts = [s.text for s in new.sentences]
        if old_texts != new_texts:
            where = next((k for k, (a, b) in enumerate(zip(old_texts, new_texts, strict=False))
                          if a != b), min(len(old_texts), len(new_texts)))
            raise InputError(
                f"the review's {name} side is other text ({len(old_texts)} sentences, here "
                f"{len(new_texts)}; first difference at sentence {where + 1})",
                path=path, hint=_HINT)
