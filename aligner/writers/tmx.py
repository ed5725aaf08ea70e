"""TMX 1.4b translation memory, for CAT tools (OmegaT, Trados, memoQ) and translate-toolkit.

::

    <?xml version="1.0" encoding="UTF-8"?>
    <tmx version="1.4">
      <header creationtool="aligner" creationtoolversion="0.1.0" datatype="plaintext"
       segtype="sentence" adminlang="en" srclang="ar" o-tmf="aligner"><prop type="x-model">
       use-m-v3</prop><prop type="x-mode">ordered</prop></header>
      <body>
        <tu><prop type="x-score">0.8200</prop><tuv xml:lang="ar"><seg>…</seg></tuv><tuv
         xml:lang="fr"><seg>…</seg></tuv></tu>
      </body>
    </tmx>

(wrapped here; in the file the header and each ``<tu>`` are one line, so units can be grepped
and counted with line tools).

One ``<tu>`` per link with sentences on both sides; a span of several sentences is one
segment, joined with spaces. The file is streamed with :class:`lxml.etree.xmlfile`, one
``<tu>`` at a time, so memory does not grow with the document.

Choices: no ``<!DOCTYPE>`` (a parser that insists on fetching ``tmx14.dtd`` would fail, and
the format does not require one) and no ``creationdate`` (the same input must give the same
bytes). Characters that XML 1.0 forbids (C0 controls other than tab, LF and CR; lone
surrogates; U+FFFE and U+FFFF) are removed: they cannot be written, and no real text needs them.
"""

from __future__ import annotations

import re
from typing import BinaryIO

from lxml import etree

from aligner.errors import InputError
from aligner.types import Alignment, Link
from aligner.writers.tsv import format_score, span_text

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# BCP 47 shape only (language, then subtags), e.g. "ar", "ar-SA", "zh-Hant-TW".
_LANG_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", text)


def write(alignment: Alignment, stream: BinaryIO, *, langs: tuple[str, str] | None = None) -> None:
    """Write ``alignment`` as UTF-8 TMX.

    Args:
        langs: ``xml:lang`` codes for the source and target, e.g. ``("ar-SA", "fr-FR")``;
            the alignment's own languages when None.

    Raises:
        InputError: when a code in ``langs`` is not shaped like a language tag.
    """
    src_lang, tgt_lang = langs or (alignment.source.lang, alignment.target.lang)
    for code in (src_lang, tgt_lang):
        if not _LANG_TAG.fullmatch(code):
            raise InputError(
                f"{code!r} is not a language code", hint="use a tag such as ar, ar-SA or fr-FR"
            )
    # lxml cannot write the line break after the declaration (text outside the root element),
    # so the declaration is written here and the serializer starts at the root.
    stream.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    with etree.xmlfile(stream, encoding="utf-8") as xf, xf.element("tmx", version="1.4"):
        xf.write("\n  ")
        xf.write(_header(alignment, src_lang))
        xf.write("\n  ")
        with xf.element("body"):
            for link in alignment.links:
                if link.source and link.target:
                    xf.write("\n    ")
                    xf.write(_unit(alignment, link, src_lang, tgt_lang))
            xf.write("\n  ")
        xf.write("\n")
    stream.write(b"\n")


def _header(alignment: Alignment, src_lang: str) -> etree._Element:
    from aligner import __version__  # here, not at import: aligner/__init__ may import writers

    header = etree.Element(
        "header",
        creationtool="aligner",
        creationtoolversion=__version__,
        datatype="plaintext",
        segtype="sentence",
        adminlang="en",
        srclang=src_lang,
        **{"o-tmf": "aligner"},
    )
    _prop(header, "x-model", alignment.model)
    _prop(header, "x-mode", alignment.mode)
    return header


def _unit(alignment: Alignment, link: Link, src_lang: str, tgt_lang: str) -> etree._Element:
    unit = etree.Element("tu")
    if link.score is not None:
        _prop(unit, "x-score", format_score(link.score))
    if link.status is not None:
        _prop(unit, "x-status", link.status)
    sides = (
        (src_lang, span_text(alignment.source.sentences, link.source)),
        (tgt_lang, span_text(alignment.target.sentences, link.target)),
    )
    for lang, text in sides:
        variant = etree.SubElement(unit, "tuv", {_XML_LANG: lang})
        etree.SubElement(variant, "seg").text = xml_text(text)
    return unit


def _prop(parent: etree._Element, kind: str, value: str) -> None:
    etree.SubElement(parent, "prop", type=kind).text = xml_text(value)
