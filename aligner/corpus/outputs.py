"""The corpus files, written from the journal in document-id order, each one atomically.

``corpus.tmx`` (TMX 1.4b, one ``<tu>`` per kept two-sided link, ``x-doc`` and ``x-score``
props), ``corpus.<src>`` + ``corpus.<tgt>`` (Moses), ``corpus.tsv`` (``id, score, source,
target``), ``corpus.jsonl`` (one kept link a line). Always: ``stats.json``, ``errors.tsv``
(``id, source, target, reason`` of every failed document and unpaired file), ``dropped.tsv``
(``id, reason, score, source, target`` of every link left out), and ``pairing.tsv`` (``id,
source, target, how, score``).

Every file goes to a temporary name first and is renamed only when all of them are complete,
so OUTDIR never holds half a file.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, TextIO

from lxml import etree

from aligner.corpus.filters import CorpusFilter
from aligner.corpus.pairing import Pair, Unpaired
from aligner.corpus.stats import CorpusStats
from aligner.writers.atomic import atomic_binary, atomic_text
from aligner.writers.tmx import xml_text
from aligner.writers.tsv import format_score, one_line

FORMATS = ("tmx", "moses", "tsv", "jsonl")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class CorpusWriter:
    """Open streams for the chosen formats; :meth:`add` writes one kept link to each."""

    def __init__(self, stack: contextlib.ExitStack, outdir: str, formats: Iterable[str],
                 langs: tuple[str, str], model: str):
        self.langs = langs
        self.formats = set(formats)
        self.text: dict[str, TextIO] = {}
        self.tmx: Any = None
        if "tmx" in self.formats:
            stream: BinaryIO = stack.enter_context(atomic_binary(f"{outdir}/corpus.tmx"))
            self.tmx = stack.enter_context(_tmx_body(stream, langs, model))
        if "moses" in self.formats:
            for lang in langs:
                self.text[lang] = stack.enter_context(atomic_text(f"{outdir}/corpus.{lang}"))
        for fmt in ("tsv", "jsonl"):
            if fmt in self.formats:
                self.text[fmt] = stack.enter_context(atomic_text(f"{outdir}/corpus.{fmt}"))

    def add(self, doc_id: str, link: dict[str, Any]) -> None:
        src, tgt = link["src"], link["tgt"]
        if src and tgt:
            if self.tmx is not None:
                self.tmx.write("\n    ")
                self.tmx.write(_unit(doc_id, link, self.langs))
            if "moses" in self.formats:
                self.text[self.langs[0]].write(one_line(src) + "\n")
                self.text[self.langs[1]].write(one_line(tgt) + "\n")
        if "tsv" in self.formats:
            self.text["tsv"].write(f"{one_line(doc_id)}\t{format_score(link['score'])}\t"
                                   f"{one_line(src)}\t{one_line(tgt)}\n")
        if "jsonl" in self.formats:
            row = {"doc": doc_id, "source": link["source"], "target": link["target"],
                   "src": src, "tgt": tgt, "score": link["score"], "flags": link["flags"]}
            self.text["jsonl"].write(json.dumps(row, ensure_ascii=False) + "\n")


@contextlib.contextmanager
def _tmx_body(stream: BinaryIO, langs: tuple[str, str], model: str) -> Iterator[Any]:
    from aligner import __version__

    stream.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    with etree.xmlfile(stream, encoding="utf-8") as xf, xf.element("tmx", version="1.4"):
        header = etree.Element("header", creationtool="aligner",
                               creationtoolversion=__version__, datatype="plaintext",
                               segtype="sentence", adminlang="en", srclang=langs[0],
                               **{"o-tmf": "aligner"})
        etree.SubElement(header, "prop", type="x-model").text = xml_text(model)
        xf.write("\n  ")
        xf.write(header)
        xf.write("\n  ")
        with xf.element("body"):
            yield xf
            xf.write("\n  ")
        xf.write("\n")
    stream.write(b"\n")


def _unit(doc_id: str, link: dict[str, Any], langs: tuple[str, str]) -> etree._Element:
    unit = etree.Element("tu")
    etree.SubElement(unit, "prop", type="x-doc").text = xml_text(doc_id)
    etree.SubElement(unit, "prop", type="x-score").text = format_score(link["score"])
    for lang, text in zip(langs, (link["src"], link["tgt"]), strict=True):
        variant = etree.SubElement(unit, "tuv", {_XML_LANG: lang})
        etree.SubElement(variant, "seg").text = xml_text(one_line(text))
    return unit


def write_corpus(outdir: str, records: Iterable[dict[str, Any]], pairs: list[Pair],
                 unpaired: list[Unpaired], corpus_filter: CorpusFilter, stats: CorpusStats,
                 formats: Iterable[str], model: str) -> dict[str, Any]:
    """Write every file from ``records`` (in pair order); return the stats dictionary."""
    langs = corpus_filter.langs
    with contextlib.ExitStack() as stack:
        writer = CorpusWriter(stack, outdir, formats, langs, model)
        errors = stack.enter_context(atomic_text(f"{outdir}/errors.tsv"))
        dropped = stack.enter_context(atomic_text(f"{outdir}/dropped.tsv"))
        pairing = stack.enter_context(atomic_text(f"{outdir}/pairing.tsv"))
        errors.write("id\tsource\ttarget\treason\n")
        dropped.write("id\treason\tscore\tsource\ttarget\n")
        pairing.write("id\tsource\ttarget\thow\tscore\n")
        for pair in pairs:
            pairing.write(f"{pair.id}\t{pair.src}\t{pair.tgt}\t{pair.how}\t"
                          f"{format_score(pair.score)}\n")
        for record in records:
            if "error" in record:
                stats.failed += 1
                errors.write(f"{record['id']}\t{record['src']}\t{record['tgt']}\t"
                             f"{one_line(record['error'])}\n")
                continue
            kept = 0
            for link in record["links"]:
                reason = corpus_filter.reason(link)
                if reason is None:
                    kept += 1
                    writer.add(record["id"], link)
                else:
                    dropped.write(f"{record['id']}\t{reason}\t{format_score(link['score'])}\t"
                                  f"{one_line(link['src'])}\t{one_line(link['tgt'])}\n")
            stats.add_document(record, kept)
        for item in unpaired:
            errors.write(f"\t{item.path}\t\t{one_line(item.reason)}\n")
        result = stats.as_dict(corpus_filter.dropped, corpus_filter.settings.as_dict())
        stats_file = stack.enter_context(atomic_text(f"{outdir}/stats.json"))
        stats_file.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    return result
