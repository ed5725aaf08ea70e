"""Separating a mixed Arabic/French page, skipping noise lines, and checking a file's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.errors import EmptyInputError, InputError, MissingLanguageError
from aligner.languages import (
    check_language,
    detect_language,
    line_script,
    noise_reason,
    separate_languages,
)
from aligner.readers import paragraph_lines, read_document, read_text
from aligner.segment import segment_document

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed_aleppo_blog.txt"


@pytest.fixture(scope="module")
def seed():
    doc = read_document(str(SEED))
    arabic, french, skipped = separate_languages(doc)
    return doc, arabic, french, skipped


def lines_of(doc) -> dict[int, str]:
    return {n: text for p in doc.paragraphs for n, text in paragraph_lines(p)}


def test_every_line_of_the_seed_is_in_exactly_one_place(seed):
    doc, arabic, french, skipped = seed
    original = lines_of(doc)
    places = [*lines_of(arabic).items(), *lines_of(french).items(),
              *((s.line, s.text) for s in skipped)]
    assert sorted(places) == sorted(original.items())  # same lines, numbers and text


def test_the_arabic_tweets_and_the_le_monde_article_land_in_the_right_documents(seed):
    _, arabic, french, _ = seed
    ar, fr = lines_of(arabic), lines_of(french)
    assert ar[38].startswith("للمرة الأولى.. اشتباك مسلح")
    assert ar[48].startswith("” هذه قصتي ”") and ar[48].endswith("لتعيش بها. #الخوذ_البيضاء")
    assert ar[53].startswith("مقتل أربعة مدنيين")
    assert ar[35] == "HalabToday حلب اليوم"  # an account name, translated on the French side
    assert set(ar) == {35, 38, 39, 41, 42, 43, 45, 48, 50, 53}
    assert all(n < 35 or n >= 56 for n in fr)
    assert fr[94].startswith("Vladimir Poutine a choisi.")
    assert {56, 59, 61, 62, 66, 68, 70, 72, 84, 92} <= set(fr)
    assert fr[23] == "# Casques blancs"


def test_noise_lines_of_the_seed_are_skipped_with_a_reason(seed):
    _, _, _, skipped = seed
    reasons = {s.line: s.reason for s in skipped}
    assert reasons == {
        6: "file name", 9: "handle", 10: "timestamp", 14: "url", 20: "handle",
        21: "timestamp", 30: "handle", 31: "timestamp", 36: "handle", 37: "timestamp",
        40: "url", 46: "handle", 47: "timestamp", 51: "handle", 52: "timestamp",
        54: "hashtag", 98: "language en",
    }


def test_paragraphs_follow_the_original_and_break_where_other_lines_were(seed):
    _, arabic, _, _ = seed
    starts = [(p.line, p.text.count("\n") + 1) for p in arabic.paragraphs]
    # 38-39 and 41-43 were one blank-line paragraph, split by the skipped URL on line 40.
    assert starts == [(35, 1), (38, 2), (41, 3), (45, 1), (48, 1), (50, 1), (53, 1)]
    assert arabic.path == str(SEED)


@pytest.mark.parametrize("line, reason", [
    ("@HalabTodayTV", "handle"),
    ("@a @b:", "handle"),
    ("#الخوذ_البيضاء #سوريا", "hashtag"),
    ("halabtodaytv.net", "url"),
    ("https://www.lemonde.fr/international/article", "url"),
    ("photo_٢٠٢٠-٠٢-١٢_٢١-٤٩-٠٧_720x405", "file name"),
    ("IMG-2020.jpeg", "file name"),
    ("3h", "timestamp"),
    ("12 février 2020", "timestamp"),
    ("الأربعاء 12 شباط", "timestamp"),
    ("12/02/2020 11:21", "timestamp"),
    ("Publié", "too short"),
    ("حلب", "too short"),
    ("Postes encerclés", None),
    ("HalabToday حلب اليوم", None),
    ("Evelyne-déplacée syrienne fév 2020", None),
    ("وإنما لتعيش بها. #الخوذ_البيضاء", None),
])
def test_noise_reason(line, reason):
    assert noise_reason(line) == reason


def test_the_script_of_a_line_is_that_of_most_of_its_words():
    assert line_script("HalabToday حلب اليوم") == "ARABIC"
    assert line_script("Le mot حلب désigne Alep") == "LATIN"
    assert line_script("12 / ٢٠٢٠") is None


def test_same_script_pair_is_told_apart_by_language_id():
    doc = read_text(
        "Die Kämpfe in Idlib gehen weiter, sagte der Sprecher am Montag.\n"
        "Les combats se poursuivent à Idlib, a déclaré le porte-parole lundi.\n"
        "@sprecher\n"
        "Thank you very much for reading this article.", path="de-fr.txt")
    german, french, skipped = separate_languages(doc, "de", "fr")
    assert [p.line for p in german.paragraphs] == [1]
    assert [p.line for p in french.paragraphs] == [2]
    assert [(s.line, s.reason) for s in skipped] == [(3, "handle"), (4, "language en")]


def test_a_short_heading_that_fools_language_id_stays_in_its_language():
    doc = read_text("Accords inapplicables\n\nمقتل أربعة مدنيين في حلب")
    _, french, _ = separate_languages(doc)
    assert french.paragraphs[0].text == "Accords inapplicables"


def test_a_mixed_file_without_arabic_names_the_missing_language(tmp_path):
    doc = read_text("Les combats continuent à Idlib.\n@handle\n3h", path="blog.txt")
    with pytest.raises(MissingLanguageError) as caught:
        separate_languages(doc)
    assert caught.value.one_line() == (
        "blog.txt: no Arabic text found; is this the right file? "
        "for two files use: aligner align SRC TGT")


def test_a_file_of_noise_only_is_empty():
    with pytest.raises(EmptyInputError, match="all 3 lines were skipped"):
        separate_languages(read_text("@handle\n3h\nhalabtodaytv.net", path="x.txt"))


def test_detect_language_among_candidates():
    assert detect_language("Les forces du régime se sont affrontées", ["ar", "fr"]) == "fr"
    assert detect_language("Die Truppen des Regimes", ["de", "fr", "en"]) == "de"


ARABIC_TEXT = ("اشتبكت قوات النظام، اليوم الأربعاء، مع دورية أمريكية في قرية خربة عمو بريف "
               "الحسكة.\n\nوقال المتحدث العسكري باسم التحالف الدولي إن الأخير واجه نقطة تفتيش.")
FRENCH_TEXT = ("Les forces du régime se sont affrontées avec une patrouille américaine.\n\n"
               "Le porte-parole militaire de la coalition internationale a déclaré.")


def test_check_language_accepts_the_right_side():
    check_language(read_text(ARABIC_TEXT, path="ar.txt"), "ar")
    check_language(read_text(FRENCH_TEXT, path="fr.txt"), "fr")


def test_check_language_catches_swapped_or_doubled_files():
    with pytest.raises(MissingLanguageError) as caught:
        check_language(read_text(FRENCH_TEXT, path="fr.txt"), "ar")
    assert caught.value.path == "fr.txt"
    assert caught.value.message == "expected Arabic text, but it looks French"
    assert "swap" in caught.value.hint
    with pytest.raises(MissingLanguageError, match="expected German text") as caught:
        check_language(read_text(FRENCH_TEXT, path="fr.txt"), "de")
    assert "swap" in caught.value.hint


def test_check_language_suggests_the_single_file_mode_for_a_mixed_file():
    doc = read_document(str(SEED))
    with pytest.raises(MissingLanguageError) as caught:
        check_language(doc, "ar")
    assert "aligner align DOC" in caught.value.hint


def test_sentences_of_a_separated_document_report_their_original_line(seed):
    _, arabic, french, _ = seed
    ar = segment_document(arabic, "ar")
    assert [(s.line, s.text[:14]) for s in ar if s.line in (38, 48)] == [
        (38, "للمرة الأولى.."), (48, "” هذه قصتي ” إ"), (48, "إيفلين أمنيتها"),
        (48, "#الخوذ_البيضاء")]
    assert [s.line for s in segment_document(french, "fr") if s.text == "AFP"] == [62]


def test_an_unknown_language_code_is_a_usage_error():
    with pytest.raises(InputError, match="unknown language code xx"):
        separate_languages(read_text("Bonjour à tous les amis.", path="a.txt"), "xx", "fr")
