"""Sentence segmentation speed before and after: sentences per second on the speed benchmark's text.

    python bench/segment_speed.py                    # 10k and 100k sentences per side, twice
    python bench/segment_speed.py --sizes 10000 --runs 1
    python bench/segment_speed.py --rev b5618e7       # once merged: the last commit before

"Before" is ``aligner/segment.py`` of the commit where this branch left ``main`` (loaded from
git, see ``segment_base.py``; ``--rev`` picks another), "after" the working tree. The text is
bench/speed.py's: FLORES-200 dev + devtest and the UNPC dev set, Arabic and French, written as
paragraphs of five sentences and read with ``aligner.readers.read_document``. Each run times
``segment_document`` on the Arabic then the French document, wall-clock and CPU time of this
process (the machine may be shared: CPU time is the steadier figure). Both versions must give
the same sentences, or the script says so and exits 1.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from segment_base import base_revision, old_segment_module
from speed import corpus, write_paragraphs

from aligner import segment as new
from aligner.readers import read_document
from aligner.types import Document


def timed(module, docs) -> tuple[float, float, list]:
    """Wall and CPU seconds to segment the Arabic and the French document, and the sentences."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = [module.segment_document(docs[0], "ar"), module.segment_document(docs[1], "fr")]
    return time.perf_counter() - wall, time.process_time() - cpu, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--rev", help="git revision of the 'before' splitter (default: merge-base)")
    args = parser.parse_args()
    rev = args.rev or base_revision()
    old = old_segment_module(rev)
    print(f"before: aligner/segment.py at {rev[:10]}; after: working tree")
    print(f"{'size':>7}{'run':>4}{'sentences':>10}{'before s':>9}{'cpu':>7}{'sent/s':>8}"
          f"{'after s':>9}{'cpu':>7}{'sent/s':>8}{'×wall':>7}{'×cpu':>6}")
    same = True
    for size in args.sizes:
        ar, fr = corpus(size)
        with tempfile.TemporaryDirectory() as tmp:
            paths = Path(tmp) / "ar.txt", Path(tmp) / "fr.txt"
            write_paragraphs(ar, paths[0])
            write_paragraphs(fr, paths[1])
            docs = read_document(str(paths[0])), read_document(str(paths[1]))
        warm = [Document(d.paragraphs[:20], d.path) for d in docs]  # compile the rules first
        timed(new, warm)
        timed(old, warm)
        for run in range(1, args.runs + 1):
            old_wall, old_cpu, before = timed(old, docs)
            new_wall, new_cpu, after = timed(new, docs)
            same &= before == after
            n = sum(len(side) for side in after)
            print(f"{size:>7}{run:>4}{n:>10}{old_wall:>9.1f}{old_cpu:>7.1f}{n / old_wall:>8.0f}"
                  f"{new_wall:>9.1f}{new_cpu:>7.1f}{n / new_wall:>8.0f}"
                  f"{old_wall / new_wall:>7.1f}{old_cpu / new_cpu:>6.1f}", flush=True)
    print("same sentences before and after" if same else "DIFFERENT SENTENCES")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
