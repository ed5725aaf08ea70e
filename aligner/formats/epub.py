"""EPUB books: the OPF spine read with lxml from the (checked) zip, chapters in reading order.

``META-INF/container.xml`` names the package document (OPF); its ``<spine>`` lists the
chapters in reading order by manifest id. Each chapter is XHTML whose block elements become
paragraphs (:mod:`.markup`). Everything is parsed with the safe XML parser of :mod:`.safety`;
no AGPL-licensed EPUB library is involved.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

from lxml import etree

from aligner.errors import FormatError
from aligner.formats.common import document_from_blocks
from aligner.formats.markup import element_blocks
from aligner.formats.safety import open_zip, parse_xml, read_member
from aligner.readers import read_bytes
from aligner.types import Document

_CONTAINER = "META-INF/container.xml"
_TEXT_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/x-dtbook+xml"})


def read(path: str, encoding: str | None = None) -> Document:
    """Read an EPUB (2 or 3); ``encoding`` is ignored (XHTML declares its own)."""
    archive = open_zip(read_bytes(path), path, "EPUB")
    container = parse_xml(read_member(archive, _CONTAINER, path, "EPUB"), path, _CONTAINER)
    rootfile = next((e.get("full-path") for e in container.iter("{*}rootfile")), None)
    if not rootfile:
        raise FormatError(f"damaged EPUB: {_CONTAINER} names no package document", path=path,
                          hint="open and save it again in an EPUB editor such as Sigil")
    package = parse_xml(read_member(archive, rootfile, path, "EPUB"), path, rootfile)
    blocks: list[str] = []
    for name in spine(package, posixpath.dirname(rootfile)):
        chapter = parse_xml(read_member(archive, name, path, "EPUB"), path, name)
        blocks.extend(element_blocks(chapter))
    return document_from_blocks(blocks, path, "EPUB")


def spine(package: etree._Element, folder: str) -> list[str]:
    """Archive names of the spine's text documents, in reading order."""
    manifest = {item.get("id"): item for item in package.iter("{*}item")}
    names = []
    for ref in package.iter("{*}itemref"):
        item = manifest.get(ref.get("idref"))
        if item is None or item.get("media-type") not in _TEXT_TYPES or not item.get("href"):
            continue
        names.append(posixpath.normpath(posixpath.join(folder, unquote(item.get("href")))))
    return names
