"""Giving freed memory back to the operating system between the stages of a long alignment.

glibc keeps freed medium-sized blocks in the process heap (its mmap threshold rises after
large arrays are freed), so the first pass's temporaries stayed resident while the final pass
allocated its own: at 100,000 sentences a side about 100 MB of peak memory held for nothing.
``malloc_trim`` returns them. Elsewhere (macOS, musl, Windows) this does nothing. Small
documents skip it: on a fragmented heap a trim costs milliseconds, which ``aligner build``
would pay three times per document for nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache


@cache
def _trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


WORTH_IT = 20_000
"""Sentences (both sides) from which the temporaries are large enough to be worth a trim."""


def release_freed_memory(sentences: int) -> None:
    """Hand the heap's free pages back to the system after a stage over ``sentences``
    sentences (both sides); glibc only, and only from :data:`WORTH_IT` sentences."""
    if sentences < WORTH_IT:
        return
    trim = _trim()
    if trim is not None:
        trim(0)
