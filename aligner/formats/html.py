"""Web pages (.html) with trafilatura: the article's text, one paragraph per block.

trafilatura keeps the main content (headings, paragraphs, lists, tables) and drops menus,
footers and cookie banners, which have no translation to align. Its text output puts one
block a line. When it finds no article (a bare page of a few paragraphs), every block element
of the body is taken instead (:mod:`.markup`), so a short page is not refused as empty.
"""

from __future__ import annotations

from aligner.formats.common import document_from_blocks
from aligner.formats.markup import html_blocks
from aligner.formats.safety import check_no_entities, read_limited
from aligner.readers import decode
from aligner.types import Document


def read(path: str, encoding: str | None = None) -> Document:
    """Read an HTML page; ``encoding`` overrides UTF-8 (and the page's own declaration)."""
    import trafilatura  # the formats extra

    data = read_limited(path)
    check_no_entities(data, path)
    page: str | bytes = decode(data, path, encoding) if encoding else data
    text = trafilatura.extract(page, output_format="txt", include_tables=True,
                               include_comments=False, include_images=False,
                               favor_recall=True, deduplicate=False, with_metadata=False)
    blocks = text.split("\n") if text else html_blocks(data if not encoding else page, path)
    return document_from_blocks(blocks, path, "html")
