"""The numbers a sentence states, in one comparable form, whatever digits and separators it uses.

Why: a number that changes in translation (a casualty count, a date, a percentage) is the error a
reviewer most needs to see, and the one an embedding model barely notices. The two sides write
numbers differently, so each is read into the same form before comparing:

- digits: ASCII, Arabic-Indic (٠-٩, U+0660) and Eastern Arabic / Persian (۰-۹, U+06F0);
- decimals: ``3,5`` (French), ``3.5`` and ``٣٫٥`` (U+066B); thousands: ``1 000`` (space, no-break
  or narrow no-break space), ``1.000`` (French), ``1,000`` and ``١٬٠٠٠`` (U+066C);
- percent signs (``%``, ``٪``) are dropped: ``50 %`` and ``٥٠٪`` both state 50;
- month names (French; Arabic Levantine, Egyptian/Gulf and Maghrebi names) count as the month's
  number, so ``12 شباط 2020``, ``12 février 2020`` and ``12/02/2020`` all state {12, 2, 2020}.

Numbers written as words (``quatre``, ``أربعة``) are not read as numbers (``un`` is also an
article); :func:`spelled` lists the small numbers a text spells out, so that a digit on one side
that the other side writes in words is not taken for a mismatch.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache

from aligner.normalize import for_matching

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC_DIGIT = re.compile("[٠-٩۰-۹]")
_SEPARATORS = str.maketrans({"٫": ".", "٬": ",", "٪": "%", "\u00a0": " ", "\u202f": " ",
                             "\u2009": " "})

# A run of digits with inner separators: 1 000 000, 1.000, 3,5, 1,234.56 (one space at most).
_NUMBER = re.compile(r"(?<![0-9A-Za-z.,])[0-9]+(?:(?:[.,]| (?=[0-9]{3}(?![0-9])))[0-9]+)*")
# The Arabic comma between digits groups thousands (783،562): a list would have a space after it.
_ARABIC_COMMA = re.compile(r"(?<=[0-9])،(?=[0-9]{3}(?![0-9]))")
_ANY_DIGIT = re.compile("[0-9]")
# A paragraph's list number (51 - , 3. , (2) ) is layout: translations often drop or renumber it.
_LIST_NUMBER = re.compile(r"^\(?[0-9]{1,3}\s?[-–.)]\s")
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:([., ])[0-9]{3})(?:\1[0-9]{3})*")

_FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                  "septembre", "octobre", "novembre", "décembre")
# (names, month): Levantine/Iraqi, Egyptian/Gulf (from the Latin names) and Maghrebi names.
_ARABIC_MONTHS = (
    ("كانون الثاني|يناير|جانفي", 1), ("شباط|فبراير|فيفري", 2), ("آذار|اذار|مارس", 3),
    ("نيسان|أبريل|ابريل|إبريل|أفريل|افريل", 4), ("أيار|ايار|مايو|ماي", 5),
    ("حزيران|يونيو|يونيه|جوان", 6), ("تموز|يوليو|يوليه|جويلية", 7), ("آب|أغسطس|اغسطس|أوت", 8),
    ("أيلول|ايلول|سبتمبر|سيبتمبر", 9), ("تشرين الأول|تشرين الاول|أكتوبر|اكتوبر", 10),
    ("تشرين الثاني|نوفمبر", 11), ("كانون الأول|كانون الاول|ديسمبر", 12),
)
# An Arabic word may carry a clitic: و (and), ف, ب (in), ل (for), ك; ال is part of no month.
_AR_START = r"(?<![\w])[وفبلك]?"
_AR_END = r"(?![\w])"


# A month name states a number only in a date: after a day (12 شباط, الـ21 من يوليو, 1er mai,
# 12 / شباط) or before a year; alone it may be a word (مارس "he practised", ماي "MySpace", Mars).
_DAY_BEFORE = re.compile(r"[0-9](?:er)? (?:من |/ ?)?$|[0-9]/$")
_YEAR_AFTER = re.compile(r" ?/? ?[0-9]")


@cache
def _months() -> tuple[re.Pattern[str], dict[str, int]]:
    """One pattern for every month name (clitic allowed), and each name's month number."""
    names = {name: k for k, name in enumerate(_FRENCH_MONTHS, 1)}
    for alternatives, month in _ARABIC_MONTHS:
        names.update(dict.fromkeys(alternatives.split("|"), month))
    words = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(f"{_AR_START}({words}){_AR_END}", re.IGNORECASE), names


def _month_numbers(text: str, in_date: bool) -> set[int]:
    """The months ``text`` names: all of them, or (``in_date``) those beside a day or year."""
    pattern, names = _months()
    found = set()
    for match in pattern.finditer(text):
        if not in_date or _DAY_BEFORE.search(text, max(0, match.start() - 8), match.start()) \
                or _YEAR_AFTER.match(text, match.end()):
            found.add(names[match.group(1).lower()])
    return found


def numbers(text: str, lang: str) -> frozenset[Decimal]:
    """The numbers ``text`` states, month names included, as exact decimals.

    ``lang`` decides an ambiguous comma: in French ``1,5`` is one and a half; elsewhere a comma
    before exactly three digits groups thousands (``1,000``) and any other comma is decimal.
    """
    text = _LIST_NUMBER.sub("", _plain(text))
    found: set[Decimal] = set()
    if lang == "fr":  # le XVIIIe siècle
        found.update(Decimal(_roman(m.group(1))) for m in _ROMAN_ORDINAL.finditer(text))
    if not _ANY_DIGIT.search(text):  # most sentences: no digit, so no other number, no date
        return frozenset(found)
    text = _ARABIC_COMMA.sub(",", text).translate(_SEPARATORS)
    found.update(Decimal(month) for month in _month_numbers(text, True))
    for match in _NUMBER.finditer(text):
        value = _value(match.group(), lang)
        if value:  # 0 is left out: the "00" of 11:00 is no number a translation must keep
            found.add(value)
    return frozenset(found)


