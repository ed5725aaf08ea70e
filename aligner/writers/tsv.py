"""Tab-separated values: ``score<TAB>source text<TAB>target text``, one link a line.

Every link is written, one-sided ones (1-0, 0-1) included with an empty score and an empty
other column, so the file accounts for every sentence, in link order. The score has four
decimals, like the JSON output.

There is no header line: the columns are fixed, and a header would be read as data by the
tools this file is meant for (``cut``, ``paste``, spreadsheet imports, corpus scripts).

A span of several sentences is joined with single spaces. Tabs and line breaks inside the
text (including the ones :meth:`str.splitlines` honours, such as U+2028) become spaces, so one
link is always exactly one line with exactly three columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TextIO

from aligner.types import Alignment, Sentence

# Tab plus every character that str.splitlines() treats as a line boundary.
_BREAKS = re.compile("[\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` with tabs and line breaks turned into spaces and outer spaces stripped."""
    return _BREAKS.sub(" ", text).strip()


def span_text(sentences: Sequence[Sentence], indices: Sequence[int]) -> str:
    """The sentences at ``indices`` as one line, joined with single spaces."""
    return " ".join(one_line(sentences[i].text) for i in indices)


def format_score(score: float | None) -> str:
    """Four decimals, or the empty string for a one-sided link."""
    return "" if score is None else f"{score:.4f}"


def write(alignment: Alignment, stream: TextIO) -> None:
    """Write one line per link, in link order."""
    src, tgt = alignment.source.sentences, alignment.target.sentences
    for link in alignment.links:
        source, target = span_text(src, link.source), span_text(tgt, link.target)
        stream.write(f"{format_score(link.score)}\t{source}\t{target}\n")
