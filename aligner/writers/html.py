"""The review report as a writer (``-f html``): see :mod:`aligner.report`."""

from __future__ import annotations

from typing import TextIO

from aligner.types import Alignment


def write(alignment: Alignment, stream: TextIO) -> None:
    """Write the self-contained HTML review page for ``alignment``."""
    from aligner.report import render  # here: aligner.report imports the JSON writer

    stream.write(render(alignment))
