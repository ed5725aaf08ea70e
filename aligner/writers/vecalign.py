"""The alignment format of Vecalign (Thompson & Koehn 2019), also read by Bertalign.

One link a line, 0-based indices, then the score::

    [0]:[0]:0.820000
    [1, 2]:[3]:0.770000
    [4]:[]:0.000000

This matches Vecalign's own output byte for byte (``print_alignments`` in its
``dp_utils.py`` prints ``'%s:%s:%.6f'`` of two Python lists): a comma and a space between
indices, six decimals, and 0.0 for insertions and deletions. Vecalign's third field is a cost
(lower is better) while ours is a similarity (higher is better); scorers ignore it either way.

:func:`read` accepts Vecalign's gold files (no score field) and its output, with or without
spaces in the index lists; blank lines are skipped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import TextIO

from aligner.errors import FormatError
from aligner.types import Alignment

VecalignLink = tuple[tuple[int, ...], tuple[int, ...]]

# [0-9] rather than \d: \d would also accept Arabic-Indic and other non-ASCII digits.
_LINE = re.compile(r"\s*\[([0-9\s,]*)\]\s*:\s*\[([0-9\s,]*)\]\s*(?::\s*(\S+)\s*)?")
_INDICES = re.compile(r"\s*(?:[0-9]+\s*(?:,\s*[0-9]+\s*)*)?")
_EXPECTED = "expected '[i, ...]:[j, ...]' with an optional ':score'"


def format_link(source: Iterable[int], target: Iterable[int], score: float | None) -> str:
    """One line of the format, without the newline."""
    return f"{list(source)}:{list(target)}:{0.0 if score is None else score:.6f}"


def write(alignment: Alignment, stream: TextIO) -> None:
    """Write one line per link, in link order."""
    for link in alignment.links:
        stream.write(format_link(link.source, link.target, link.score) + "\n")


def read(stream: TextIO, path: str | None) -> list[VecalignLink]:
    """Parse every link of ``stream``; ``path`` only names the file in error messages.

    Raises:
        FormatError: naming the file and the 1-based line of the first malformed line.
    """
    links = []
    for number, line in enumerate(stream, start=1):
        if line.strip():
            links.append(_parse_line(line, number, path))
    return links


def _parse_line(line: str, number: int, path: str | None) -> VecalignLink:
    match = _LINE.fullmatch(line.rstrip("\r\n"))
    if not match or not all(_INDICES.fullmatch(part) for part in match.group(1, 2)):
        raise _bad_line(number, f"{_EXPECTED}, got {_shorten(line)}", path)
    score = match.group(3)
    if score is not None and not _is_number(score):
        raise _bad_line(number, f"score {_shorten(score)} is not a number", path)
    source, target = (_indices(part) for part in match.group(1, 2))
    return source, target


def _indices(part: str) -> tuple[int, ...]:
    return tuple(int(i) for i in part.split(",") if i.strip())


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _shorten(text: str, limit: int = 60) -> str:
    text = text.strip()
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _bad_line(number: int, message: str, path: str | None) -> FormatError:
    return FormatError(
        f"line {number}: {message}",
        path=path,
        hint="each line must be a Vecalign link such as [1, 2]:[3] or [1, 2]:[3]:0.77",
    )
