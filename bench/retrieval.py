"""Sentence-level retrieval accuracy (P@1) of the encoder, raw cosine vs ratio margin.

    python bench/retrieval.py

For every Arabic sentence, is its French translation the nearest French sentence of the set
(and the other way round)? UNPC dev (4,000 pairs) and Tatoeba ara-fra (1,569 pairs). The
margin is Artetxe & Schwenk's (2019) ratio: cos(x, y) over the mean of both sides' k nearest
cosines, which discounts "hub" sentences close to everything. Writes bench/results/retrieval.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import DATA

from aligner.embed import EmbeddingStore, load_encoder

RESULTS = Path(__file__).resolve().parent / "results"


def pairs() -> dict[str, tuple[list[str], list[str]]]:
    unpc = DATA / "unpc-ar-fr"
    tatoeba = DATA / "tatoeba-ar-fr"
    return {
        "unpc-dev": ((unpc / "UNv1.0.devset.ar").read_text(encoding="utf-8").splitlines(),
                     (unpc / "UNv1.0.devset.fr").read_text(encoding="utf-8").splitlines()),
        "tatoeba": ((tatoeba / "tatoeba-test-v2021-08-07.ara").read_text(encoding="utf-8")
                    .splitlines(),
                    (tatoeba / "tatoeba-test-v2021-08-07.fra").read_text(encoding="utf-8")
                    .splitlines()),
    }


def precision_at_1(sims: np.ndarray, src: list[str], tgt: list[str]) -> float:
    """Share of rows whose best column is a correct translation (duplicates count as right)."""
    best = sims.argmax(axis=1)
    right = [tgt[b] == tgt[k] or src[k] == src[int(sims[:, b].argmax())]
             for k, b in enumerate(best)]
    return float(np.mean(right))


def margin(sims: np.ndarray, k: int = 4) -> np.ndarray:
    """Ratio margin: ``cos / ((knn_mean(row) + knn_mean(col)) / 2)``."""
    row = np.sort(sims, axis=1)[:, -k:].mean(axis=1)
    col = np.sort(sims, axis=0)[-k:, :].mean(axis=0)
    return sims / ((row[:, None] + col[None, :]) / 2)


def main() -> None:
    store = EmbeddingStore(load_encoder())
    results = {}
    print(f"{'set':10}{'pairs':>7}{'cos ar→fr':>11}{'cos fr→ar':>11}{'margin ar→fr':>14}"
          f"{'margin fr→ar':>14}")
    for name, (ar, fr) in pairs().items():
        sims = store.vectors(ar) @ store.vectors(fr).T
        marg = margin(sims)
        row = {"pairs": len(ar),
               "cosine_ar_fr": precision_at_1(sims, ar, fr),
               "cosine_fr_ar": precision_at_1(sims.T, fr, ar),
               "margin_ar_fr": precision_at_1(marg, ar, fr),
               "margin_fr_ar": precision_at_1(marg.T, fr, ar)}
        results[name] = row
        print(f"{name:10}{len(ar):>7}{row['cosine_ar_fr']:>11.3f}{row['cosine_fr_ar']:>11.3f}"
              f"{row['margin_ar_fr']:>14.3f}{row['margin_fr_ar']:>14.3f}", flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "retrieval.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
