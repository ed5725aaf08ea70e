"""Language identification: split one mixed document into one Document per language.

A web page that quotes Arabic tweets with their French translations mixes both languages
line by line, with noise between them (handles, timestamps, file names, site names). Each
non-blank line is judged on its own, in this order:

1. Noise, skipped with a reason: ``handle`` (``@HalabTodayTV``), ``hashtag`` (a line made
   only of hashtags; a hashtag after a sentence stays in it), ``url`` (``halabtodaytv.net``),
   ``file name`` (``photo_٢٠٢٠-٠٢-١٢_…_720x405``), ``timestamp`` (``3h``, ``12/02/2020``,
   ``mercredi 12 février``), ``too short`` (fewer than :data:`MIN_WORDS` words with letters).
2. Script: each word counts for the script most of its letters are in (Arabic, Latin,
   Cyrillic…; from the Unicode character names), and the line takes its words' majority
   script. ``HalabToday حلب اليوم`` is thus Arabic; it is kept, since the French page
   translates the account name too (``HalabToday Aleppo aujourd’hui``) and the two align.
3. py3langid, restricted to the USE-m languages plus the pair, for the languages written in
   that script. The top language wins if it is one of the pair; a line confidently in another
   language (probability ≥ :data:`OTHER_LANGUAGE_CONFIDENCE`, e.g. ``%d bloggers like
   this:``) is skipped as ``language en``; otherwise the likelier language of the pair wins,
   because short headings (``Accords inapplicables``) fool the identifier.

Kept lines of one language form a paragraph when they are consecutive lines of the same
original paragraph; any other line between them starts a new paragraph, so that
``Paragraph.line`` plus the offset inside the text still gives each line's number.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from aligner.errors import EmptyInputError, InputError, MissingLanguageError
from aligner.readers import group_lines, paragraph_lines
from aligner.types import Document, Paragraph, Skipped

MIN_WORDS = 2
OTHER_LANGUAGE_CONFIDENCE = 0.8
USE_M_LANGUAGES = ("ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru",
                   "th", "tr", "zh")
LANGUAGE_NAMES = {
    "ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fa": "Persian",
    "fr": "French", "it": "Italian", "ja": "Japanese", "ko": "Korean", "nl": "Dutch",
    "pl": "Polish", "pt": "Portuguese", "ru": "Russian", "th": "Thai", "tr": "Turkish",
    "ur": "Urdu", "zh": "Chinese",
}
_SCRIPTS = {
    "ar": {"ARABIC"}, "fa": {"ARABIC"}, "ur": {"ARABIC"}, "ru": {"CYRILLIC"},
    "uk": {"CYRILLIC"}, "bg": {"CYRILLIC"}, "el": {"GREEK"}, "he": {"HEBREW"},
    "hi": {"DEVANAGARI"}, "th": {"THAI"}, "zh": {"CJK"}, "ja": {"CJK", "HIRAGANA", "KATAKANA"},
    "ko": {"HANGUL", "CJK"},
}
_SAMPLE_CHARS = 20_000

_HANDLE = re.compile(r"@\w+[:,.]?")
_HASHTAG = re.compile(r"#\w+[:,.!?]?")
_FILE_NAME = re.compile(r"\S+\.(?:jpe?g|png|gif|webp|svg|pdf|docx?|mp[34]|html?|txt|zip)", re.I)
_URL = re.compile(r"(?:https?://|www\.)\S+|[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?:/\S*)?/?")
_TIME_TOKEN = re.compile(
    r"\d{1,4}(?:[:hH.]\d{2})?(?:h|min|mn|s|j|d|w|m|y|ans?|am|pm)?|\d{1,4}(?:[/.-]\d{1,4}){1,2}"
    r"|[-–—/·|,:]", re.I)
_CALENDAR_WORDS = """
    janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre
    décembre decembre janv févr fév avr juil sept oct nov déc lundi mardi mercredi jeudi
    vendredi samedi dimanche h min heure heures minute minutes seconde secondes jour jours
    semaine semaines mois an ans il y a à le hier aujourd'hui aujourd’hui
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep monday tuesday wednesday thursday friday saturday sunday
    mon tue wed thu fri sat sun hour hours hr hrs mins ago at on am pm yesterday today
    يناير فبراير مارس أبريل إبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر كانون
    شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين الأول الثاني السبت الأحد الاثنين الإثنين
    الثلاثاء الأربعاء الخميس الجمعة منذ ساعة ساعات ساعتين دقيقة دقائق يوم أيام أمس اليوم صباح
    مساء ص م
    """
_TIME_WORDS = frozenset(_CALENDAR_WORDS.split())


def _is_timestamp(tokens: list[str]) -> bool:
    """Only numbers, times, dates, separators and calendar words, with at least one digit."""
    return any(ch.isdigit() for token in tokens for ch in token) and all(
        _TIME_TOKEN.fullmatch(token) or token.lower().rstrip(".,") in _TIME_WORDS
        for token in tokens)


def noise_reason(text: str) -> str | None:
    """Why a line carries no sentence to align (``"handle"``, ``"url"``…), or None."""
    tokens = text.split()
    checks = (
        ("handle", all(_HANDLE.fullmatch(token) for token in tokens)),
        ("hashtag", all(_HASHTAG.fullmatch(token) for token in tokens)),
        ("file name", len(tokens) == 1 and (bool(_FILE_NAME.fullmatch(text.strip())) or (
            "_" in text and any(ch.isdigit() for ch in text)))),
        ("url", all(_URL.fullmatch(token) for token in tokens)),
        ("timestamp", _is_timestamp(tokens)),
        ("too short", sum(any(ch.isalpha() for ch in t) for t in tokens) < MIN_WORDS),
    )
    return next((reason for reason, hit in checks if hit), None)


@cache
def _script(char: str) -> str:
    """The script of a letter: the first word of its Unicode name (ARABIC, LATIN, CJK…)."""
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]


def scripts_of(lang: str) -> set[str]:
    """The scripts a language is written in (Latin unless listed otherwise)."""
    return _SCRIPTS.get(lang, {"LATIN"})


def line_script(text: str) -> str | None:
    """The script of most words of ``text`` (ties go to the script with more letters)."""
    words: Counter[str] = Counter()
    letters: Counter[str] = Counter()
    for token in text.split():
        counts = Counter(_script(ch) for ch in token if ch.isalpha())
        if counts:
            words[counts.most_common(1)[0][0]] += 1
            letters.update(counts)
    return max(words, key=lambda s: (words[s], letters[s]), default=None)


@cache
def _base_identifier() -> LanguageIdentifier:
    """py3langid's model, loaded once on first use (about a second), never at import."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@cache
