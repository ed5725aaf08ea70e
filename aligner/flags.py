"""Review hints on each link: where a reviewer should look first.

Computed after alignment from the texts and scores alone (no model), so ``aligner report`` and
``aligner convert`` can recompute them for an edited alignment. Each flag is a short code,
carried in the JSON as ``"flags": [...]`` on the link (absent when there is none):

``low-confidence``  a two-sided link scoring below :data:`LOW_CONFIDENCE`.
``omission``        a source sentence linked to nothing (1-0): left out of the translation?
``addition``        a target sentence linked to nothing (0-1): added, or from elsewhere?
``numbers``         the two sides state different numbers (see :mod:`aligner.numbers`).
``length``          the length ratio of the link is far from the document's usual ratio.
``untranslated``    the target is in the source's script (or identical to the source).
``linked-twice``    a source sentence in more than one link, or, in free mode, the same source
                    text linked in two places (a repeated tweet matched to two translations).
"""

from __future__ import annotations

import math
import statistics
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from aligner.languages import scripts_of
from aligner.normalize import for_matching
from aligner.numbers import excused, numbers, spelled
from aligner.types import Alignment, Link, Sentence

FLAGS = ("low-confidence", "omission", "addition", "numbers", "length", "untranslated",
         "linked-twice")
LOW_CONFIDENCE = 0.5
"""Below this cosine a link is doubtful (the seed page's correct links score 0.6-0.9)."""
LENGTH_FACTOR = 2.2
"""A link whose length ratio is this many times above or below the document's is flagged."""
MIN_LENGTH = 25
"""Spans shorter than this (characters, both sides) are never flagged for length: too noisy."""


def flag_alignment(alignment: Alignment) -> Alignment:
    """``alignment`` with every link's ``flags`` recomputed (the reviewer's status is kept)."""
    src, tgt = alignment.source, alignment.target
    ratio = document_ratio(alignment)
    uses = Counter(i for link in alignment.links for i in link.source)
    twice = _repeated_sources(alignment) if alignment.mode == "free" else set()
    links = []
    for link in alignment.links:
        src_text = _span(src.sentences, link.source)
        tgt_text = _span(tgt.sentences, link.target)
        found = link_flags(link, src_text, tgt_text, src.lang, tgt.lang, ratio)
        if any(uses[i] > 1 for i in link.source) or (link.target and twice & set(link.source)):
            found.append("linked-twice")
        links.append(replace(link, flags=tuple(found)))
    return replace(alignment, links=tuple(links))


def link_flags(link: Link, src_text: str, tgt_text: str, src_lang: str, tgt_lang: str,
               ratio: float | None) -> list[str]:
    """The flags of one link from its texts; ``ratio`` is the document's target/source ratio."""
    if not link.target:
        return ["omission"] if link.source else []
    if not link.source:
        return ["addition"]
    found = []
    if link.score is not None and link.score < LOW_CONFIDENCE:
        found.append("low-confidence")
    if numbers_differ(src_text, tgt_text, src_lang, tgt_lang):
        found.append("numbers")
    if ratio and _odd_length(len(src_text), len(tgt_text), ratio):
        found.append("length")
    if untranslated(src_text, tgt_text, src_lang, tgt_lang):
        found.append("untranslated")
    return found


def numbers_differ(src_text: str, tgt_text: str, src_lang: str, tgt_lang: str) -> bool:
    """True when one side states a number the other neither writes in digits nor spells out."""
    src_numbers, tgt_numbers = numbers(src_text, src_lang), numbers(tgt_text, tgt_lang)
    if src_numbers == tgt_numbers:
        return False
    src_words, tgt_words = spelled(src_text, src_lang), spelled(tgt_text, tgt_lang)
    return (any(not excused(n, tgt_words) for n in src_numbers - tgt_numbers)
            or any(not excused(n, src_words) for n in tgt_numbers - src_numbers))


def untranslated(src_text: str, tgt_text: str, src_lang: str, tgt_lang: str) -> bool:
    """True when the target is written in the source's script rather than its own, or (for
    two languages sharing a script) is the source text itself."""
    src_scripts, tgt_scripts = scripts_of(src_lang), scripts_of(tgt_lang)
    if src_scripts & tgt_scripts:
        return for_matching(src_text).casefold() == for_matching(tgt_text).casefold()
    script = _main_script(tgt_text)
    return script in src_scripts and script not in tgt_scripts


@cache
def _script(char: str) -> str:
    """The script of a letter: the first word of its Unicode name (ARABIC, LATIN…)."""
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]


def _main_script(text: str) -> str | None:
    """The script most letters of ``text`` are in (one count over the letters: this runs on
    every link, so it is cheaper than the word vote of :func:`aligner.languages.line_script`)."""
    counts = Counter(map(_script, filter(str.isalpha, text)))
    return counts.most_common(1)[0][0] if counts else None


def document_ratio(alignment: Alignment) -> float | None:
    """The median target/source length ratio over the two-sided links (None if there are none)."""
    src, tgt = alignment.source.sentences, alignment.target.sentences
    ratios = [len(_span(tgt, link.target)) / max(1, len(_span(src, link.source)))
              for link in alignment.links if link.source and link.target]
    return statistics.median(ratios) if ratios else None


def _odd_length(src_len: int, tgt_len: int, ratio: float) -> bool:
    if max(src_len, tgt_len) < MIN_LENGTH or not src_len or not tgt_len:
        return False
    return abs(math.log(tgt_len / (src_len * ratio))) > math.log(LENGTH_FACTOR)


def _repeated_sources(alignment: Alignment) -> set[int]:
    """Source indices, in two-sided links, whose text another such link's source repeats."""
    src = alignment.source.sentences
    linked: dict[str, list[int]] = {}
    for link in alignment.links:
        if link.target:
            for i in link.source:
                linked.setdefault(for_matching(src[i].text).casefold(), []).append(i)
    return {i for indices in linked.values() if len(indices) > 1 for i in indices}


def _span(sentences: Sequence[Sentence], indices: Sequence[int]) -> str:
    return " ".join(sentences[i].text for i in indices)
