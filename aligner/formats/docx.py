"""Word documents (.docx) with python-docx: body paragraphs and table cells, in reading order.

Text comes out in logical order as Word stores it, so right-to-left Arabic needs no fixing;
a cell of a table is a paragraph of its own (tables in bilingual documents are often the
translation itself, one language a column). The archive is checked (:mod:`.safety`) before
python-docx sees it, and every XML part is refused if it declares entities.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from aligner.errors import FormatError
from aligner.formats.common import document_from_blocks
from aligner.formats.safety import check_no_entities, open_zip, read_member
from aligner.readers import read_bytes
from aligner.types import Document


def read(path: str, encoding: str | None = None) -> Document:
    """Read a .docx file; ``encoding`` is ignored (the format says its own)."""
    import docx  # the formats extra
    from docx.opc.exceptions import PackageNotFoundError

    data = read_bytes(path)
    archive = open_zip(data, path, "docx")
    for name in archive.namelist():
        if name.endswith((".xml", ".rels")):
            check_no_entities(read_member(archive, name, path, "docx"), path, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as error:
        raise FormatError(f"not a Word document ({error})", path=path,
                          hint="give a .docx file; save a .doc as .docx") from None
    return document_from_blocks(list(_blocks(document)), path, "docx")


def _blocks(container) -> Iterator[str]:
    """Paragraph texts of a document or cell, descending into tables row by row."""
    for item in container.iter_inner_content():
        if hasattr(item, "rows"):
            for row in item.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell is repeated across its span
                        continue
                    seen.add(id(cell._tc))
                    yield from _blocks(cell)
        else:
            yield item.text
