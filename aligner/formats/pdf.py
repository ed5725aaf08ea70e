"""PDF with pdfplumber: lines in logical order, re-joined into paragraphs, hyphens undone.

- **Right-to-left lines.** A PDF stores glyphs where they are drawn, so pdfplumber gives an
  Arabic line in visual order (its letters reversed). A line with Arabic letters is put back
  in logical order with python-bidi (the bidi algorithm on a right-to-left base), which also
  keeps numbers and Latin words inside it the right way round. Arabic presentation forms (the
  shaped glyphs some PDFs map to) become plain letters (NFKC on those code points only).
- **Paragraphs.** A line starts a new paragraph when the space above it is clearly larger than
  the page's usual line pitch, or when the line before it is short and ends a sentence.
- **Hyphenation.** A line ending in a letter and ``-`` (or a soft hyphen), followed by a line
  starting with a lowercase letter, is a word cut at the line's end: the hyphen goes and the
  two halves are joined (``consi-`` + ``dérable`` → ``considérable``). Cost: a compound cut at
  its own hyphen (``porte-`` + ``monnaie``) loses it.

Encrypted (password-protected) and damaged files are refused with a one-line error.
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata

from aligner.errors import FormatError
from aligner.formats.common import document_from_blocks
from aligner.readers import read_bytes
from aligner.types import Document

MAX_PAGES = 10_000
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
_CUT_WORD = re.compile(r"[^\W\d_][-\u00ad]$")
_SENTENCE_END = re.compile(r"[.!?؟:…»”\")]$")
_PITCH_FACTOR = 1.3
_SHORT_LINE = 0.8


def read(path: str, encoding: str | None = None) -> Document:
    """Read a PDF's text layer; ``encoding`` is ignored."""
    import pdfplumber  # the formats extra

    data = read_bytes(path)
    blocks: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise FormatError(f"{len(pdf.pages):,} pages (limit {MAX_PAGES:,})", path=path,
                                  hint="split the PDF into smaller files")
            for page in pdf.pages:
                blocks.extend(page_paragraphs(page.extract_text_lines(return_chars=False)))
    except FormatError:
        raise
    except Exception as error:  # pdfminer raises many unrelated types for a bad file
        raise _pdf_error(error, path) from None
    return document_from_blocks(blocks, path, "pdf")


def logical_line(text: str) -> str:
    """A visual-order line in logical order (only lines with Arabic script change)."""
    if not _ARABIC.search(text):
        return text
    from bidi import get_display  # the formats extra

    text = _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return get_display(text, base_dir="R")


def page_paragraphs(lines: list[dict]) -> list[str]:
    """Group a page's lines (pdfplumber dicts: text, top, x0, x1) into paragraph texts."""
    lines = [dict(line, text=logical_line(line["text"])) for line in lines if line["text"].strip()]
    if not lines:
        return []
    pitches = [b["top"] - a["top"] for a, b in itertools.pairwise(lines)]
    heights = [line["bottom"] - line["top"] for line in lines]
    usual = min((p for p, h in zip(pitches, heights, strict=False) if p > 0.5 * h), default=0.0)
    widest = max(line["x1"] - line["x0"] for line in lines)
    paragraphs: list[list[str]] = [[lines[0]["text"]]]
    for previous, line, pitch in zip(lines, lines[1:], pitches, strict=False):
        short_end = (previous["x1"] - previous["x0"] < _SHORT_LINE * widest
                     and _SENTENCE_END.search(previous["text"].rstrip()))
        if pitch > _PITCH_FACTOR * usual or short_end or pitch < 0:
            paragraphs.append([line["text"]])
        else:
            paragraphs[-1].append(line["text"])
    return [join_lines(paragraph) for paragraph in paragraphs]


def join_lines(lines: list[str]) -> str:
    """One paragraph from its lines: spaces between them, end-of-line hyphenation undone."""
    text = lines[0].strip()
    for line in lines[1:]:
        line = line.strip()
        if _CUT_WORD.search(text) and line[:1].islower():
            text = text[:-1] + line
        else:
            text = f"{text} {line}"
    return text


def _pdf_error(error: Exception, path: str) -> FormatError:
    """A one-line error for a PDF pdfminer cannot read; encrypted ones get their own hint."""
    inner = [error, *error.args, error.__cause__, error.__context__]  # pdfplumber wraps them
    chain = " ".join(f"{type(e).__name__} {e}" for e in inner if isinstance(e, Exception))
    if re.search(r"password|encrypt", chain, re.IGNORECASE):
        return FormatError("the PDF is encrypted (password-protected)", path=path,
                           hint="remove the password (e.g. print to PDF, or qpdf --decrypt) "
                                "and try again")
    cause = error.args[0] if isinstance(error.args[0:1] and error.args[0], Exception) else error
    detail = str(cause) or type(cause).__name__
    return FormatError(f"damaged or unreadable PDF ({' '.join(detail.split())[:120]})",
                       path=path, hint="open it in a PDF viewer and save or print it again")