def _identifier(langs: tuple[str, ...]) -> LanguageIdentifier:
    """An identifier restricted to ``langs``, sharing the base model's arrays."""
    identifier = copy.copy(_base_identifier())
    unknown = sorted(set(langs) - set(identifier.labels))
    if unknown:
        raise InputError(f"unknown language code {', '.join(unknown)}",
                         hint="use ISO 639-1 codes such as ar, fr, de, en")
    identifier.set_languages(list(langs))
    return identifier


def _plausible(*langs: str) -> tuple[str, ...]:
    """The languages a line is compared against: the model's languages plus the pair."""
    return tuple(sorted({*USE_M_LANGUAGES, *langs}))


def detect_language(text: str, candidates: Sequence[str]) -> str:
    """The most likely language of ``text`` among ``candidates`` (ISO 639-1 codes)."""
    return str(_identifier(tuple(sorted(set(candidates)))).classify(text)[0])


def line_language(text: str, src_lang: str, tgt_lang: str) -> str:
    """The language of one line: one of the pair, or another code when it clearly is not."""
    script = line_script(text)
    candidates = [lang for lang in (src_lang, tgt_lang) if script in scripts_of(lang)]
    ranking = _identifier(_plausible(src_lang, tgt_lang)).rank(text)
    top, confidence = ranking[0]
    if top in candidates:
        return str(top)
    if not candidates:
        return str(next(lang for lang, _ in ranking if lang not in (src_lang, tgt_lang)))
    if confidence >= OTHER_LANGUAGE_CONFIDENCE and script in scripts_of(top):
        return str(top)
    probability = dict(ranking)
    return max(candidates, key=lambda lang: probability.get(lang, 0.0))


