"""Output formats: one module per format, each with ``write(alignment, stream)``.

``FORMATS`` maps a ``-f/--format`` name to its module. :func:`write_alignment` is the one
entry point the CLI and the API use: it opens the files (atomically, see
:mod:`aligner.writers.atomic`) or standard output, and hands the stream to the module. TMX takes
a binary stream (lxml writes the encoding it declares); Moses writes two files.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import BinaryIO, TextIO

from aligner.errors import InputError
from aligner.types import Alignment
from aligner.writers import html, json_format, moses, tmx, tsv, vecalign
from aligner.writers.atomic import atomic_binary, atomic_text, atomic_texts

__all__ = ["FORMATS", "NEEDS_PATH", "moses_paths", "refuse_overwriting", "write_alignment"]

FORMATS: dict[str, ModuleType] = {
    "json": json_format,
    "tsv": tsv,
    "tmx": tmx,
    "moses": moses,
    "vecalign": vecalign,
    "html": html,  # the review report (aligner/report/)
}

# Formats that write something other than one text stream, so cannot go to standard output.
NEEDS_PATH = frozenset({"moses", "html"})


def write_alignment(
    alignment: Alignment,
    fmt: str,
    output: str | None,
    *,
    tmx_langs: tuple[str, str] | None = None,
    stdout: TextIO | None = None,
) -> list[str]:
    """Write ``alignment`` in format ``fmt`` to ``output`` (standard output when None).

    Args:
        tmx_langs: ``xml:lang`` codes for TMX (e.g. ``("ar-SA", "fr-FR")``); ignored by the
            other formats.
        stdout: where ``output=None`` writes; ``sys.stdout`` when None.

    Returns:
        The paths written, in order; empty when writing to standard output.

    Raises:
        InputError: for an unknown format, or a format that needs a path given none.
        OutputError: when a file cannot be written; no partial file is left behind.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}", hint=f"choose one of {', '.join(FORMATS)}")
    if output is None:
        if fmt in NEEDS_PATH:
            raise InputError(f"the {fmt} format needs an output path", hint="add -o PATH")
        _write_stream(alignment, fmt, stdout or sys.stdout, tmx_langs)
        return []
    if fmt == "moses":
        return _write_moses(alignment, output)
    if fmt == "tmx":
        with atomic_binary(output) as binary:
            tmx.write(alignment, binary, langs=tmx_langs)
    else:
        with atomic_text(output) as stream:
            FORMATS[fmt].write(alignment, stream)
    return [output]


def refuse_overwriting(fmt: str, output: str | None, inputs: Sequence[str | None],
                       langs: tuple[str, str] | None = None) -> None:
    """Raise :class:`InputError` when writing ``fmt`` to ``output`` would replace one of
    ``inputs`` (``langs``: the two sides' codes, which name Moses files; moses only).

    ``-o corpus -f moses`` with inputs ``corpus.ar`` and ``corpus.fr`` is the usual Moses
    naming, and would otherwise replace both originals with the output (atomic writes make the
    result complete, not safe). Checked before the alignment runs, so nothing is lost or spent.
    """
    if output is None:
        return
    planned = _moses_names(output, *langs) if fmt == "moses" and langs else (output,)
    for path in planned:
        for source in filter(None, inputs):
            if _same_file(path, source):
                raise InputError(f"writing here would overwrite the input {source}", path=path,
                                 hint="choose another -o")


def _same_file(a: str, b: str) -> bool:
    """Whether two paths name one file (links and ``./`` included); a missing file is not."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def moses_paths(alignment: Alignment, prefix: str) -> tuple[str, str]:
    """``PREFIX.<source lang>`` and ``PREFIX.<target lang>``, e.g. ``out.ar`` and ``out.fr``."""
    return _moses_names(prefix, alignment.source.lang, alignment.target.lang)


def _moses_names(prefix: str, src_lang: str, tgt_lang: str) -> tuple[str, str]:
    return f"{prefix}.{src_lang}", f"{prefix}.{tgt_lang}"


def _write_moses(alignment: Alignment, prefix: str) -> list[str]:
    paths = moses_paths(alignment, prefix)
    if paths[0] == paths[1]:
        raise InputError(
            f"both sides are {alignment.source.lang!r}, so the Moses files would collide",
            path=prefix,
            hint="use --src-lang and --tgt-lang to tell the two sides apart",
        )
    with atomic_texts(paths) as (src, tgt):
        moses.write_pair(alignment, src, tgt)
    return list(paths)


def _write_stream(
    alignment: Alignment, fmt: str, stream: TextIO, langs: tuple[str, str] | None
) -> None:
    """Write to an open text stream; TMX goes to its byte buffer when it has one."""
    if fmt != "tmx":
        FORMATS[fmt].write(alignment, stream)
        return
    buffer: BinaryIO | None = getattr(stream, "buffer", None)
    if buffer is None:  # e.g. io.StringIO
        data = io.BytesIO()
        tmx.write(alignment, data, langs=langs)
        stream.write(data.getvalue().decode("utf-8"))
        return
    stream.flush()
    tmx.write(alignment, buffer, langs=langs)
    buffer.flush()