_ROMAN_ORDINAL = re.compile(r"(?<![\w])([IVXLC]+)(?:e|è|ème|er) (?:siècle|millénaire)")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(numeral: str) -> int:
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=True))


def ascii_digits(text: str) -> str:
    """``text`` with Arabic-Indic and Eastern Arabic digits written as ASCII ones."""
    # Most sentences have none: a regex scan is far cheaper than translate's per-character
    # dict lookups (it mattered at 100,000 sentences a side).
    return text.translate(_DIGITS) if _ARABIC_DIGIT.search(text) else text


def _plain(text: str) -> str:
    """The matching form with ASCII digits and without the tatweel of بـ76 (ب76)."""
    return ascii_digits(for_matching(text))


def _value(token: str, lang: str) -> Decimal | None:
    """One number token (digits with separators) as a decimal, or None if it is no number."""
    french = lang == "fr"
    if _THOUSANDS.fullmatch(token) and not (french and "," in token):
        token = re.sub("[., ]", "", token)
    elif " " in token:  # 12 345,5: spaces group thousands, the rest decides below
        token = token.replace(" ", "")
    if token.count(",") + token.count(".") > 1:
        # Mixed: 1,234.56 or 1.234,56; the last separator is the decimal one.
        last = max(token.rfind(","), token.rfind("."))
        token = re.sub("[.,]", "", token[:last]) + "." + token[last + 1:]
    token = token.replace(",", ".")
    try:
        return Decimal(token).normalize()
    except InvalidOperation:
        return None


# Small numbers spelled out, cardinal and ordinal, in their matching form (no harakat).
_SPELLED = {
    "fr": {
        1: "un une premier première", 2: "deux deuxième second seconde", 3: "trois troisième",
        4: "quatre quatrième", 5: "cinq cinquième", 6: "six sixième", 7: "sept septième",
        8: "huit huitième", 9: "neuf neuvième", 10: "dix dixième", 11: "onze onzième",
        12: "douze douzième", 20: "vingt vingtième", 100: "cent centaine centième",
        1000: "mille milliers? milliers", 1000000: "millions?", 1000000000: "milliards?",
    },
    "ar": {
        1: "واحد واحدة أول أولى الأول الأولى", 2: "اثنان اثنين اثنتان اثنتين ثاني ثانية الثاني "
        "الثانية", 3: "ثلاث ثلاثة ثالث ثالثة", 4: "أربع أربعة رابع رابعة", 5: "خمس خمسة خامس خامسة",
        6: "ست ستة سادس سادسة", 7: "سبع سبعة سابع سابعة", 8: "ثماني ثمانية ثمان ثامن ثامنة",
        9: "تسع تسعة تاسع تاسعة", 10: "عشر عشرة عاشر عاشرة",
        20: "عشرون عشرين", 100: "مئة مائة مئات", 1000: "ألف آلاف الاف", 1000000: "مليون ملايين",
        1000000000: "مليار",
    },
}


# Tens, for decades (السبعينيات, les années soixante-dix) and round numbers.
_TENS = {
    "fr": {20: "vingt", 30: "trente", 40: "quarante", 50: "cinquante", 60: "soixante",
           70: "soixante-dix", 80: "quatre-vingts? quatre-vingt", 90: "quatre-vingt-dix"},
    "ar": {20: "عشر", 30: "ثلاث", 40: "أربع|اربع", 50: "خمس", 60: "ست", 70: "سبع",
           80: "ثمان", 90: "تسع"},
}
_AR_TENS_END = "(?:ون|ين|ينات|ينيات)"
_AR_TEENS = re.compile(f"{_AR_START}(?:ال)?(\\w+) (?:ال)?عشرة?{_AR_END}")


@cache
def _spelled_patterns(lang: str) -> tuple[tuple[re.Pattern[str], int], ...]:
    prefix = _AR_START + "(?:ال)?" if lang == "ar" else r"(?<![\w])"
    patterns = [
        (re.compile(f"{prefix}(?:{'|'.join(words.split())}){_AR_END}", re.IGNORECASE), value)
        for value, words in _SPELLED.get(lang, {}).items()]
    for value, stem in _TENS.get(lang, {}).items():
        word = f"(?:{stem}){_AR_TENS_END}" if lang == "ar" else f"(?:{stem.replace(' ', '|')})"
        patterns.append((re.compile(f"{prefix}{word}{_AR_END}", re.IGNORECASE), value))
    return tuple(patterns)


def spelled(text: str, lang: str) -> frozenset[Decimal]:
    """Numbers ``text`` writes as words or names: small numbers and ordinals, tens, Arabic
    teens (الخامس عشر), hundreds to billions, and every month named (dated or not)."""
    text = _plain(text)
    found = {value for pattern, value in _spelled_patterns(lang) if pattern.search(text)}
    if lang == "ar":
        units = {word: value for value, words in _SPELLED["ar"].items() if value < 10
                 for word in words.split()}
        found.update(10 + units[m.group(1)] for m in _AR_TEENS.finditer(text)
                     if m.group(1) in units)
    found.update(_month_numbers(text, False))
    return frozenset(Decimal(value).normalize() for value in found)


def excused(value: Decimal, words: frozenset[Decimal]) -> bool:
    """True when the other side's ``words`` account for ``value``: spelled out, or a decade
    year (1970) named by its tens (السبعينيات, les années 70)."""
    if value in words:
        return True
    decade = value == value.to_integral_value() and 1000 <= value < 2100 and value % 10 == 0
    return decade and (value % 100).normalize() in words
