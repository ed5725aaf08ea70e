"""Best matches by ratio margin: a sentence close to everything does not steal matches.

UN documents and news sites repeat boilerplate ("Le Représentant permanent de …"); by raw
cosine such a sentence is many sentences' best match. The order-free matcher anchors on
mutual best matches, so it must judge a pair against each sentence's neighbourhood.
"""

from __future__ import annotations

import numpy as np

from aligner.align.anchors import mutual_anchors, nearest


def unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def test_a_sentence_close_to_everything_does_not_take_a_weaker_true_match():
    e = np.eye(8, dtype=np.float32)
    src = e[:4]  # four unrelated source sentences
    hub = unit(e[0] + e[1] + e[2] + e[3])  # cosine 0.5 with each of them
    partner = unit(0.45 * e[0] + 0.893 * e[5])  # cosine 0.45 with source 0 only
    tgt = np.stack([partner, hub, e[1], e[2], e[3]])
    assert float(src[0] @ hub) > float(src[0] @ partner)  # by cosine the hub would win

    best = nearest(src, tgt)

    assert best.src_best.tolist() == [0, 2, 3, 4]
    assert best.tgt_best[0] == 0
    assert np.isclose(best.src_sim[0], src[0] @ partner)
    assert mutual_anchors(src, tgt, floor=0.4).tolist() == [[0, 0], [1, 2], [2, 3], [3, 4]]


def test_no_sentence_on_one_side_means_no_match():
    src = np.eye(3, dtype=np.float32)
    best = nearest(src, np.zeros((0, 3), np.float32))
    assert best.src_best.shape == (3,) and np.all(np.isinf(best.src_sim))
    assert mutual_anchors(src, np.zeros((0, 3), np.float32)).shape == (0, 2)
