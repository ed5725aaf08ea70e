"""Normalisation for matching: invisible marks, tatweel, harakat and presentation forms go."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligner.normalize import for_matching


@pytest.mark.parametrize("raw, expected", [
    # A tweet pasted from an RTL web page: embedding and direction marks around the text.
    ("\u202bمقتل أربعة مدنيين وإصابة ثلاثة آخرين\u202c\u200f",
     "مقتل أربعة مدنيين وإصابة ثلاثة آخرين"),
    ("\u2067#الخوذ_البيضاء\u2069 \u061cحلب", "#الخوذ_البيضاء حلب"),
    # Tatweel stretching a headline word.
    ("عاجـــل: اشتبـاك مسلح", "عاجل: اشتباك مسلح"),
    # Fully vowelled text and Quranic pause marks.
    ("السَّلَامُ عَلَيْكُمْ", "السلام عليكم"),
    ("ذَٰلِكَ ٱلْكِتَٰبُ لَا رَيْبَ ۛ فِيهِ ۛ هُدًى لِّلْمُتَّقِينَ",
     "ذلك ٱلكتب لا ريب فيه هدى للمتقين"),
    # Presentation forms from an old PDF: contextual glyphs, the lam-alef and Allah ligatures.
    ("ﺍﻟﺴﻼﻡ ﻋﻠﻴﻜﻢ", "السلام عليكم"),
    ("ﷲ ﻻ", "الله لا"),
    ("ﺑﹻ", "ب"),  # isolated kasra form: nothing left of it
    # Zero-width characters and a stray BOM inside the text.
    ("\ufeffDes civils\u200b victimes\u2060 d’Alep", "Des civils victimes d’Alep"),
    ("حلب\u200c اليوم\u200d", "حلب اليوم"),
    # Whitespace: no-break spaces, narrow no-break spaces, tabs and line breaks.
    ("le 10\u00a0février\u202f:\n\tà  Idlib ", "le 10 février : à Idlib"),
])
def test_for_matching(raw, expected):
    assert for_matching(raw) == expected


def test_french_letters_and_latin_ligatures_are_left_alone():
    text = "L’ambiguïté « démilitarisée » – fin ﬁn œuvre S-400 700 000"
    assert for_matching(text) == text


def test_arabic_letters_that_are_not_marks_survive():
    text = "أإآٱ ة ى ي ٠١٢٣ ؟ ، ؛"
    assert for_matching(text) == text


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_idempotent_and_trimmed(text):
    once = for_matching(text)
    assert for_matching(once) == once
    assert once == once.strip() and "  " not in once


def test_every_kind_of_space_is_folded_even_in_an_otherwise_plain_sentence():
    """Plain sentences skip the folding; any space but " " (tab, no-break, ideographic…),
    doubled or at the ends, must still send them through it."""
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace() and c != 32]
    for space in spaces:
        assert for_matching(f"Le{space}chat dort.") == "Le chat dort.", hex(ord(space))
    for text in ("Le  chat dort.", " Le chat dort.", "Le chat dort. "):
        assert for_matching(text) == "Le chat dort."
    plain = "Le chat dort."
    assert for_matching(plain) is plain
