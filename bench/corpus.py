"""Corpus building speed: documents/min, sentences/s and peak RSS of ``aligner build``.

    python bench/corpus.py          # 500 pairs; --jobs 1 (twice), --jobs 2, Dask 2 workers
    python bench/corpus.py --pairs 100 --configs jobs1,dask2

The document pairs are FLORES-200 dev + devtest articles (sentences grouped by URL; 562
articles), two or three sentences a paragraph. Every 10th pair is written as docx (Arabic
right-to-left, Amiri), every 10th + 3 as HTML, every 25th + 7 as PDF (LibreOffice from docx),
the rest as text, so the readers' cost is part of the figure. Each configuration runs the real
command line in a fresh output folder (no journal), in its own processes:

- ``jobs1``: ``aligner build DATA -o OUT``
- ``jobs1-omp1``: the same with ``OMP_NUM_THREADS=1`` (USE-m then encodes in one thread instead
  of one per core; short documents' calls are too small to share, so both should match)
- ``jobs2``: ``aligner build DATA -o OUT --jobs 2`` (each worker gets cores/2 BLAS threads)
- ``dask2``: ``dask scheduler`` + ``dask worker --nworkers 2 --nthreads 1`` on 127.0.0.1, then
  ``aligner build DATA -o OUT --scheduler ADDRESS`` (cluster start-up not timed).

Peak RSS is the largest sum, sampled every 0.2 s, of the resident memory of every process
involved (build command, pool workers, or scheduler + Dask workers). The time includes loading
the model in every worker. Sentences/s counts the sentences of both sides.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datasets import DATA

RESULTS = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parents[1]


def articles() -> list[tuple[list[str], list[str]]]:
    """FLORES dev + devtest articles: (Arabic sentences, French sentences), in file order."""
    docs: list[tuple[list[str], list[str]]] = []
    for split in ("dev", "devtest"):
        folder = DATA / "flores200-ar-fr"
        ar = (folder / split / f"arb_Arab.{split}").read_text(encoding="utf-8").splitlines()
        fr = (folder / split / f"fra_Latn.{split}").read_text(encoding="utf-8").splitlines()
        meta = (folder / f"metadata_{split}.tsv").read_text(encoding="utf-8").splitlines()[1:]
        grouped: OrderedDict[str, tuple[list[str], list[str]]] = OrderedDict()
        for row, a, f in zip(meta, ar, fr, strict=True):
            grouped.setdefault(row.split("\t")[0], ([], []))
            grouped[row.split("\t")[0]][0].append(a)
            grouped[row.split("\t")[0]][1].append(f)
        docs.extend(grouped.values())
    return docs


def paragraphs(sentences: list[str], k: int) -> list[str]:
    size = 2 + k % 2
    return [" ".join(sentences[i:i + size]) for i in range(0, len(sentences), size)]


def make_corpus(folder: Path, count: int) -> dict[str, int]:
    from tests.formats_fixtures import write_docx

    docs = articles()
    if count > len(docs):
        raise SystemExit(f"only {len(docs)} articles in FLORES dev + devtest")
    folder.mkdir(parents=True)
    pdf_sources = []
    kinds: dict[str, int] = {}
    for k, (ar, fr) in enumerate(docs[:count]):
        doc_id = f"flores{k:03d}"
        kind = ("docx" if k % 10 == 0 else "html" if k % 10 == 3
                else "pdf" if k % 25 == 7 else "txt")
        kinds[kind] = kinds.get(kind, 0) + 1
        for lang, sentences in (("ar", ar), ("fr", fr)):
            paras = paragraphs(sentences, k)
            target = folder / f"{doc_id}.{lang}.{kind}"
            if kind in ("docx", "pdf"):
                source = target.with_suffix(".docx")
                if kind == "pdf":
                    source = folder.parent / "pdf-src" / f"{doc_id}.{lang}.docx"
                    source.parent.mkdir(exist_ok=True)
                    pdf_sources.append(source)
                write_docx(source, paras, rtl=lang == "ar")
            elif kind == "html":
                body = "".join(f"<p>{p}</p>" for p in paras)
                target.write_text(f'<!DOCTYPE html><html lang="{lang}"><head><meta charset='
                                  f'"utf-8"><title>{doc_id}</title></head><body><article>'
                                  f"{body}</article></body></html>", encoding="utf-8")
            else:
                target.write_text("\n\n".join(paras) + "\n", encoding="utf-8")
    if pdf_sources:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{folder.parent}/lo",
                        "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                        *map(str, pdf_sources)], check=True, capture_output=True)
    return kinds


class PeakRss:
    """Samples the summed RSS of a set of process trees in a thread."""

    def __init__(self, roots: list[int]):
        self.roots = roots
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in self.roots:
                try:
                    root = psutil.Process(pid)
                    for proc in [root, *root.children(recursive=True)]:
                        total += proc.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            self._stop.wait(0.2)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def run_build(data: Path, out: Path, extra: list[str], watch: list[int],
              env_extra: dict[str, str] | None = None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env_extra or {})}
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "aligner", "build", str(data), "-o",
                                str(out), "-q", *extra], env=env, stderr=subprocess.PIPE)
    with PeakRss([process.pid, *watch]) as rss:
        _, err = process.communicate()
    seconds = time.perf_counter() - start
    if process.returncode not in (0, 3):
        raise SystemExit(f"build failed ({process.returncode}): {err.decode()[-2000:]}")
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    sentences = sum(stats["sentences"].values())
    documents = stats["documents"]["aligned"]
    return {"seconds": round(seconds, 1), "documents": documents, "sentences": sentences,
            "documents_per_minute": round(documents / seconds * 60, 1),
            "sentences_per_second": round(sentences / seconds, 1),
            "peak_rss_mb": round(rss.peak / 2**20), "exit_code": process.returncode}


def dask_cluster(work: Path) -> tuple[str, list[subprocess.Popen]]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    scheduler_file = work / "scheduler.json"
    scheduler = subprocess.Popen(["dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
                                  "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                                 env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not scheduler_file.exists():
        time.sleep(0.2)
    workers = subprocess.Popen(["dask", "worker", "--scheduler-file", str(scheduler_file),
                                "--nworkers", "2", "--nthreads", "1", "--no-dashboard"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    from distributed import Client

    with Client(scheduler_file=str(scheduler_file)) as client:
        client.wait_for_workers(2, timeout=120)
        address = client.scheduler.address
    return address, [scheduler, workers]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--configs", default="jobs1,jobs1-omp1,jobs2,dask2")
    parser.add_argument("--output", type=Path, default=RESULTS / "corpus.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="aligner-bench-corpus-"))
    try:
        data = work / "data"
        kinds = make_corpus(data, args.pairs)
        print(f"{args.pairs} pairs in {data}: {kinds}", flush=True)
        results = {}
        for config in args.configs.split(","):
            out = work / f"out-{config}"
            if config == "dask2":
                address, cluster = dask_cluster(work)
                try:
                    results[config] = run_build(data, out, ["--scheduler", address],
                                                [p.pid for p in cluster])
                finally:
                    for process in reversed(cluster):
                        process.terminate()
                        process.wait(timeout=60)
            else:
                jobs, _, omp = config.removeprefix("jobs").partition("-omp")
                results[config] = run_build(data, out, ["--jobs", jobs], [],
                                            {"OMP_NUM_THREADS": omp} if omp else None)
            print(config, json.dumps(results[config]), flush=True)
        outs = [work / f"out-{c}" for c in results]
        same = all((outs[0] / n).read_bytes() == (o / n).read_bytes() for o in outs[1:]
                   for n in ("corpus.tmx", "corpus.tsv", "stats.json"))
        stats = json.loads((outs[0] / "stats.json").read_text(encoding="utf-8"))
        report = {"pairs": args.pairs, "formats": kinds, "cpus": os.cpu_count(),
                  "identical_outputs": same, "runs": results,
                  "corpus": {k: v for k, v in stats.items() if k != "per_document"}}
        args.output.parent.mkdir(exist_ok=True)
        args.output.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
        print_report(report, stats)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def print_report(report: dict, stats: dict) -> None:
    from rich.console import Console

    from aligner.corpus.stats import table

    print(f"\n{report['pairs']} document pairs ({report['formats']}), {report['cpus']} CPUs; "
          f"outputs identical across runs: {report['identical_outputs']}")
    print(f"{'run':12}{'seconds':>9}{'docs/min':>10}{'sent/s':>9}{'peak RSS MB':>13}")
    for name, run in report["runs"].items():
        print(f"{name:12}{run['seconds']:9.1f}{run['documents_per_minute']:10.1f}"
              f"{run['sentences_per_second']:9.1f}{run['peak_rss_mb']:13d}")
    Console().print(table(stats))


if __name__ == "__main__":
    main()
