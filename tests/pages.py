"""Mixed Arabic/French pages like ``examples/seed_aleppo_blog.txt``, built from FLORES-200 dev.

A page holds news *passages* (one to three consecutive sentences of one FLORES article, joined
by a space, on one line) in Arabic and in French, laid out one of four ways, plus a French-only
article (French sentences whose Arabic is not on the page) and noise lines (handles, timestamps,
a site name, a photo file name, blank lines). Every line's role is recorded, so a test can say
which passage each aligned sentence belongs to. Randomness comes only from the seed.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
EXCERPT = DATA / "flores_dev_excerpt"

LAYOUTS = ("fr-first", "ar-first", "interleaved", "shuffled")
"""(a) translations then originals, (b) originals then translations, (c) a bilingual edition
(ar line, fr line, …), (d) the French passages in a random order relative to the Arabic."""

HANDLES = ("@HalabTodayTV", "@SyriaCivilDefe", "@newsdesk_ar", "@AFPfr")
TIMESTAMPS = ("3h", "7h", "12h", "12/02/2020", "il y a 2 h")
SITES = ("example.net", "halabtodaytv.net", "www.example.org/news")
PHOTOS = ("photo_2020-02-12_21-49-07_720x405", "IMG_20200212_214907.jpg",
          "photo_٢٠٢٠-٠٢-١٢_٢١-٤٩-٠٧_720x405")


@dataclass(frozen=True, slots=True)
class Article:
    """One FLORES article: its URL and its sentences in both languages (same length)."""

    url: str
    ar: tuple[str, ...]
    fr: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Passage:
    """Consecutive sentences of one article, each language joined into one line."""

    pid: int
    ar: str
    fr: str
    sentences: int


@dataclass(frozen=True, slots=True)
class Page:
    """A page's text and the role of each 1-based line number.

    Roles: ``("ar", pid)``, ``("fr", pid)``, ``("fr-only", k)`` and ``("noise", text)``;
    blank lines have no role.
    """

    layout: str
    seed: int
    text: str
    roles: dict[int, tuple[str, int | str]]
    passages: tuple[Passage, ...]


def load_articles(path: Path = EXCERPT) -> list[Article]:
    """The excerpt's sentences grouped into articles by consecutive equal URLs."""
    ar = path.with_suffix(".arb_Arab").read_text(encoding="utf-8").splitlines()
    fr = path.with_suffix(".fra_Latn").read_text(encoding="utf-8").splitlines()
    with path.with_suffix(".metadata.tsv").open(encoding="utf-8", newline="") as handle:
        urls = [row["URL"] for row in csv.DictReader(handle, delimiter="\t")]
    if not len(ar) == len(fr) == len(urls):
        raise ValueError(f"excerpt files differ in length: {len(ar)}, {len(fr)}, {len(urls)}")
    articles = []
    rows = list(zip(urls, ar, fr, strict=True))
    for url, group in groupby(rows, key=lambda row: row[0]):
        _, ar_lines, fr_lines = zip(*group, strict=True)
        articles.append(Article(url, tuple(ar_lines), tuple(fr_lines)))
    return articles


