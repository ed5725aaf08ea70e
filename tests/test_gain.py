"""The final pass's gains beside the cosine and length: hub scores."""

from __future__ import annotations

import dataclasses

import numpy as np

from aligner.align import ordered
from aligner.align.scoring import Params


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _sides(src_vec: np.ndarray, tgt_vec: np.ndarray) -> ordered.Sides:
    src = ["Une phrase source sans chiffres."] * len(src_vec)  # no numbers: no number term
    tgt = ["Une phrase cible sans chiffres."] * len(tgt_vec)
    return ordered.Sides(src, tgt, src_vec, tgt_vec,
                         np.full(len(src), 25.0), np.full(len(tgt), 25.0), 1.0)


def test_a_span_hub_score_is_its_cosine_with_the_other_sides_mean():
    """The hub score of a merged span, read from prefix sums and span norms, is the cosine of
    the span's summed vector with the mean of the other side's vectors."""
    rng = np.random.default_rng(5)
    src, tgt = _unit(rng.standard_normal((7, 16))), _unit(rng.standard_normal((6, 16)))
    tables = ordered._SpanNorms(_sides(src, tgt), Params().moves)
    mean = tgt.astype(np.float64).mean(axis=0)
    for size in (1, 2, 3, 4):
        end = np.arange(size, len(src) + 1)
        got = ordered._span_hub(tables.src_hub, tables.src, end, size)
        spans = np.array([src[e - size:e].sum(axis=0) for e in end], dtype=np.float64)
        want = spans @ mean / np.linalg.norm(spans, axis=1)
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_a_link_of_a_sentence_that_matches_everything_gains_less():
    """Two links with the same cosine: the one whose source sentence is close to every target
    sentence (a "hub": a list of names, a formula) is worth less than the specific one."""
    rng = np.random.default_rng(7)
    tgt = _unit(rng.standard_normal((6, 32)))
    src = _unit(np.vstack([tgt.mean(axis=0) * 3 + 0.3 * rng.standard_normal(32),  # hub
                           rng.standard_normal(32)]))  # specific
    tables = ordered._SpanNorms(_sides(src, tgt), Params().moves)
    ends_i, ends_j = np.array([1, 2]), np.array([1, 1])
    term = ordered._evidence_term(tables, ends_i, ends_j, 1, 1, Params())
    assert term[0] < term[1]
    off = ordered._evidence_term(tables, ends_i, ends_j, 1, 1,
                                 dataclasses.replace(Params(), hub_weight=0.0))
    assert np.all(off == 0.0)  # no numbers in either text: nothing else moves the gain
