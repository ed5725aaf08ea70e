"""Text normalisation for matching only: outputs always keep the user's original text.

Arabic text from the web carries characters that change nothing for a reader but change the
bytes an encoder sees: bidi controls pasted from social media, zero-width joiners, tatweel
(kashida) used to stretch words, optional short vowels (harakat) and Quranic annotation marks,
and legacy presentation-form glyphs (U+FB50–FDFF, U+FE70–FEFF) from PDF or old web pages.
:func:`for_matching` removes or folds them so that two spellings of the same words score alike.
It is a single pass over the string, O(n).
"""

from __future__ import annotations

import re
import unicodedata

_BIDI = ["\u200e", "\u200f", "\u061c", *map(chr, range(0x202A, 0x202F)),
         *map(chr, range(0x2066, 0x206A))]
_ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
_TATWEEL = ["\u0640"]
_HARAKAT = [*map(chr, range(0x064B, 0x0660)), "\u0670", *map(chr, range(0x06D6, 0x06EE))]

# One translate table: every character that carries no meaning for matching maps to None.
_DROP = dict.fromkeys(map(ord, _BIDI + _ZERO_WIDTH + _TATWEEL + _HARAKAT))

# The same set as one regex character class: ``re.sub`` scans a string in C several times
# faster than ``str.translate`` with a dict (which looks up every character).
_DROP_CLASS = "".join(re.escape(chr(c)) for c in _DROP)
_DROP_PATTERN = re.compile(f"[{_DROP_CLASS}]")

# Presentation forms only: NFKC on the whole text would also fold digits, ligatures and
# full-width Latin that the user may want kept distinct; BOM U+FEFF is dropped above.
_PRESENTATION_CLASS = "\ufb50-\ufdff\ufe70-\ufefe"
_PRESENTATION_FORM = re.compile(f"[{_PRESENTATION_CLASS}]")


# Anything :func:`for_matching` would change, as one character class: most sentences hold none
# of it (one C scan, half the time of doing the work), and they come back as they are.
_OTHER_SPACE = ["\t", "\n", "\v", "\f", "\r", *map(chr, range(0x1C, 0x20)), "\x85", "\xa0",
                "\u1680", *map(chr, range(0x2000, 0x200B)), "\u2028", "\u2029", "\u202f",
                "\u205f", "\u3000"]  # every str.isspace() character but " " (Python 3.11)
_SPACE_CLASS = "".join(map(re.escape, _OTHER_SPACE))
_TO_FOLD = re.compile(f"[{_DROP_CLASS}{_PRESENTATION_CLASS}{_SPACE_CLASS}]")


def _base_letters(match: re.Match[str]) -> str:
    """Map one presentation-form glyph to its base letters (its marks dropped)."""
    folded = unicodedata.normalize("NFKC", match.group()).translate(_DROP)
    # Isolated harakat forms (U+FE70, U+FE72…) fold to a space plus the mark: nothing is left.
    return folded if folded.strip() else ""


def for_matching(text: str) -> str:
    """Return ``text`` with invisible marks, tatweel and harakat removed, for scoring only.

    Presentation forms become base letters (``ﻻ`` → ``لا``), whitespace runs (including
    no-break spaces and line breaks) become one space, and the ends are trimmed.
    """
    if not (_TO_FOLD.search(text) or "  " in text or text.startswith(" ")
            or text.endswith(" ")):
        return text
    folded = " ".join(_DROP_PATTERN.sub("", _PRESENTATION_FORM.sub(_base_letters, text)).split())
    # The caller's own string when nothing changed: a cache keyed by the matching form then
    # holds each sentence once, not twice (tens of MB at 100,000 sentences a side).
    return text if folded == text else folded
