"""yasbd's boundary rules for one line, evaluated only where they can change the answer.

``LineRules(lang).cuts(line)`` returns exactly ``set(BoundaryDetector(lang).detect(line))``
for a line without ``\\n``, several times faster. It runs the same steps as yasbd-lib 1.0.4's
``Rules.apply`` (candidates, list markers, mid-sentence abbreviations, the language's
post-processing, quotes and parentheses, table-of-contents leaders) with yasbd's own compiled
regexes and rule object; only *where* each regex is tried changes, and every shortcut below is
exact, not a heuristic:

- Candidates: every candidate match contains one terminator and starts on it, one character
  before it, or on the letter before the spaces before it, so the regex is tried at those
  starts only, replaying ``finditer``'s left-to-right, non-overlapping walk.
- Flattened lists need a colon or a marker opening the line, and two list markers: a cheap
  over-approximating regex counts them first. A vertical list marker can only sit in the
  line's first 15 characters after leading spaces.
- Mid-sentence abbreviations only *remove* boundaries, so each of their regexes runs only in
  a window around each current boundary, and only a match ending on the boundary counts. A
  window starts on a letter after a space that no abbreviation regex consumes together with
  that letter (not a digit or a roman numeral, not inside a multi-word entry such as
  ``et al``), so ``finditer`` is in the same state there as when it scans the whole line.
  After a terminator and a space, a match that starts before the boundary stops there (only
  ``. . .`` goes on, 4 characters) and only a lookahead reads further: the spaces and one
  listed word, so the window ends after those. Elsewhere it ends just after a character that
  those regexes neither consume nor look past (``, ; : « » " “ ” ? ؟ ، ؛ ( ) [ ]``), so cutting
  the line there cannot change a match; a boundary right after one needs no window at all.
  Few windows hold a match at all, so each is first searched for any match starting at or
  before the boundary (the only ones that can end on it): the ``re`` regexes as one
  alternation preceded by ``(?=.{K})``, over the line cut K characters after the boundary, so
  that the search stops trying at the boundary instead of scanning the rest of the window.
  The cut is as good as the window's: such a match reads nothing from the window's end on.
- Quotes: the spans are found once on the whole line; "inside a span" is a bisection instead
  of a set of every position inside every span, and the zero-width quote-end regex is tried
  only just after terminators followed by closing quotes, brackets or spaces.

Only the languages whose regexes were audited for those properties (:data:`FAST_LANGS`) take
this path, and only with the yasbd-lib version they were audited on; anything else calls
yasbd's ``Rules.apply`` unchanged. ``bench/segment_check.py`` compares both on the corpora.

Two deliberate departures from yasbd's quotes, both off by default. yasbd's quote finder pairs
an opening ``«``, ``“`` or ``»`` (``»…«``, German style) with the nearest closing mark, ``’``
included (a final quote, ``Pf``), and ends a ``'…'`` quote at the next ASCII ``'``, and it does
not split inside. But between two letters ``’`` and ``'`` are apostrophes, which French writes
everywhere (``l’amour``, ``aujourd’hui``, ``l'a``); and in French or Arabic ``»`` never opens.
So ``« c’est fini. Je pars. »`` closed at ``c’`` and was split inside, and the ``»`` left over
then opened a "quote" running to the next ``l’``, keeping the sentences in between together
(``Il a dit « c’est fini ». Il pleut. Il l’a dit.`` was one sentence).

- ``word_apostrophes=True``: an apostrophe between two letters is hidden from the quote finder
  (replaced, for that regex only, by a character none of its patterns knows).
- ``reversed_guillemets=False``: no quote starts on ``»``. Needed with the first: a lone ``»``
  (a quote opened on an earlier line, or never) would otherwise run to the next ``«`` or ``»``
  instead of stopping at the next ``l’`` (one 5,300-character "sentence" in FLORES dev).

Every other rule still sees the line as it is.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import pairwise

import regex
import yasbd
from yasbd.rules import load_rule

AUDITED_VERSION = "1.0.4"
FAST_LANGS = frozenset({"ar", "de", "en", "fr"})

# Characters no mid-sentence regex of FAST_LANGS consumes, and that their lookaheads read
# only as a last character (``\(``, ``\[``): a window may end just after one of them.
_BARRIER = frozenset(",;:«»\"“”„?؟،؛()[]")
_BARRIER_RE = re.compile("[" + re.escape("".join(sorted(_BARRIER))) + "]")
# Searched backwards: a word character after a space that no mid-sentence regex consumes
# together with that space (not a digit or roman numeral: "Section IV.", German "am 3.").
_CLEAN_START = regex.compile(r"(?r)(?<=\s)[^\W\d_IVXLCDM]")
_WORD_BEFORE = regex.compile(r"(?r)\S*")
_SPACE = regex.compile(r"\s")
_SPACES = regex.compile(r"\s*")
_TAG = regex.compile(r"</?\w{0,6}>")
# Everything the quote-end lookbehind may hold after the terminator (and its optional tag).
_CLOSERS = regex.compile(r"[\s`'\"»‘”“\p{Pf}\p{Pe}]*")
# Over-approximates yasbd's HORIZONTAL_LIST_FINDER: each of its matches holds one of these.
# Searched in " " + line, the space standing for the line start: a pattern that starts with
# ``\s`` is scanned several times faster than one that starts with ``(?:^|\s)``.
_LIST_MARK = re.compile(r"\s(?:[-*+]|(?:\d{1,2}|[a-eA-Eα-εΑ-Εа-еА-Е])"
                        r"[.．။।॥·•∙⋅)]{1,2})(?=\s)")
# Word lists that mid-sentence regexes only look ahead at, never consume.
_LOOKAHEAD_ONLY = frozenset({"COMMON_SENT_STARTERS", "DEMOGRAPHIC_AND_ORG_NOUNS", "DATE_WORDS",
                             "ORG_PROPER_NOUNS", "POST_QUOTATIVE_PARTICLES", "REPORTING_WORDS"})
_LIST_START = frozenset("•◦-*+abcdeABCDEαβγδεΑΒΓΔΕабвгдеАБВГДЕ")  # or a digit
_VERTICAL_REACH = 15  # three markers of at most 4 characters and a dot, after leading spaces
_SCOPED_FLAGS = {re.IGNORECASE: "i", re.MULTILINE: "m", re.DOTALL: "s", re.VERBOSE: "x"}
_PROBE_SPACES = 2  # spaces after a terminator that the probe's reach allows for
# An apostrophe between two letters (l’a, aujourd’hui, l'a, don’t): part of a word, not a quote.
_WORD_APOSTROPHE = re.compile(r"(?<=[^\W\d_])['’](?=[^\W\d_])")
_NOT_A_QUOTE = "\u02bc"  # MODIFIER LETTER APOSTROPHE: in no pattern of the quote finder

Pattern = re.Pattern | regex.Pattern


def fast_path_available(lang: str) -> bool:
    """Whether :class:`LineRules` takes the windowed path for ``lang`` (else plain yasbd)."""
    return lang in FAST_LANGS and yasbd.__version__ == AUDITED_VERSION


class LineRules:
    """One language's yasbd rules, applied to single lines (no ``\\n``)."""

    def __init__(self, lang: str, *, word_apostrophes: bool = False,
                 reversed_guillemets: bool = True) -> None:
        self.rule = load_rule(lang, ext_registry={})  # what BoundaryDetector(lang) loads
        # Departures from yasbd (see the module docstring), both off by default.
        # True: an apostrophe between two letters neither opens nor closes a quote.
        self.word_apostrophes = word_apostrophes
        # False: ``»`` does not open a quote (it only closes ``« … »``).
        self.reversed_guillemets = reversed_guillemets
        # The short windows assume no consumed entry holds a stop followed by a space.
        self.fast = fast_path_available(lang) and not _stop_space_entries(self.rule)
        terminators = "".join(sorted(self.rule.TERMINATORS))
        self._terminator = re.compile("[" + re.escape(terminators) + "]")
        self._multiword_heads = _multiword_heads(self.rule)
        self._lookahead_reach = _lookahead_reach(self.rule)
        mid = self.rule.MID_SENTENCE_FINDER_LST
        self._mid_re = [pattern for pattern in mid if isinstance(pattern, re.Pattern)]
        self._mid_other = [pattern for pattern in mid if not isinstance(pattern, re.Pattern)]
        self._probe_reach = self._lookahead_reach + _PROBE_SPACES
        self._probe = _starting_by(self._mid_re, self._probe_reach) if self.fast else None

    def cuts(self, line: str) -> set[int]:
        """Offsets where yasbd ends a sentence in ``line``: ``set(detector.detect(line))``."""
        if not line.strip():
            return set()
        text = line.rstrip()  # what BoundaryDetector.detect hands to Rules.apply
        if self.fast and "\n" not in text:
            return set(self.apply(text)[1:])
        if ((self.word_apostrophes and _WORD_APOSTROPHE.search(text))
                or (not self.reversed_guillemets and "»" in text)):
            return set(self._apply_plain(text)[1:])
        return set(self.rule.apply(text, True)[1:])  # True: the detector's default

    def _apply_plain(self, text: str) -> list[int]:
        """yasbd's ``Rules.apply`` with the quote step done here (apostrophes in words hidden):
        without its quote step, then that step, then the TOC step again (set operations, so
        the order is as yasbd's)."""
        rule = self.rule
        bounds = set(rule.apply(text, False))  # False: no quote step
        text = rule.NEWLINE_INSIDE_SENTENCE_FINDER.sub(" ", text)  # what apply looked at
        spans = self._quote_spans(text)
        inner = {pos for start, end in spans for pos in range(start + 1, end)}
        bounds.difference_update(inner)
        if inner:
            bounds.update(m.end() for m in rule.QUOTE_AND_PAREN_END_FINDER.finditer(text)
                          if m.end() not in inner)
        rule._remove_toc_spans(bounds, text)
        bounds.update({0, len(text)})
        return sorted(bounds)

    def _quote_spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of ``QUOTE_AND_PAREN_FINDER.finditer(text)``; with ``word_apostrophes`` an
        apostrophe between two letters is hidden from it, and without ``reversed_guillemets``
        no span starts on a ``»`` (only the guillemet alternative can match there, so the
        search goes on one character later, as if ``»`` were not in that alternative)."""
        finder = self.rule.QUOTE_AND_PAREN_FINDER
        if self.word_apostrophes and ("'" in text or "’" in text):
            text = _WORD_APOSTROPHE.sub(_NOT_A_QUOTE, text)
        if self.reversed_guillemets or "»" not in text:
            return [m.span() for m in finder.finditer(text)]
        spans, pos = [], 0
        while m := finder.search(text, pos):
            if text[m.start()] == "»":
                pos = m.start() + 1
                continue
            spans.append(m.span())
            pos = m.end()
        return spans

    def apply(self, text: str) -> list[int]:
        """Same result as ``Rules.apply(text, True)`` for a text without ``\\n`` (except for
        quotes with ``word_apostrophes``)."""
        if not text or text.isspace():
            return [len(text)]  # as yasbd
        rule = self.rule
        terminators = [m.start() for m in self._terminator.finditer(text)]
        bounds = self._candidates(text, terminators)
        self._lists(bounds, text)
        if bounds:
            self._mid_sentence(bounds, text)
        rule.post_process_boundaries(bounds, text)
        if bounds or terminators:
            self._quotes(bounds, text, terminators)
        if "..." in text:  # yasbd's _remove_toc_spans
            for m in rule.TOC_LEADER_FINDER.finditer(text):
                bounds.difference_update(range(*m.span()))
        bounds.update({0, len(text)})
        return sorted(bounds)

    def _candidates(self, text: str, terminators: list[int]) -> set[int]:
        """Ends of CANDIDATE_BOUNDARY_FINDER's ``finditer`` matches, tried at possible starts."""
        starts = set()
        for t in terminators:
            starts.add(t)
            if t:
                starts.add(t - 1)
            k = t
            while k and _SPACE.match(text, k - 1):
                k -= 1
            if k:
                starts.add(k - 1)  # a letter before the spaces before the terminator
        ends, resume = set(), 0
        finder = self.rule.CANDIDATE_BOUNDARY_FINDER
        for start in sorted(starts):
            if start < resume:
                continue
            m = finder.match(text, start)
            if m:
                ends.add(m.end())
                resume = m.end()
        return ends

    def _lists(self, bounds: set[int], text: str) -> None:
        """yasbd's ``_adjust_list_boundaries``, skipping scans that cannot find anything."""
        rule = self.rule
        horiz = []
        # A flattened list needs a colon or a marker at the very start (the test below), and
        # two markers.
        may_flatten = ":" in text or text[0] in _LIST_START or text[0].isdecimal()
        if may_flatten and len(_LIST_MARK.findall(" " + text)) >= 2:
            horiz = list(rule.HORIZONTAL_LIST_FINDER.finditer(text))
        flattened = (
            len(horiz) >= 2
            and (":" in text or text[horiz[0].start()] == text.lstrip()[0])
            and any(4 < b.start() - a.end() < 40 for a, b in pairwise(horiz))
        )
        if flattened:
            bounds.difference_update(m.end() for m in horiz)
            bounds.update(m.start() + 1 for m in horiz if m.start())
        reach = _SPACES.match(text).end() + _VERTICAL_REACH + 1
        if bounds and min(bounds) < reach:  # a vertical marker ends before ``reach``
            bounds.difference_update(
                m.end() for m in rule.VERTICAL_LIST_START_FINDER.finditer(text, 0, reach))

    def _mid_sentence(self, bounds: set[int], text: str) -> None:
        """Remove boundaries where a mid-sentence regex match ends, looking near each only."""
        removed = set()
        for end in sorted(bounds):
            if end == 0 or text[end - 1] in _BARRIER:
                continue  # no abbreviation match ends on a barrier character
            start = self._window_start(text, end)
            stop = self._window_stop(text, end)
            if any(_ends_at(pattern, text, start, stop, end)
                   for pattern in self._may_match(text, start, stop, end)):
                removed.add(end)
        bounds.difference_update(removed)

    def _may_match(self, text: str, start: int, stop: int, end: int) -> list[Pattern]:
        """The mid-sentence regexes with a match in the window; the ``re`` ones all together
        if one of them matches at or before ``end`` (those after it cannot end on it)."""
        cut = end + self._probe_reach
        if self._probe is not None and stop <= cut <= len(text):
            maybe = self._mid_re if self._probe.search(text, start, cut) else []
        else:
            maybe = [pattern for pattern in self._mid_re if pattern.search(text, start, stop)]
        return maybe + [pattern for pattern in self._mid_other if pattern.search(text, start, stop)]

    def _window_stop(self, text: str, end: int) -> int:
        """Where the line may be cut without changing any match that starts before ``end``."""
        if end == len(text):
            return end
        if text[end - 1] in self.rule.TERMINATORS and text[end].isspace():
            # A match starting before ``end`` stops on the terminator (``. . .`` goes 4 further)
            # and only its lookahead reads on: spaces, then at most one listed word.
            spaces = _SPACES.match(text, end).end() - end
            return min(len(text), end + spaces + self._lookahead_reach)
        barrier = _BARRIER_RE.search(text, end)
        return barrier.end() if barrier else len(text)

    def _window_start(self, text: str, end: int) -> int:
        """Nearest position before ``end`` where no mid-sentence match can be under way: a
        letter (not a roman numeral) after a space, the word before not opening a multi-word
        entry."""
        stop = end
        while clean := _CLEAN_START.search(text, 0, stop):
            pos = clean.start()
            word = _WORD_BEFORE.match(text, 0, pos - 1).group().casefold()
            if not word.endswith(self._multiword_heads):
                return pos
            stop = pos
        return 0

    def _quotes(self, bounds: set[int], text: str, terminators: list[int]) -> None:
        """yasbd's ``_remove_quote_and_paren_spans`` with interval tests instead of sets."""
        spans = self._quote_spans(text)
        if not spans:
            return
        starts = [start for start, _ in spans]

        def inside(pos: int) -> bool:  # in range(start + 1, end) of some span
            k = bisect_right(starts, pos - 1) - 1
            return k >= 0 and pos < spans[k][1]

        bounds.difference_update([pos for pos in bounds if inside(pos)])
        bounds.update(pos for pos in self._quote_ends(text, terminators) if not inside(pos))

    def _quote_ends(self, text: str, terminators: list[int]) -> set[int]:
        """Positions where the zero-width QUOTE_AND_PAREN_END_FINDER matches."""
        finder = self.rule.QUOTE_AND_PAREN_END_FINDER
        found = set()
        for t in terminators:
            after = [t + 1]
            tag = _TAG.match(text, t + 1)
            if tag:
                after.append(tag.end())
            for start in after:
                stop = _CLOSERS.match(text, start).end()
                found.update(pos for pos in range(start + 1, stop + 1)
                             if finder.match(text, pos))
        return found


