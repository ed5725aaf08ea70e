"""Web pages (.html) with trafilatura: the article's text, one paragraph per block.

trafilatura keeps the main content (headings, paragraphs, lists, tables) and drops menus,
footers and cookie banners, which have no translation to align. Its text output puts one
block a line. When it finds no article (a bare page of a few paragraphs), every block element
of the body is taken instead (:mod:`.markup`), so a short page is not refused as empty.
"""

from __future__ import annotations

import re

from aligner.formats.common import document_from_blocks
from aligner.formats.markup import html_blocks
from aligner.formats.safety import check_no_entities
from aligner.readers import decode, read_bytes
from aligner.types import Document


def read(path: str, encoding: str | None = None) -> Document:
    """Read an HTML page; ``encoding`` overrides UTF-8 (and the page's own declaration)."""
    import trafilatura  # the formats extra

    data = read_bytes(path)
    check_no_entities(data, path)
    page: str | bytes = decode(data, path, encoding) if encoding else _utf8_or_bytes(data)
    protected = isinstance(page, str) and not any(ch in page for ch in _KEEP.values())
    if protected:
        page = _NBSP.sub(lambda m: _KEEP["\u202f" if m.group() in _NARROW else "\u00a0"], page)
    text = trafilatura.extract(page, output_format="txt", include_tables=True,
                               include_comments=False, include_images=False,
                               favor_recall=True, deduplicate=False, with_metadata=False)
    blocks = text.split("\n") if text else html_blocks(page, path)
    if protected:
        blocks = [block.translate(_RESTORE) for block in blocks]
    return document_from_blocks(blocks, path, "html")


# trafilatura folds every space into " ": no-break spaces (French typography) are swapped for
# rare dashes (⸻ ⸺, when the page has none) on the way in and restored on the way out.
_KEEP = {"\u00a0": "\u2e3b", "\u202f": "\u2e3a"}
_RESTORE = str.maketrans({v: k for k, v in _KEEP.items()})
_NARROW = ("\u202f", "&#8239;", "&#x202f;", "&#x202F;")
_NBSP = re.compile("\u00a0|\u202f|&nbsp;|&#160;|&#x[aA]0;|&#8239;|&#x202[fF];")


def _utf8_or_bytes(data: bytes) -> str | bytes:
    """UTF-8 text when it is (most pages); otherwise the bytes, for trafilatura to decode."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data
