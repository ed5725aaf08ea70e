"""Which links enter the corpus; every other link is counted under one reason.

The checks run in a fixed order and a link is dropped for the first one it fails:

1. ``one-sided``: a 1-0 or 0-1 link (nothing to pair with); kept only with ``--keep-one-sided``
   (and then only in the TSV and JSONL files, which can hold an empty side).
2. ``low score``: cosine below ``--min-score``.
3. ``length ratio``: target characters / source characters outside the bounds (a sentence
   glued to half a translation, or a caption aligned with a paragraph).
4. ``wrong language``: a side whose text is identified as another language (an English quote
   inside the Arabic page, an untranslated heading). Sides without letters are not judged.
5. ``duplicate``: the same source and target text as a link already kept.
6. ``near duplicate``: the same once normalised (case, punctuation, digits, Arabic marks and
   spacing; see :func:`normal_key`) as a link already kept.

Deduplication runs over the whole corpus in document-id order, so the first occurrence is the
one kept, whatever order the documents were aligned in.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

from aligner.normalize import for_matching

REASONS = ("one-sided", "low score", "length ratio", "wrong language", "duplicate",
           "near duplicate")
_NOT_WORD = re.compile(r"[\W\d_]+")


@dataclass(frozen=True, slots=True)
class FilterSettings:
    min_score: float = 0.4
    min_ratio: float = 0.5
    max_ratio: float = 3.0
    check_language: bool = True
    keep_one_sided: bool = False
    dedup: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"min_score": self.min_score, "length_ratio": [self.min_ratio, self.max_ratio],
                "check_language": self.check_language, "keep_one_sided": self.keep_one_sided,
                "dedup": self.dedup}


def normal_key(text: str) -> str:
    """The form two near-identical segments share: no marks, case, digits or punctuation."""
    text = unicodedata.normalize("NFKC", for_matching(text)).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _digest(*parts: str) -> bytes:
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=12).digest()


class CorpusFilter:
    """Stateful over a corpus (the deduplication memory); call :meth:`reason` link by link."""

    def __init__(self, settings: FilterSettings, src_lang: str, tgt_lang: str):
        self.settings = settings
        self.langs = (src_lang, tgt_lang)
        self.exact: set[bytes] = set()
        self.normal: set[bytes] = set()
        self.dropped: Counter[str] = Counter()

    def reason(self, link: dict[str, Any]) -> str | None:
        """None to keep ``link`` (a journal link record), else why it is dropped (counted)."""
        reason = self._reason(link)
        if reason:
            self.dropped[reason] += 1
        return reason

    def _reason(self, link: dict[str, Any]) -> str | None:
        s = self.settings
        if not link["src"] or not link["tgt"]:
            return None if s.keep_one_sided else "one-sided"
        if link["score"] is None or link["score"] < s.min_score:
            return "low score"
        ratio = len(link["tgt"]) / max(len(link["src"]), 1)
        if not s.min_ratio <= ratio <= s.max_ratio:
            return "length ratio"
        if s.check_language and any(found is not None and found != lang
                                    for found, lang in zip(link["langs"], self.langs,
                                                           strict=True)):
            return "wrong language"
        if s.dedup:
            exact = _digest(link["src"], link["tgt"])
            if exact in self.exact:
                return "duplicate"
            normal = _digest(normal_key(link["src"]), normal_key(link["tgt"]))
            if normal in self.normal:
                return "near duplicate"
            self.exact.add(exact)
            self.normal.add(normal)
        return None