def _ends_at(pattern: Pattern, text: str, start: int, stop: int, end: int) -> bool:
    """Whether ``pattern.finditer`` over ``text[start:stop]`` has a match ending at ``end``."""
    for m in pattern.finditer(text, start, stop):
        if m.end() >= end:
            return m.end() == end
    return False


def _starting_by(patterns: list[re.Pattern], reach: int) -> re.Pattern | None:
    """Matches where one of ``patterns`` does, at a position ``reach`` characters or more
    before the end of the searched text: ``(?=.{reach})(?:(?x:p1\\n)|(?i:p2)|…)``, each
    pattern under its own flags (a verbose one ends with a newline, so that a trailing comment
    cannot swallow the closing parenthesis). None if no pattern, or if their other flags
    differ (they cannot be scoped)."""
    unscoped = {pattern.flags & ~sum(_SCOPED_FLAGS) for pattern in patterns}
    if len(unscoped) != 1:
        return None
    parts = []
    for pattern in patterns:
        letters = "".join(letter for flag, letter in _SCOPED_FLAGS.items() if pattern.flags & flag)
        newline = "\n" if pattern.flags & re.VERBOSE else ""
        parts.append(f"(?{letters}:{pattern.pattern}{newline})")
    return re.compile(f"(?=(?s:.){{{reach}}})(?:{'|'.join(parts)})", unscoped.pop())


