"""Issue 2, the seed acceptance: the Aleppo blog page, one file mixing Arabic tweets, their French
translations, social-media noise and an untranslated Le Monde article.

What a reviewer checks on this page: each tweet's Arabic sentences are linked to their French
translation, the French-only article is linked to nothing, and every line of the file is
accounted for exactly once (in a sentence or in the skipped list).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aligner import Alignment, Sentence, align_files

LE_MONDE_FIRST = "L’escalade meurtrière"


@pytest.fixture(scope="module")
def alignment(seed_path: Path, encoder) -> Alignment:
    """The seed page aligned once, as ``aligner align seed_aleppo_blog.txt`` does."""
    return align_files(str(seed_path), encoder=encoder)


@pytest.fixture(scope="module")
def lines(seed_path: Path) -> list[str]:
    return seed_path.read_text(encoding="utf-8").split("\n")


def partners(alignment: Alignment, arabic: str) -> tuple[list[Sentence], list[Sentence]]:
    """The link holding the one Arabic sentence that contains ``arabic``: (sources, targets)."""
    source, target = alignment.source.sentences, alignment.target.sentences
    hits = [k for k, s in enumerate(source) if arabic in s.text]
    assert len(hits) == 1, f"{arabic!r} is in {len(hits)} sentences"
    link = next(link for link in alignment.links if hits[0] in link.source)
    return [source[i] for i in link.source], [target[j] for j in link.target]


def assert_linked(alignment: Alignment, arabic: str, french: str) -> None:
    _, targets = partners(alignment, arabic)
    assert any(french in t.text for t in targets), (
        f"{arabic!r} is linked to {[t.text[:50] for t in targets]}, not to {french!r}")


@pytest.mark.parametrize("arabic, french", [
    ("للمرة الأولى..", "Pour la première fois"),
    ("وقال المتحدث", "Le porte-parole"),
    ("وأضاف البيان", "Le communiqué a ajouté"),
    ("مقتل أربعة مدنيين", "Quatre civils"),
], ids=["headline", "spokesman", "communique", "kafr amma"])
def test_issue_2_tweet_sentences_are_linked_to_their_translation(alignment, arabic, french):
    """Issue 2: each Arabic tweet sentence is linked to its French translation."""
    assert_linked(alignment, arabic, french)


def test_the_translated_posts_are_linked_with_confidence(alignment):
    """The page's length ratio must come from its linked sentences, not from its totals: the
    untranslated French article would otherwise make every right link look unlikely (they
    scored 0.18–0.63 that way)."""
    two_sided = [link for link in alignment.links if link.source and link.target]
    assert len(two_sided) >= 10
    assert min(link.confidence for link in two_sided) >= 0.9


def test_issue_2_truncated_and_full_versions_are_not_swapped(alignment):
    """Issue 2: the truncated tweet (ends in …) goes with the truncated French, the full with
    the full; the two Arabic versions share their first 30 words."""
    truncated = "عقب حالات اعتراضٍ…"
    full = "ضد دوريات روسية"
    _, targets = partners(alignment, truncated)
    assert [t.text[-20:] for t in targets] == ["états d’opposition …"]
    _, targets = partners(alignment, full)
    assert len(targets) == 1 and "contre des patrouilles russes" in targets[0].text


def test_issue_2_evelyn_story_is_linked_sentence_for_sentence(alignment):
    """Issue 2: every Arabic sentence of Evelyn's story goes with French Evelyn sentences, and
    every French sentence of it is linked to an Arabic one."""
    source, target = alignment.source.sentences, alignment.target.sentences
    arabic = {k for k, s in enumerate(source) if "إيفلين" in s.text}
    french = {k for k, s in enumerate(target) if "Evelyn," in s.text or "Evelyn voulait" in s.text}
    assert len(arabic) >= 2 and len(french) >= 2
    story = [link for link in alignment.links if arabic & set(link.source)]
    assert all(french.issuperset(link.target) and link.target for link in story)
    assert french == {j for link in story for j in link.target}


def test_issue_2_french_only_article_is_linked_to_nothing(alignment, lines):
    """Issue 2: no sentence of the untranslated Le Monde article gets an Arabic partner."""
    start = next(n for n, line in enumerate(lines, 1) if line.startswith(LE_MONDE_FIRST))
    target = alignment.target.sentences
    article = {j for j, s in enumerate(target) if s.line >= start}
    assert len(article) > 30
    for link in alignment.links:
        if article & set(link.target):
            assert link.source == (), [target[j].text[:40] for j in link.target]
    assert all(s.line < start for s in alignment.source.sentences)


def test_issue_2_every_line_is_accounted_for_exactly_once(alignment, lines):
    """Issue 2: each non-blank line is in sentences of one side or in skipped, never both."""
    sides = alignment.source.sentences, alignment.target.sentences
    for sentences in sides:
        for s in sentences:
            assert s.line is not None and s.text in lines[s.line - 1], s
        used = sorted(i for link in alignment.links
                      for i in (link.source if sentences is sides[0] else link.target))
        assert used == list(range(len(sentences)))
    for skipped in alignment.skipped:
        assert skipped.text.strip() and skipped.text in lines[skipped.line - 1]
    src_lines = {s.line for s in sides[0]}
    tgt_lines = {s.line for s in sides[1]}
    skipped_lines = [s.line for s in alignment.skipped]
    assert len(skipped_lines) == len(set(skipped_lines))
    assert not (src_lines & tgt_lines or src_lines & set(skipped_lines)
                or tgt_lines & set(skipped_lines))
    non_blank = {n for n, line in enumerate(lines, 1) if line.strip()}
    assert src_lines | tgt_lines | set(skipped_lines) == non_blank


def test_issue_2_noise_is_skipped_with_a_reason(alignment):
    """Handles, timestamps, the site name and the photo file name are skipped, not aligned."""
    reasons = {s.text: s.reason for s in alignment.skipped}
    assert reasons["@HalabTodayTV"] == "handle"
    assert reasons["3h"] == "timestamp"
    assert reasons["halabtodaytv.net"] == "url"
    assert reasons["photo_٢٠٢٠-٠٢-١٢_٢١-٤٩-٠٧_720x405"] == "file name"


def test_issue_2_mode_is_reported(alignment):
    assert alignment.mode in ("ordered", "free")
    assert alignment.settings["requested_mode"] == "auto"


def test_issue_2_cli_json_lists_skipped_lines_and_mode(seed_path):
    """The command a user runs: JSON with the mode and every skipped line with its reason."""
    done = subprocess.run(
        [sys.executable, "-m", "aligner", "align", str(seed_path), "-f", "json"],
        capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["mode"] in ("ordered", "free")
    assert doc["skipped"]
    for entry in doc["skipped"]:
        assert set(entry) == {"text", "line", "reason"}
        assert isinstance(entry["text"], str) and isinstance(entry["reason"], str)
        assert isinstance(entry["line"], int) and entry["line"] >= 1
    assert {"text": "@SyriaCivilDefe", "line": 20, "reason": "handle"} in doc["skipped"]
