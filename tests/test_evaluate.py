"""Strict and lax P/R/F1: by hand, against the Text+Berg gold, and against Vecalign's score.py."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from aligner.errors import FormatError, InputError
from aligner.evaluate import (
    PRF,
    LinkPair,
    Scores,
    alignment_links,
    evaluate,
    evaluate_many,
    read_vecalign,
)
from aligner.types import Alignment, Link, Side

DOCS = ["dev"] + [f"test{i}" for i in range(7)]


@pytest.fixture(scope="module")
def gold(shared_data: Path) -> dict[str, list[LinkPair]]:
    # The gold lives in the project's shared data (GPL-2.0, not copied: tests/data/README.md).
    textberg = shared_data / "textberg-de-fr"
    if not textberg.is_dir():
        pytest.skip(f"Text+Berg gold not found at {textberg}")
    return {doc: read_vecalign(str(textberg / f"{doc}.defr")) for doc in DOCS}


# A small case worked out by hand.
HAND_GOLD = [((0,), (0,)), ((1,), (1, 2)), ((2, 3), (3,)), ((), (4,)), ((4,), (5,))]
HAND_PRED = [
    ((0,), (0,)),  # exact: strict and lax hit
    ((1,), (1,)),  # overlaps gold [1]:[1, 2]: lax hit only
    ((), (2,)),  # one-sided, not in gold: miss
    ((2,), (3,)),  # overlaps gold [2, 3]:[3]: lax hit only
    ((3,), ()),  # one-sided, not in gold: miss
    ((), (4,)),  # one-sided and in gold: strict and lax hit
    ((4,), (6,)),  # gold links 4 with 5: miss
]


def test_hand_computed_scores() -> None:
    # Precision over all 7 predicted links: strict 2/7, lax 4/7.
    # Recall over the 4 two-sided gold links, against the 4 two-sided predicted ones:
    # [0]:[0] exact; [1]:[1, 2] and [2, 3]:[3] overlap; [4]:[5] is missed. Strict 1/4, lax 3/4.
    scores = evaluate(HAND_PRED, HAND_GOLD)
    strict, lax = scores.strict, scores.lax
    assert (strict.precision, strict.recall, strict.f1) == pytest.approx((2 / 7, 1 / 4, 4 / 15))
    assert (lax.precision, lax.recall, lax.f1) == pytest.approx((4 / 7, 3 / 4, 24 / 37))


def test_one_sided_links_count_for_precision_only() -> None:
    gold = [((0,), (0,)), ((1,), ())]
    assert evaluate([((0,), (0,))], gold).strict == PRF(1.0, 1.0, 1.0)
    extra = evaluate([((0,), (0,)), ((), (7,))], gold)
    assert (extra.strict.precision, extra.strict.recall) == (0.5, 1.0)


def test_repeated_links_and_empty_links_are_ignored() -> None:
    pred = [((0,), (0,)), ((0,), (0,)), ((), ()), ([1], [1])]
    assert evaluate(pred, [((0,), (0,)), ((1,), (1,))]).strict == PRF(1.0, 1.0, 1.0)


def test_nothing_predicted_scores_zero_without_dividing_by_zero() -> None:
    assert evaluate([], HAND_GOLD) == Scores(PRF(0.0, 0.0, 0.0), PRF(0.0, 0.0, 0.0))


def test_many_documents_are_pooled_not_averaged() -> None:
    small = ([((0,), (1,))], [((0,), (0,))])  # 0 of 1 right
    large = ([((i,), (i,)) for i in range(9)],) * 2  # 9 of 9 right
    pooled = evaluate_many([small[0], large[0]], [small[1], large[1]])
    assert pooled.strict.precision == 0.9  # an average of the two documents would give 0.5
    assert pooled.documents == 2


def test_many_documents_need_as_many_predictions_as_golds() -> None:
    with pytest.raises(ValueError, match="2 predictions but 1 gold"):
        evaluate_many([[], []], [[]])


def test_to_dict_is_plain_data() -> None:
    assert evaluate([((0,), (0,))], [((0,), (0,))]).to_dict() == {
        "strict": {"precision": 1.0, "recall": 1.0, "f1": 1.0},
        "lax": {"precision": 1.0, "recall": 1.0, "f1": 1.0},
        "documents": 1,
    }


def test_alignment_links_feed_evaluate() -> None:
    alignment = Alignment(
        Side("ar", None, ()),
        Side("fr", None, ()),
        (Link((0,), (0, 1), 0.9), Link((1,), (), None)),
        "m",
        "ordered",
    )
    assert alignment_links(alignment) == [((0,), (0, 1)), ((1,), ())]


# ---- Text+Berg gold and Vecalign's own scorer ----------------------------------------------


@pytest.mark.parametrize("doc", DOCS)
def test_gold_scores_one_against_itself(gold: dict[str, list[LinkPair]], doc: str) -> None:
    perfect = PRF(1.0, 1.0, 1.0)
    assert evaluate(gold[doc], gold[doc]) == Scores(perfect, perfect)


def test_gold_files_read_as_expected(gold: dict[str, list[LinkPair]]) -> None:
    assert len(gold["dev"]) == 422 and sum(len(gold[f"test{i}"]) for i in range(7)) == 916
    assert gold["test0"][6] == ((6, 7), (9, 10))


# Deterministic perturbations of the gold: the mistakes an aligner makes.
def merge_every(links: Sequence[LinkPair], k: int) -> list[LinkPair]:
    """Merge link i with link i+1 whenever i % k == 0 (too-large links)."""
    out, i = [], 0
    while i < len(links):
        if i % k == 0 and i + 1 < len(links):
            (s1, t1), (s2, t2) = links[i], links[i + 1]
            out.append((tuple(s1) + tuple(s2), tuple(t1) + tuple(t2)))
            i += 2
        else:
            out.append(links[i])
            i += 1
    return out


def split_many(links: Sequence[LinkPair]) -> list[LinkPair]:
    """Split every n-m link with n + m > 2 into a 1-1 link and one-sided leftovers."""
    out: list[LinkPair] = []
    for src, tgt in links:
        if len(src) + len(tgt) > 2 and src and tgt:
            out.append((src[:1], tgt[:1]))
            out.extend(((s,), ()) for s in src[1:])
            out.extend(((), (t,)) for t in tgt[1:])
        else:
            out.append((src, tgt))
    return out


def unlink_every(links: Sequence[LinkPair], k: int) -> list[LinkPair]:
    """Turn every k-th 1-1 link into a deletion and an insertion."""
    out: list[LinkPair] = []
    for i, (src, tgt) in enumerate(links):
        if i % k == 0 and len(src) == 1 and len(tgt) == 1:
            out.extend([(src, ()), ((), tgt)])
        else:
            out.append((src, tgt))
    return out


def shift_every(links: Sequence[LinkPair], k: int) -> list[LinkPair]:
    """Move the target of every k-th link one sentence on (a boundary error)."""
    return [
        (src, tuple(t + 1 for t in tgt)) if i % k == 0 and tgt else (src, tgt)
        for i, (src, tgt) in enumerate(links)
    ]


PERTURBATIONS: dict[str, Callable[[Sequence[LinkPair]], list[LinkPair]]] = {
    "merge3": lambda g: merge_every(g, 3),
    "split": split_many,
    "unlink4": lambda g: unlink_every(g, 4),
    "shift5": lambda g: shift_every(g, 5),
    "combo": lambda g: shift_every(unlink_every(merge_every(split_many(g), 7), 3), 11),
}

# Figures printed by Vecalign's own scorer (thompsonb/vecalign @ f372627, vecalign/score.py,
# score_multiple(gold_list, test_list)), run outside this repository on the same perturbed
# predictions of test0..test6 pooled (and of dev for "combo"). Order: strict P, R, F1, then lax
# P, R, F1. Our figures must be equal to the last bit, not just close.
VECALIGN_FIGURES = {
    ("merge3", "test"): (
        (0.49836065573770494, 0.3321678321678322, 0.3986362444269604),
        (0.9819672131147541, 1.0, 0.9909015715467329),
    ),
    ("split", "test"): (
        (0.647887323943662, 0.7902097902097902, 0.712006026984453),
        (0.8063380281690141, 1.0, 0.8927875243664718),
    ),
    ("unlink4", "test"): (
        (0.6838235294117647, 0.7995337995337995, 0.7371656363741406),
        (0.6838235294117647, 0.7995337995337995, 0.7371656363741406),
    ),
    ("shift5", "test"): (
        (0.8092613009922822, 0.8006993006993007, 0.8049575338759228),
        (0.8257993384785005, 0.8181818181818182, 0.8219729301304719),
    ),
    ("combo", "test"): (
        (0.382648401826484, 0.4393939393939394, 0.40906259994276956),
        (0.5908675799086758, 0.7937062937062938, 0.6774291005449635),
    ),
    ("combo", "dev"): (
        (0.27166666666666667, 0.35958005249343833, 0.30950153496462307),
        (0.5066666666666667, 0.8136482939632546, 0.6244698897370654),
    ),
}


@pytest.mark.parametrize(("kind", "split"), list(VECALIGN_FIGURES))
def test_same_figures_as_vecalign_score_py(
    gold: dict[str, list[LinkPair]], kind: str, split: str
) -> None:
    docs = ["dev"] if split == "dev" else [f"test{i}" for i in range(7)]
    golds = [gold[doc] for doc in docs]
    scores = evaluate_many([PERTURBATIONS[kind](g) for g in golds], golds)
    strict, lax = VECALIGN_FIGURES[kind, split]
    assert scores.strict == PRF(*strict)
    assert scores.lax == PRF(*lax)


# ---- reading files -------------------------------------------------------------------------


def test_read_vecalign_names_file_and_line_of_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "pred.txt"
    path.write_text("[0]:[0]:0.5\n[1]:[1]:0.4\n[2]:[2\n", "utf-8")
    with pytest.raises(FormatError) as caught:
        read_vecalign(str(path))
    assert caught.value.one_line().startswith(f"{path}: line 3: expected '[i, ...]:[j, ...]'")


def test_read_vecalign_missing_file(tmp_path: Path) -> None:
    path = str(tmp_path / "absent.txt")
    with pytest.raises(InputError) as caught:
        read_vecalign(path)
    assert caught.value.path == path and "no such file" in caught.value.message


def test_read_vecalign_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "pred.bin"
    path.write_bytes(b"[0]:[0]\n\xff\xfe\x00")
    with pytest.raises(FormatError, match="not UTF-8"):
        read_vecalign(str(path))