def _word_lists(rule: object) -> dict[str, set[str]]:
    """The rule's word lists (abbreviations, names, sentence starters...) by attribute name."""
    return {name: getattr(rule, name) for name in dir(type(rule))
            if name.isupper() and isinstance(getattr(rule, name), (set, frozenset))}


def _lookahead_reach(rule: object) -> int:
    """How far past a terminator and its spaces a mid-sentence lookahead reads: one listed
    word (or ``(``, ``[``, a number, a roman numeral of 5) and the character after it; 6 also
    covers ``. . .``, the one match that goes on past a terminator and a space."""
    words = [len(entry) for name in _LOOKAHEAD_ONLY | {"DATE_ABBRVS"}
             for entry in getattr(rule, name, ())]
    return max([6, *words]) + 2


def _stop_space_entries(rule: object) -> list[str]:
    """Entries of the consumed word lists with a terminator followed by a space (none in 1.0.4)."""
    stops = "".join(rule.TERMINATORS)
    return [entry for name, value in _word_lists(rule).items() if name not in _LOOKAHEAD_ONLY
            for entry in value if isinstance(entry, str)
            and any(a in stops and b.isspace() for a, b in pairwise(entry))]


def _multiword_heads(rule: object) -> tuple[str, ...]:
    """Case-folded non-final words of every multi-word entry the mid-sentence regexes consume."""
    heads = set()
    for name, value in _word_lists(rule).items():
        if name not in _LOOKAHEAD_ONLY:
            for entry in value:
                if isinstance(entry, str):
                    heads.update(word.casefold() for word in entry.split()[:-1])
    return tuple(sorted(heads))
