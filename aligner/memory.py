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
def _libc_function(name: str):
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return getattr(libc, name)
    except (OSError, AttributeError):
        return None


def _trim():
    return _libc_function("malloc_trim")


M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter: how many heaps (arenas) threads may spread over."""


@cache
def share_one_heap() -> None:
    """Make threads allocate from the main heap (glibc only; call before starting them).

    glibc gives each new thread a heap of its own, and each keeps its freed blocks: with the
    encoder's worker threads on their own heaps, bench/speed.py peaked at 287 MB at 10,000
    sentences a side, 276 MB with one heap (1,019 and 1,016 MB at 100,000). The workers'
    allocations are a few large arrays per batch, so sharing one heap cost no measurable
    time.
    """
    mallopt = _libc_function("mallopt")
    if mallopt is not None:
        mallopt(M_ARENA_MAX, 1)


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
