"""Numbers as alignment evidence: the same figures read alike in any digits."""

from __future__ import annotations

import numpy as np

from aligner.align.evidence import number_agreement, number_masks, span_masks


def agreement(a: str, b: str) -> float:
    masks = number_masks([a, b])
    return float(number_agreement(masks[:1], masks[1:])[0])


def test_the_same_figures_agree_in_any_digits():
    assert agreement("ارتفاعه ٨٨٤٨ مترا منذ عام ١٩٥٥", "Il mesure 8848 m depuis 1955.") == 1.0
    assert agreement("بلغت النسبة ۱۲٫۵ في المئة", "Le taux atteint 12,5 %.") == 1.0


def test_different_figures_disagree_and_partial_overlap_is_in_between():
    assert agreement("8579 m", "8597 m") == 0.0
    assert agreement("Expeditionen 1953 und 1954", "expédition de 1953") == 0.5


def test_a_side_without_numbers_is_no_evidence():
    assert agreement("أربعة متسلقين", "Quatre alpinistes.") == 0.5
    assert agreement("Vier Bergsteiger", "4 alpinistes") == 0.5


def test_leading_zeros_do_not_matter():
    assert agreement("à 09h05", "um 9.05 Uhr") == 1.0


def test_span_masks_join_their_sentences_numbers():
    masks = number_masks(["1952", "pas de chiffre", "1954"])
    spans = span_masks(masks, 2)
    assert len(spans) == 2
    assert spans[0] == masks[0] and spans[1] == masks[2]
    assert span_masks(masks, 4).shape == (0,)
    assert np.all(span_masks(masks, 1) == masks)
