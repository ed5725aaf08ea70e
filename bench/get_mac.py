"""Extract MAC-Test (Chinese-English literary chapters, human-aligned) from a Bertalign clone.

    git clone https://github.com/bfsujason/bertalign /tmp/bertalign
    python bench/get_mac.py /tmp/bertalign            # writes bench/data/mac/

MAC-Test (Liu & Zhu 2022, "Bertalign") holds 24 chapters of six novels with their published
English translations, sentence-split and aligned by hand: 4,875 Chinese and 6,610 English
sentences in 4,504 links, a third of them n-m. It is the second human-aligned set our
benchmarks have beside Text+Berg, and the one where translators expand most (1-2 … 1-6 links,
almost no 1-0/0-1). The repository removed it in a later commit; this reads it from the commit
that still has it. The texts are copyrighted novels: they stay out of this repository
(bench/data/ is ignored by git), and only figures measured on them are committed.

bench/datasets.py splits it by book: books 1-3 (chapters 001-012) are ``dev``, books 4-6
(013-024) ``test``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

COMMIT = "e9c1428ccdaf409fc9c8af12626db4a12df5c084"
"""The last Bertalign commit whose tree holds corpus/mac/test and eval/mac/test/gold."""
OUT = Path(__file__).resolve().parent / "data" / "mac"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path, help="a git clone of bfsujason/bertalign")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for k in range(1, 25):
        for source, name in ((f"corpus/mac/test/split/{k:03d}.zh", f"{k:03d}.zh"),
                             (f"corpus/mac/test/split/{k:03d}.en", f"{k:03d}.en"),
                             (f"eval/mac/test/gold/{k:03d}.align", f"{k:03d}.align")):
            shown = subprocess.run(["git", "-C", str(args.repo), "show", f"{COMMIT}:{source}"],
                                   capture_output=True, check=False)
            if shown.returncode:
                sys.exit(f"{args.repo}: cannot read {source} at {COMMIT[:7]} "
                         f"({shown.stderr.decode().strip()}); give a full clone of bertalign")
            (args.out / name).write_bytes(shown.stdout)
    print(f"written 72 files to {args.out}")


if __name__ == "__main__":
    main()
