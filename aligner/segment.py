"""Paragraphs to sentences: yasbd-lib's rules plus our own corrections, measured on news text.

yasbd's rules run through :mod:`aligner.yasbd_lines`, which returns exactly yasbd's boundaries
but tries each of its regexes only where it can change them (``bench/segment_check.py``), with
two corrections to its quotes: an apostrophe between two letters (``l’a``, ``aujourd’hui``,
``l'a``, ``don’t``) does not open or close a quote, in every language; and ``»`` does not open
one (it only closes ``« … »``) except in languages that write ``»…«`` or ``»…»``. yasbd does not
split inside a quote, and took ``Il a dit « c’est fini ». Il pleut. Il l’a dit.`` as one
sentence (``« c’``, then ``». Il pleut. Il l’``), ``« c’est fini. Je pars. »`` as two.

Every function works on character spans over the paragraph, never on rewritten text, so every
character ends up in exactly one sentence and sentences are verbatim slices; only whitespace
between sentences is dropped.

Line breaks inside a paragraph. A paragraph of three or more lines whose longest line has 40
to 100 characters and whose non-last lines have similar lengths (≥ 60 % of the longest) is
hard-wrapped prose: its line breaks are spaces. Otherwise each line break ends a sentence
(headlines, tweets, lists); two lines are as likely two posts as one wrapped text.

Latin-script languages (yasbd rules, then):
- ``…`` or ``...`` followed by a capital ends a sentence (``Il hésita… Puis il partit.``);
  not for German, where every noun is capitalised.
- Initials do not end a sentence: after ``J.-P.``, ``J.`` or ``U.S.A.`` before a capitalised
  word (``J.-P. Sartre``). Cost: ``…le plan B. Puis…`` stays one sentence.
- A stop with no space before a capital ends a sentence when a lowercase letter precedes it
  (``venu.Il``), so ``3.5``, ``U.S.A.``, ``www.x.fr`` and ``M.Dupont`` (a capital before the
  stop: an abbreviation) are not split.

Arabic script (ar, fa, ur): ``؟ ! .`` end a sentence; ``؛`` does not; ``..`` and ``…`` do not
either, since Arabic journalism uses them as a pause (``للمرة الأولى.. اشتباك مسلح`` is one
headline, translated as one French sentence).

All languages: a piece with no letter or digit (a lone ``»``, ``”`` or ``...``) joins the
previous sentence (or the next one at the start of a paragraph). Languages that yasbd does not
support use :func:`split_generic`. Cost: linear in the text length.
"""

from __future__ import annotations

import re
from functools import cache

from yasbd import get_supported_langs

from aligner.types import Document, Sentence
from aligner.yasbd_lines import LineRules

Span = tuple[int, int]

ARABIC_SCRIPT = frozenset({"ar", "fa", "ur"})
_NO_ELLIPSIS_RULE = frozenset({"de"})
# Languages that open quotes with » (German »…«, Swedish »…»); elsewhere » only closes « … ».
_REVERSED_GUILLEMETS = frozenset({"cs", "da", "de", "pl", "sk", "sv"})
_WRAP_WIDTH = (40, 100)
_WRAP_RATIO = 0.6

_ELLIPSIS_BEFORE_CAPITAL = re.compile(r"(?:…|\.\.\.)(?=\s+[\"«“‘(\[]?\s*([^\W\d_]))")
_INITIALS = re.compile(r"(?:^|\s|[(\"«“])([^\W\d_]\.(?:-?[^\W\d_]\.)*)$")
# Stops before two letters; the two letters before are checked by _TWO_LETTERS (a leading
# lookbehind would make the regex try every position of the line).
_GLUED_STOP = re.compile(r"[.!?]+(?=([^\W\d_])[^\W\d_])")
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")
_LETTER = re.compile(r"[^\W\d_]")
_ALNUM = re.compile(r"[^\W_]")  # str.isalnum() characters: \w minus the underscore
_ARABIC_PAUSES = ("..", "…", "؛")
_NEXT_CHAR = re.compile(r"\s*(\S)")
_LOOKBACK = 64  # characters looked at before a cut: keeps the rules linear on long lines
_GENERIC_END = re.compile(r"[.!?؟。！？]+[\"»”’)\]]*(?=\s+[\"«“‘(\[]?\s*([^\W\d_]))")


@cache
def _line_rules(lang: str) -> LineRules:
    """One yasbd rule set per language, built once: loading its rules compiles regexes."""
    return LineRules(lang, word_apostrophes=True,
                     reversed_guillemets=lang in _REVERSED_GUILLEMETS)


@cache
def _yasbd_supports(lang: str) -> bool:
    """Whether yasbd has rules for ``lang`` (it lists its rules directory on every call)."""
    return lang != "auto" and lang in get_supported_langs()


def _yasbd_cuts(line: str, lang: str) -> set[int]:
    """Offsets where yasbd ends a sentence in a single line (no newline)."""
    return _line_rules(lang).cuts(line)


def _generic_cuts(line: str) -> set[int]:
    """Cut after ``.!?`` (and closing quotes) followed by a space and a capital letter."""
    return {m.end() for m in _GENERIC_END.finditer(line) if not m.group(1).islower()}


