"""Moses-style parallel text: two files, line *i* of one translating line *i* of the other.

This is the input of most MT training tools. Only links with sentences on both sides are
written (a 1-0 or 0-1 link has nothing to pair with); a many-sentence span becomes one line,
joined with single spaces, with line breaks inside the text turned into spaces.
"""

from __future__ import annotations

from typing import TextIO

from aligner.types import Alignment
from aligner.writers.tsv import span_text


def write_pair(alignment: Alignment, src_stream: TextIO, tgt_stream: TextIO) -> None:
    """Write the source side to ``src_stream`` and the target side to ``tgt_stream``."""
    src, tgt = alignment.source.sentences, alignment.target.sentences
    for link in alignment.links:
        if link.source and link.target:
            src_stream.write(span_text(src, link.source) + "\n")
            tgt_stream.write(span_text(tgt, link.target) + "\n")