def build_page(articles: list[Article], layout: str, seed: int,
               passages: tuple[int, int] = (5, 8)) -> Page:
    """A page of ``layout`` with between ``passages[0]`` and ``passages[1]`` passages."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    rng = random.Random(f"{layout}-{seed}")
    chosen = rng.sample(range(len(articles)), rng.randint(*passages) + 1)
    picked = tuple(_passage(pid, articles[a], rng) for pid, a in enumerate(chosen[:-1]))
    extra = articles[chosen[-1]].fr  # a whole article whose Arabic is nowhere on the page
    lines = _LAYOUT_BUILDERS[layout](picked, rng)
    lines = _with_french_only(lines, _french_only(extra, rng), rng)
    lines = [("noise", rng.choice(PHOTOS)), (None, ""), *lines]
    return _page(layout, seed, lines, picked)


def _passage(pid: int, article: Article, rng: random.Random) -> Passage:
    size = rng.randint(1, min(3, len(article.ar)))
    start = rng.randint(0, len(article.ar) - size)
    ar = " ".join(article.ar[start:start + size])
    fr = " ".join(article.fr[start:start + size])
    return Passage(pid, ar, fr, size)


Line = tuple[tuple[str, int] | str | None, str]
"""``(role, text)``: role is ``(lang, id)``, ``"noise"`` (the text is the role) or None."""


def _post(role: tuple[str, int], text: str, rng: random.Random) -> list[Line]:
    """One passage as a social-media post: sometimes a handle and a time above, a site below."""
    lines: list[Line] = []
    if rng.random() < 0.5:
        lines += [("noise", rng.choice(HANDLES)), ("noise", rng.choice(TIMESTAMPS))]
    lines.append((role, text))
    if rng.random() < 0.3:
        lines.append(("noise", rng.choice(SITES)))
    if rng.random() < 0.6:
        lines.append((None, ""))
    return lines


def _block(passages: tuple[Passage, ...], lang: str, rng: random.Random) -> list[Line]:
    lines: list[Line] = []
    for p in passages:
        lines += _post((lang, p.pid), p.ar if lang == "ar" else p.fr, rng)
    return [*lines, (None, "")]


def _fr_first(passages, rng) -> list[Line]:
    return _block(passages, "fr", rng) + _block(passages, "ar", rng)


def _ar_first(passages, rng) -> list[Line]:
    return _block(passages, "ar", rng) + _block(passages, "fr", rng)


def _interleaved(passages, rng) -> list[Line]:
    lines: list[Line] = []
    for p in passages:
        if rng.random() < 0.3:
            lines.append(("noise", rng.choice(HANDLES)))
        lines += [(("ar", p.pid), p.ar), (("fr", p.pid), p.fr)]
        if rng.random() < 0.5:
            lines.append((None, ""))
    return [*lines, (None, "")]


def _shuffled(passages, rng) -> list[Line]:
    """Both blocks, the French one in a random order (never the Arabic order)."""
    order = list(passages)
    while len(order) > 1 and order == list(passages):
        rng.shuffle(order)
    blocks = [_block(passages, "ar", rng), _block(tuple(order), "fr", rng)]
    if rng.random() < 0.5:
        blocks.reverse()
    return blocks[0] + blocks[1]


_LAYOUT_BUILDERS = {"fr-first": _fr_first, "ar-first": _ar_first,
                    "interleaved": _interleaved, "shuffled": _shuffled}


def _french_only(sentences: tuple[str, ...], rng: random.Random) -> list[Line]:
    """An untranslated French article: paragraphs of one to three sentences."""
    lines: list[Line] = []
    k = 0
    while k < len(sentences):
        size = rng.randint(1, 3)
        lines += [(("fr-only", k), " ".join(sentences[k:k + size])), (None, "")]
        k += size
    return lines


def _with_french_only(lines: list[Line], article: list[Line], rng: random.Random) -> list[Line]:
    """The French-only article at the start, the end, or after the first blank line."""
    where = rng.choice(("start", "end", "middle"))
    if where == "start":
        return article + lines
    if where == "end":
        return lines + article
    cut = next((k + 1 for k, (role, _) in enumerate(lines) if role is None), len(lines))
    return lines[:cut] + article + lines[cut:]


def _page(layout: str, seed: int, lines: list[Line], passages: tuple[Passage, ...]) -> Page:
    roles: dict[int, tuple[str, int | str]] = {}
    for number, (role, text) in enumerate(lines, start=1):
        if role == "noise":
            roles[number] = ("noise", text)
        elif role is not None:
            roles[number] = role
    return Page(layout, seed, "\n".join(text for _, text in lines) + "\n", roles, passages)