def _latin_rules(line: str, cuts: set[int], lang: str) -> set[int]:
    """Ellipsis before a capital cuts; initials do not; a glued stop before a capital cuts."""
    if lang not in _NO_ELLIPSIS_RULE and ("…" in line or "..." in line):
        cuts |= {m.end() for m in _ELLIPSIS_BEFORE_CAPITAL.finditer(line)
                 if m.group(1).isupper()}
    cuts |= {m.end() for m in _GLUED_STOP.finditer(line)
             if m.group(1).isupper() and line[m.start() - 1].islower()
             and _TWO_LETTERS.fullmatch(line, m.start() - 2, m.start())}
    kept = set()
    for cut in cuts:
        # Initials end with a letter and a stop right before the cut.
        initials = (cut >= 2 and line[cut - 1] == "." and _LETTER.match(line, cut - 2)
                    and _INITIALS.search(line, max(0, cut - _LOOKBACK), cut))
        following = _NEXT_CHAR.match(line, cut)
        if not (initials and initials.group(1).isupper() and following
                and following.group(1).isupper()):
            kept.add(cut)
    return kept


def _arabic_rules(line: str, cuts: set[int]) -> set[int]:
    """``..``, ``…`` and ``؛`` are pauses inside an Arabic sentence, not ends."""
    return {cut for cut in cuts
            if not line[max(0, cut - _LOOKBACK):cut].rstrip().endswith(_ARABIC_PAUSES)}


def _line_spans(line: str, lang: str, offset: int) -> list[Span]:
    """Sentence spans of one line, shifted by ``offset``; whitespace trimmed, empties dropped."""
    cuts = _yasbd_cuts(line, lang) if _yasbd_supports(lang) else _generic_cuts(line)
    arabic = lang in ARABIC_SCRIPT
    cuts = _arabic_rules(line, cuts) if arabic else _latin_rules(line, cuts, lang)
    spans = []
    start = 0
    for end in sorted(cuts | {len(line)}):
        piece = line[start:end]
        if piece.strip():
            left = start + len(piece) - len(piece.lstrip())
            right = end - (len(piece) - len(piece.rstrip()))
            spans.append((offset + left, offset + right))
        start = end
    return spans


def _is_hard_wrapped(lines: list[str]) -> bool:
    """True when the line breaks look like a fixed-width wrap rather than meaningful breaks."""
    if len(lines) < 3:  # two lines are as likely two headlines or posts as one wrapped text
        return False
    widths = [len(line.rstrip()) for line in lines]
    longest = max(widths)
    return _WRAP_WIDTH[0] <= longest <= _WRAP_WIDTH[1] and min(widths[:-1]) >= _WRAP_RATIO * longest


def _attach_punctuation(text: str, spans: list[Span]) -> list[Span]:
    """Join a span with no letter or digit to the previous span (or the next, if first)."""
    merged: list[Span] = []
    pending: int | None = None
    for start, end in spans:
        if not _ALNUM.search(text, start, end):
            if merged:
                merged[-1] = (merged[-1][0], end)
            elif pending is None:
                pending = start
            continue
        merged.append((pending if pending is not None else start, end))
        pending = None
    if pending is not None:
        merged.append((pending, spans[-1][1]))
    return merged


def sentence_spans(text: str, lang: str) -> list[Span]:
    """``(start, end)`` offsets of the sentences of one paragraph, in order."""
    lines = text.split("\n")
    if _is_hard_wrapped(lines):
        spans = _line_spans(text.replace("\n", " "), lang, 0)
    else:
        spans, offset = [], 0
        for line in lines:
            spans += _line_spans(line, lang, offset)
            offset += len(line) + 1
    return _attach_punctuation(text, spans)


def split_sentences(text: str, lang: str) -> list[str]:
    """Split a paragraph into sentences, each a verbatim slice of ``text``."""
    return [text[start:end] for start, end in sentence_spans(text, lang)]


def split_generic(text: str) -> list[str]:
    """Fallback for languages yasbd lacks: cut at ``.!?`` + space + capital, lines kept apart."""
    return split_sentences(text, "xx")


def _presplit_spans(text: str) -> list[Span]:
    """One span per non-blank line, whitespace trimmed: the user already split sentences."""
    spans, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            left = len(line) - len(line.lstrip())
            spans.append((offset + left, offset + len(line.rstrip())))
        offset += len(line) + 1
    return spans


def segment_document(doc: Document, lang: str, *, presplit: bool = False) -> tuple[Sentence, ...]:
    """Sentences of a document with their paragraph index and 1-based starting line.

    With ``presplit`` each non-blank line is one sentence and nothing is re-split.
    """
    sentences = []
    for index, paragraph in enumerate(doc.paragraphs):
        text = paragraph.text
        spans = _presplit_spans(text) if presplit else sentence_spans(text, lang)
        line, counted = paragraph.line, 0
        for start, end in spans:
            line += text.count("\n", counted, start)  # incremental: linear in the paragraph
            counted = start
            sentences.append(Sentence(text[start:end], index, line))
    return tuple(sentences)
