"""Strict and lax precision, recall and F1 of predicted links against gold links.

The figures are those of Vecalign's ``score.py`` (Thompson & Koehn 2019), itself a faster
version of the Text+Berg evaluation of Sennrich & Volk (2011), so our numbers compare directly
with the published Vecalign and Bertalign results. The rules, reimplemented here:

- Links are compared as sets: a repeated link counts once, and ``[]:[]`` is dropped.
- **Precision** looks at every predicted link, 1-0 and 0-1 ones included. A link is a *strict*
  hit when the very same link is in the gold; it is a *lax* hit when it is a strict hit, or when
  some gold link holding one of its source sentences also holds one of its target sentences.
  (So a one-sided link is a hit only when the gold has exactly that one-sided link.)
- **Recall** first drops every one-sided link from both the gold and the prediction, then
  asks the same question the other way round: which gold links does the prediction find,
  strictly or laxly.
- Several documents are pooled before dividing (micro-average): hits and misses are summed
  over all documents, then P = hits / (hits + misses), and F1 = 2PR / (P + R) of the pooled
  P and R. Any 0/0 gives 0.0.

Cost: O(total link size) per document, with one dictionary from gold source sentence to the
gold target sentences it is linked with.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aligner.errors import FormatError, InputError
from aligner.types import Alignment
from aligner.writers import vecalign

LinkPair = tuple[Sequence[int], Sequence[int]]
"""A link as (source indices, target indices), 0-based; e.g. ``((1, 2), (3,))``."""

_Key = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and their harmonic mean, each in [0, 1]."""

    precision: float
    recall: float
    f1: float

    def to_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True, slots=True)
class Scores:
    """Strict (exact link) and lax (overlapping link) scores, pooled over ``documents``."""

    strict: PRF
    lax: PRF
    documents: int = 1

    def to_dict(self) -> dict[str, object]:
        return {
            "strict": self.strict.to_dict(),
            "lax": self.lax.to_dict(),
            "documents": self.documents,
        }


@dataclass(frozen=True, slots=True)
class _Counts:
    """One direction (precision or recall): links looked at, and how many were hits."""

    links: int = 0
    strict: int = 0
    lax: int = 0

    def __add__(self, other: _Counts) -> _Counts:
        return _Counts(self.links + other.links, self.strict + other.strict, self.lax + other.lax)


def read_vecalign(path: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """The links of a Vecalign-format file (gold or prediction, score field optional).

    Raises:
        InputError: the file cannot be opened.
        FormatError: it is not UTF-8, or a line is not a Vecalign link (naming the line).
    """
    try:
        with open(path, encoding="utf-8") as stream:
            return vecalign.read(stream, path)
    except UnicodeDecodeError as err:
        raise FormatError("not UTF-8 text", path=path, hint="give a Vecalign file") from err
    except OSError as err:
        reason = (err.strerror or type(err).__name__).lower()
        raise InputError(f"cannot read ({reason})", path=path) from err


def alignment_links(alignment: Alignment) -> list[LinkPair]:
    """The links of an :class:`Alignment` in the form :func:`evaluate` takes."""
    return [(link.source, link.target) for link in alignment.links]


def evaluate(pred: Sequence[LinkPair], gold: Sequence[LinkPair]) -> Scores:
    """Score the links of one document; see the module docstring for the rules."""
    return evaluate_many([pred], [gold])


def evaluate_many(
    preds: Sequence[Sequence[LinkPair]], golds: Sequence[Sequence[LinkPair]]
) -> Scores:
    """Score several documents at once, pooling counts as Vecalign's ``score.py`` does.

    ``preds[i]`` is scored against ``golds[i]``.

    Raises:
        ValueError: when the two lists differ in length.
    """
    if len(preds) != len(golds):
        raise ValueError(f"{len(preds)} predictions but {len(golds)} gold documents")
    precision, recall = _Counts(), _Counts()
    for pred, gold in zip(preds, golds, strict=True):
        pred_set, gold_set = _as_set(pred), _as_set(gold)
        precision += _match(pred_set, gold_set)
        recall += _match(_two_sided(gold_set), _two_sided(pred_set))
    return Scores(
        strict=_prf(precision.strict, precision.links, recall.strict, recall.links),
        lax=_prf(precision.lax, precision.links, recall.lax, recall.links),
        documents=len(golds),
    )


def _as_set(links: Iterable[LinkPair]) -> set[_Key]:
    """Links as a set of index tuples, without ``[]:[]``."""
    keys = {(tuple(int(i) for i in src), tuple(int(j) for j in tgt)) for src, tgt in links}
    keys.discard(((), ()))
    return keys


def _two_sided(links: set[_Key]) -> set[_Key]:
    return {(src, tgt) for src, tgt in links if src and tgt}


def _match(found: set[_Key], reference: set[_Key]) -> _Counts:
    """How many links of ``found`` are in ``reference`` exactly (strict) or overlap one (lax).

    Lax overlap: one of the link's source sentences is linked, in some reference link, with one
    of the link's target sentences.
    """
    linked_targets: dict[int, set[int]] = defaultdict(set)
    for src, tgt in reference:
        for i in src:
            linked_targets[i].update(tgt)
    strict = lax = 0
    for src, tgt in found:
        if (src, tgt) in reference:
            strict += 1
            lax += 1
        elif any(not linked_targets[i].isdisjoint(tgt) for i in src if i in linked_targets):
            lax += 1
    return _Counts(len(found), strict, lax)


def _prf(p_hits: int, p_links: int, r_hits: int, r_links: int) -> PRF:
    precision = _ratio(p_hits, p_links)
    recall = _ratio(r_hits, r_links)
    # Written as score.py writes it, so the float rounding (and the figures) agree to the bit.
    f1 = 0.0 if precision + recall == 0 else 2 * (precision * recall) / (precision + recall)
    return PRF(precision, recall, f1)


def _ratio(hits: int, total: int) -> float:
    return 0.0 if total == 0 else hits / total
