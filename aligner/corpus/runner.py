"""``build_corpus``: pair the inputs, align what the journal lacks, write the corpus files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console

from aligner import __version__
from aligner.api import Options
from aligner.corpus import executors
from aligner.corpus.executors import Task
from aligner.corpus.filters import CorpusFilter, FilterSettings
from aligner.corpus.journal import JOURNAL, Journal
from aligner.corpus.outputs import FORMATS, write_corpus
from aligner.corpus.pairing import (
    PAIR_SENTENCES,
    Pair,
    Pairing,
    find_pairs,
    finish_by_name,
    pair_by_content,
)
from aligner.corpus.progress import build_progress
from aligner.corpus.stats import CorpusStats
from aligner.corpus.worker import CHUNK, Record, encoder_for, fingerprint, fingerprint_file
from aligner.errors import InputError, OutputError


@dataclass(frozen=True)
class BuildSettings:
    """Everything ``aligner build`` was asked to do."""

    inputs: tuple[str, ...]
    outdir: str
    options: Options = field(default_factory=Options)
    filters: FilterSettings = field(default_factory=FilterSettings)
    formats: tuple[str, ...] = FORMATS
    pair_by: str = "name"
    jobs: int = 1
    scheduler: str | None = None
    fresh: bool = False


@dataclass
class BuildResult:
    stats: dict[str, Any]
    failed: int
    """Documents that could not be read or aligned (listed in errors.tsv)."""
    unpaired: int
    aligned_now: int
    unpaired_in_both_languages: bool = False
    """Name pairing left files of both languages without a partner: --pair-by content may
    pair them."""


def build_corpus(settings: BuildSettings, console: Console | None = None) -> BuildResult:
    """Build (or resume building) the corpus described by ``settings``."""
    console = console or Console(stderr=True, quiet=True)
    options = settings.options
    outdir = Path(settings.outdir)
    if outdir.exists() and not outdir.is_dir():
        raise OutputError("is a file, not a folder", path=str(outdir),
                          hint="give a folder for the corpus files with -o")
    pairing, loose = find_pairs(settings.inputs, options.src_lang, options.tgt_lang)
    if not pairing.pairs and not loose.src and not loose.tgt and (
            not loose.unknown or settings.pair_by != "content"):
        raise InputError("no documents found in the inputs", path=", ".join(settings.inputs),
                         hint="name files like report.ar.docx + report.fr.docx, use ar/ and "
                              "fr/ subfolders, or give a manifest TSV")
    _make_folder(outdir)  # only now: a run that cannot build anything leaves no folder behind
    journal = Journal(outdir, _journal_settings(options), fresh=settings.fresh)
    _remove_stale_temporaries(outdir)
    both = False
    if settings.pair_by == "content":
        pairing = _pair_by_content(pairing, loose, options, journal, console)
    else:
        both = bool(loose.src and loose.tgt)
        pairing = finish_by_name(pairing, loose, options.src_lang, options.tgt_lang)
    todo = [pair for pair in pairing.pairs if journal.get(pair.id, fingerprint(pair)) is None]
    lost: dict[str, Record] = {}
    if len(todo) < len(pairing.pairs):  # said once: the progress below counts only the rest
        done = len(pairing.pairs) - len(todo)
        console.print(f"build: {done:,} of {len(pairing.pairs):,} documents already done "
                      f"(resumed from {outdir / JOURNAL}), {len(todo):,} to align" if todo else
                      f"build: all {done:,} documents already done (in {outdir / JOURNAL}), "
                      f"nothing to align", markup=False, highlight=False, soft_wrap=True)
    with build_progress(console, len(todo)) as progress:
        for record in _execute(settings, _tasks(pairing.pairs, {p.id for p in todo})):
            if record.get("retry"):
                lost[record["id"]] = record
            else:
                journal.put(record)
            progress.advance(sum(record.get("sentences", [0, 0])))

    def records() -> Iterator[Record]:
        for pair in pairing.pairs:
            record = lost.get(pair.id) or journal.get(pair.id, fingerprint(pair))
            if record is None:  # its file changed while we ran: treat like a lost worker
                record = {"id": pair.id, "src": pair.src, "tgt": pair.tgt,
                          "error": "the input changed during the run; run again"}
            yield record

    stats = CorpusStats(options.src_lang, options.tgt_lang, pairs=len(pairing.pairs),
                        unpaired=len(pairing.unpaired), ignored=pairing.ignored)
    corpus_filter = CorpusFilter(settings.filters, options.src_lang, options.tgt_lang)
    result = write_corpus(str(outdir), records(), pairing.pairs, pairing.unpaired,
                          corpus_filter, stats, settings.formats, _model_name(options))
    return BuildResult(result, result["documents"]["failed"], len(pairing.unpaired), len(todo),
                       unpaired_in_both_languages=both)


def _tasks(pairs: list[Pair], todo: set[str]) -> list[Task]:
    """Fixed chunks of the sorted pairs (see :mod:`.worker`), those with work left."""
    tasks = []
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start:start + CHUNK]
        wanted = [pair.id for pair in chunk if pair.id in todo]
        if wanted:
            tasks.append((chunk, wanted))
    return tasks


def _execute(settings: BuildSettings, todo: list[Task]) -> Iterator[Record]:
    if not todo:
        return iter(())
    if settings.scheduler:
        return executors.run_dask(todo, settings.options, settings.scheduler)
    if settings.jobs > 1:
        return executors.run_processes(todo, settings.options, settings.jobs)
    return executors.run_here(todo, settings.options)


def _pair_by_content(pairing: Pairing, loose: Any, options: Options, journal: Journal,
                     console: Console) -> Pairing:
    """Content pairing, each document's vector cached in the journal (a resume re-reads it)."""
    total = len(loose.src) + len(loose.tgt) + len(loose.unknown)
    with build_progress(console, total, "pairing") as progress:
        def vector(path: str, lang: str) -> np.ndarray | None:
            key = json.dumps([path, lang, fingerprint_file(path)])
            cached = journal.get_vector(key)
            if cached is None:
                cached = _doc_vector(path, lang, options)
                journal.put_vector(key, cached)
            progress.advance(0)
            return None if cached.size == 0 else cached

        return pair_by_content(pairing, loose, vector, lambda path: _doc_language(path, options),
                               options.src_lang, options.tgt_lang)


