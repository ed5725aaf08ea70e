"""Blocks of extracted text to a Document, with the checks every text input gets."""

from __future__ import annotations

import re

from aligner.errors import EmptyInputError
from aligner.readers import read_text
from aligner.types import Document

_SPACES = re.compile(r"[ \t\r\f\v]+")

EMPTY_HINTS = {
    "pdf": "it may be a scan (images of pages): run OCR first, or give the text",
}


def clean_block(text: str) -> str:
    """A block's text with runs of spaces and tabs made one and blank lines inside it removed.

    No-break spaces (French typography puts them before ``:;!?`` and inside ``11 h 20``) are
    kept: CAT tools and MT data keep them too.

    Bidi marks (U+200E, U+200F, U+061C) and other format characters are kept: they are part
    of the text as its author wrote it, and scoring normalises them away. NUL characters (an
    extraction artefact, never text) are dropped.
    """
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\x00", "").split("\n"))
    return "\n".join(line for line in lines if line)


def document_from_blocks(blocks: list[str], path: str, what: str) -> Document:
    """One paragraph per non-empty block, through :func:`read_text` (huge lines are refused)."""
    kept = [block for block in (clean_block(b) for b in blocks) if block]
    if not kept:
        raise EmptyInputError(f"no text found in this {what} file", path=path,
                              hint=EMPTY_HINTS.get(what, "give a file that contains text"))
    return read_text("\n\n".join(kept), path=path, fmt="txt")
