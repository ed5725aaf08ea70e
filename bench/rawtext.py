"""Raw-text suite: FLORES documents unsplit, segmented by aligner itself, scored by sentence pairs.

Each URL group of a document is one paragraph (its sentences joined by a space), so the run
goes through aligner's own segmenter. A predicted link is mapped to the gold sentences its
two sides overlap (by characters); it is *right* when both sides cover the same gold
sentences (a segment that joins gold sentences 3 and 4 on both sides, linked to its like, is
right). Pair recall: share of gold pairs that lie in a right link. Pair precision: share of
the gold Arabic sentences inside two-sided links that lie in right links only. Both hold whatever
the segmentation was.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from datasets import flores_groups

from aligner.api import Options, align_documents
from aligner.embed import Encoder
from aligner.types import Alignment, Document, Paragraph, Side


@dataclass(frozen=True)
class RawDoc:
    """Paragraphs of gold sentences, one list per side (sentence k of both sides is a pair)."""

    name: str
    ar: list[list[str]]
    fr: list[list[str]]


def raw_documents(split: str, size: int = 40, seed: int = 1) -> list[RawDoc]:
    """The documents of :func:`datasets.flores_documents`, keeping the URL groups as paragraphs."""
    groups = flores_groups(split)
    random.Random(seed).shuffle(groups)
    docs: list[RawDoc] = []
    count = size
    for group in groups:
        if count >= size:
            docs.append(RawDoc(f"raw-{len(docs)}", [], []))
            count = 0
        docs[-1].ar.append([u[0][0] for u in group])
        docs[-1].fr.append([u[1][0] for u in group])
        count += len(group)
    return docs


def _document(paragraphs: list[list[str]]) -> Document:
    return Document(tuple(Paragraph(" ".join(p), k + 1) for k, p in enumerate(paragraphs)))


def _gold_ids(side: Side, paragraphs: list[list[str]]) -> list[set[int]]:
    """For each segmented sentence, the gold sentences (document-wide numbers) it overlaps."""
    bounds: list[list[tuple[int, int, int]]] = []  # per paragraph: (start, end, gold id)
    number = 0
    for para in paragraphs:
        spans, pos = [], 0
        for sentence in para:
            spans.append((pos, pos + len(sentence), number))
            pos += len(sentence) + 1
            number += 1
        bounds.append(spans)
    cursors = [0] * len(paragraphs)
    texts = [" ".join(p) for p in paragraphs]
    out = []
    for sentence in side.sentences:
        k = sentence.paragraph
        start = texts[k].index(sentence.text, cursors[k])
        end = start + len(sentence.text)
        cursors[k] = end
        out.append({g for s, e, g in bounds[k] if s < end and start < e})
    return out


def link_coverage(alignment: Alignment, doc: RawDoc) -> tuple[int, int]:
    """(gold sentences in right links, gold Arabic sentences in two-sided links)."""
    src_ids = _gold_ids(alignment.source, doc.ar)
    tgt_ids = _gold_ids(alignment.target, doc.fr)
    right: set[int] = set()
    wrong: set[int] = set()
    for link in alignment.links:
        if not link.source or not link.target:
            continue
        ar = set().union(*(src_ids[i] for i in link.source))
        fr = set().union(*(tgt_ids[j] for j in link.target))
        (right if ar == fr else wrong).update(ar)
    return len(right - wrong), len(right | wrong)


def run_raw(docs: Sequence[RawDoc], encoder: Encoder) -> dict[str, object]:
    """Pooled pair precision/recall/F1 and how many sentences the segmenter found."""
    hits = predicted = gold = 0
    segmented = [0, 0]
    for doc in docs:
        alignment = align_documents(_document(doc.ar), _document(doc.fr),
                                    options=Options(mode="ordered"), encoder=encoder)
        right, linked = link_coverage(alignment, doc)
        hits += right
        predicted += linked
        gold += sum(len(p) for p in doc.ar)
        segmented[0] += len(alignment.source.sentences)
        segmented[1] += len(alignment.target.sentences)
    p = hits / predicted if predicted else 0.0
    r = hits / gold if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"pairs": {"precision": p, "recall": r, "f1": f1}, "documents": len(docs),
            "gold_sentences": gold, "segmented_ar": segmented[0], "segmented_fr": segmented[1]}