def _doc_vector(path: str, lang: str, options: Options) -> np.ndarray:
    """The mean of the first sentences' vectors, unit length; empty when unreadable."""
    from aligner.readers import read_document
    from aligner.segment import segment_document

    empty = np.zeros(0, dtype=np.float32)
    try:
        doc = read_document(path, encoding=options.encoding, fmt=options.input_format)
        sentences = segment_document(doc, lang, presplit=options.presplit)[:PAIR_SENTENCES]
    except InputError:
        return empty
    if not sentences:
        return empty
    mean = encoder_for(options.model).encode([s.text for s in sentences]).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm).astype(np.float32) if norm else empty


def _doc_language(path: str, options: Options) -> str | None:
    from aligner.languages import line_language
    from aligner.readers import read_document

    try:
        doc = read_document(path, encoding=options.encoding, fmt=options.input_format)
    except InputError:
        return None
    sample = " ".join(p.text for p in doc.paragraphs)[:2000]
    return line_language(sample, options.src_lang, options.tgt_lang)


def _journal_settings(options: Options) -> dict[str, Any]:
    """What changes an alignment: a journal made with other values cannot be reused."""
    return {"aligner": __version__, "src_lang": options.src_lang, "tgt_lang": options.tgt_lang,
            "model": options.model, "mode": options.mode, "presplit": options.presplit,
            "encoding": options.encoding, "input_format": options.input_format,
            "params": options.params.as_dict()}


def _model_name(options: Options) -> str:
    return options.model


def _remove_stale_temporaries(outdir: Path) -> None:
    """Temporary files a killed run left beside the corpus files (``.corpus.tsv.1a2b.tmp``)."""
    for stale in outdir.glob(".*.tmp"):
        if stale.name.split(".")[1] in ("corpus", "stats", "errors", "dropped", "pairing"):
            stale.unlink(missing_ok=True)


def _make_folder(outdir: Path) -> None:
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create the folder ({error.strerror})", path=str(outdir),
                          hint="check the path and its permissions") from None
