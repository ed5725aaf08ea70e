"""Old and new sentence splitter give the same sentences: byte for byte, on every corpus we have.

    python bench/segment_check.py              # against the commit where the branch left main
    python bench/segment_check.py --rev b5618e7   # against another revision (needed once
                                                  # the change is merged into main)

Each text is read with ``aligner.readers.read_document`` in three shapes: as the file is (one
sentence per line), as paragraphs of five sentences joined by spaces (the speed benchmark's
shape), and as paragraphs of fifty (long lines). It is segmented with its own language and, for
Latin-script texts, also with the English rules. Every ``Sentence`` (text, paragraph, line) must
be equal; the script prints the figures and exits 1 on the first difference it reports.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import DATA
from segment_base import REPO, base_revision, old_segment_module

from aligner import segment as new
from aligner.readers import read_document


def sources() -> list[tuple[str, str, Path]]:
    """(name, language, path) of every one-sentence-per-line text, plus the real web page."""
    flores, unpc = DATA / "flores200-ar-fr", DATA / "unpc-ar-fr"
    rows = []
    for split in ("dev", "devtest"):
        rows += [(f"flores-{split}", "ar", flores / split / f"arb_Arab.{split}"),
                 (f"flores-{split}", "fr", flores / split / f"fra_Latn.{split}")]
    rows += [("unpc-dev", "ar", unpc / "UNv1.0.devset.ar"),
             ("unpc-dev", "fr", unpc / "UNv1.0.devset.fr")]
    for path in sorted((DATA / "textberg-de-fr").glob("*.de")):
        rows += [(f"textberg-{path.stem}", "de", path),
                 (f"textberg-{path.stem}", "fr", path.with_suffix(".fr"))]
    tatoeba = DATA / "tatoeba-ar-fr"
    rows += [("tatoeba", "ar", tatoeba / "tatoeba-test-v2021-08-07.ara"),
             ("tatoeba", "fr", tatoeba / "tatoeba-test-v2021-08-07.fra")]
    rows += [("tests-data", "ar", REPO / "tests/data/flores_dev_excerpt.arb_Arab"),
             ("tests-data", "fr", REPO / "tests/data/flores_dev_excerpt.fra_Latn")]
    seed = REPO / "examples/seed_aleppo_blog.txt"
    rows += [("seed-aleppo", "ar", seed), ("seed-aleppo", "fr", seed)]
    return rows


def shapes(path: Path, tmp: Path) -> list[tuple[str, Path]]:
    """The file itself, then its lines as paragraphs of 5 and of 50 sentences."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = [("as-is", path)]
    for size in (5, 50):
        shaped = tmp / f"{path.name}.p{size}.txt"
        paras = [" ".join(lines[k:k + size]) for k in range(0, len(lines), size)]
        shaped.write_text("\n\n".join(paras) + "\n", encoding="utf-8")
        out.append((f"para{size}", shaped))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", help="git revision of the old splitter (default: merge-base)")
    args = parser.parse_args()
    rev = args.rev or base_revision()
    old = old_segment_module(rev)
    print(f"old: aligner/segment.py at {rev[:10]}; new: working tree")
    print(f"{'text':<18}{'lang':>5}{'rules':>6}{'shape':>8}{'sentences':>10}{'old s':>8}"
          f"{'new s':>8}{'speed-up':>9}  same")
    totals = {"sentences": 0, "old": 0.0, "new": 0.0, "runs": 0}
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for name, lang, path in sources():
            for shape, shaped in shapes(path, Path(tmp)):
                doc = read_document(str(shaped))
                for rules in [lang] + (["en"] if lang in ("fr", "de") else []):
                    t0 = time.perf_counter()
                    before = old.segment_document(doc, rules)
                    t1 = time.perf_counter()
                    after = new.segment_document(doc, rules)
                    t2 = time.perf_counter()
                    same = before == after
                    totals["sentences"] += len(after)
                    totals["old"] += t1 - t0
                    totals["new"] += t2 - t1
                    totals["runs"] += 1
                    print(f"{name:<18}{lang:>5}{rules:>6}{shape:>8}{len(after):>10}{t1 - t0:>8.2f}"
                          f"{t2 - t1:>8.2f}{(t1 - t0) / max(t2 - t1, 1e-9):>9.1f}  "
                          f"{'yes' if same else 'NO'}", flush=True)
                    if not same:
                        failed = True
                        first = next((k for k, (a, b) in enumerate(zip(before, after,
                                                                       strict=False))
                                      if a != b), min(len(before), len(after)))
                        print(f"  first difference at sentence {first}:\n"
                              f"  old {before[first:first + 2]}\n  new {after[first:first + 2]}")
    print(f"{totals['runs']} runs, {totals['sentences']} sentences: old {totals['old']:.1f} s, "
          f"new {totals['new']:.1f} s (×{totals['old'] / totals['new']:.1f}); "
          f"{'all identical' if not failed else 'DIFFERENCES FOUND'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