def _classify(text: str, src_lang: str, tgt_lang: str) -> str:
    """A language code of the pair for a kept line, else the reason it is skipped."""
    reason = noise_reason(text)
    if reason is not None:
        return reason
    lang = line_language(text, src_lang, tgt_lang)
    return lang if lang in (src_lang, tgt_lang) else f"language {lang}"


def language_name(lang: str) -> str:
    """``"Arabic"`` for ``"ar"``; the code itself for languages without a listed name."""
    return LANGUAGE_NAMES.get(lang, lang)


Verdict = tuple[int, str, str] | None
"""``(line number, text, language or skip reason)``; None marks a paragraph boundary."""


def separate_languages(
    doc: Document, src_lang: str = "ar", tgt_lang: str = "fr"
) -> tuple[Document, Document, tuple[Skipped, ...]]:
    """Split a mixed document into its ``src_lang`` and ``tgt_lang`` lines, and the rest.

    Every non-blank line ends up in exactly one of the three results, with its line number.
    """
    verdicts: list[Verdict] = []
    for paragraph in doc.paragraphs:
        verdicts.append(None)
        verdicts += [(number, text, _classify(text, src_lang, tgt_lang))
                     for number, text in paragraph_lines(paragraph) if text.strip()]
    skipped = tuple(Skipped(text, number, verdict)
                    for number, text, verdict in filter(None, verdicts)
                    if verdict not in (src_lang, tgt_lang))
    source, target = (_paragraphs_in(verdicts, lang) for lang in (src_lang, tgt_lang))
    _require_both(doc, source, target, src_lang, tgt_lang, len(skipped))
    return Document(source, doc.path), Document(target, doc.path), skipped


def _paragraphs_in(verdicts: list[Verdict], lang: str) -> tuple[Paragraph, ...]:
    """The lines judged ``lang`` as paragraphs: any other line in between breaks a paragraph."""
    entries: list[tuple[int, str | None]] = []
    for verdict in verdicts:
        number, text, judged = verdict or (0, "", "")
        entries.append((number, text if verdict and judged == lang else None))
    return group_lines(entries)


def _require_both(doc: Document, source: tuple[Paragraph, ...], target: tuple[Paragraph, ...],
                  src_lang: str, tgt_lang: str, n_skipped: int) -> None:
    """Raise when a language of the pair has no line: there would be nothing to align."""
    if not source and not target:
        raise EmptyInputError(
            f"no {language_name(src_lang)} or {language_name(tgt_lang)} text: all "
            f"{n_skipped} lines were skipped", path=doc.path,
            hint="the lines are handles, links, timestamps or other languages")
    for lang, paragraphs in ((src_lang, source), (tgt_lang, target)):
        if not paragraphs:
            raise MissingLanguageError(
                f"no {language_name(lang)} text found", path=doc.path,
                hint="is this the right file? for two files use: aligner align SRC TGT")


def _sample(doc: Document) -> str:
    """Up to ~20,000 characters taken evenly across the document, for a quick check."""
    paragraphs = doc.paragraphs
    step = max(1, len(paragraphs) // 40)
    share = max(500, _SAMPLE_CHARS // max(1, min(40, len(paragraphs))))
    return "\n".join(p.text[:share] for p in paragraphs[::step])[:_SAMPLE_CHARS]


def check_language(doc: Document, lang: str) -> None:
    """Raise MissingLanguageError unless ``doc`` is mostly written in ``lang``.

    Catches swapped files and the same language given twice in a two-file run.
    """
    sample = _sample(doc)
    letters = [ch for ch in sample if ch.isalpha()]
    share = sum(_script(ch) in scripts_of(lang) for ch in letters) / max(1, len(letters))
    found = detect_language(sample, _plausible(lang)) if letters else None
    if share >= 0.5 and found == lang:
        return
    looks = f", but it looks {language_name(found)}" if found and found != lang else ""
    hint = ("it seems to hold several languages; for one mixed document use: aligner align DOC"
            if 0.1 <= share < 0.5 else
            "did you swap the files or give the same language twice? usage: aligner align SRC TGT")
    raise MissingLanguageError(f"expected {language_name(lang)} text{looks}", path=doc.path,
                               hint=hint)
