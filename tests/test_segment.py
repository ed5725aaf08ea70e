"""Sentence splitting: yasbd's output, our corrections for what it misses, and the invariant."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.readers import read_text
from aligner.segment import segment_document, split_generic, split_sentences
from aligner.types import Sentence


@pytest.mark.parametrize("text, expected", [
    # Regressions measured on yasbd-lib 1.0.4 (see the module docstring).
    ("Il hésita… Puis il partit.", ["Il hésita…", "Puis il partit."]),
    ("Il hésita... Puis il partit.", ["Il hésita...", "Puis il partit."]),
    ("J.-P. Sartre est venu.", ["J.-P. Sartre est venu."]),
    ("Sartre est venu.Il est reparti", ["Sartre est venu.", "Il est reparti"]),
    # What must not be split.
    ("Le prix est de 3.5 euros.", ["Le prix est de 3.5 euros."]),
    ("Il a vécu aux U.S.A.pendant dix ans.", ["Il a vécu aux U.S.A.pendant dix ans."]),
    ("Voir www.x.fr pour tout savoir.", ["Voir www.x.fr pour tout savoir."]),
    ("Il a vu M.Dupont hier.", ["Il a vu M.Dupont hier."]),
    ("Il pensait… à toi.", ["Il pensait… à toi."]),
    ("La démonstration de force de M. Erdogan, pressé de lancer sa contre-offensive.",
     ["La démonstration de force de M. Erdogan, pressé de lancer sa contre-offensive."]),
    # Quotes and punctuation stay with their sentence.
    ("Je pars. »", ["Je pars. »"]),
    ("Il a dit « Bonjour. » Puis il est parti.", ["Il a dit « Bonjour. »", "Puis il est parti."]),
    ("Il est venu !!! Puis parti ?!", ["Il est venu !!!", "Puis parti ?!"]),
    ("Vladimir Poutine a choisi. La Russie soutient sans réserve la campagne.",
     ["Vladimir Poutine a choisi.", "La Russie soutient sans réserve la campagne."]),
])
def test_french(text, expected):
    assert split_sentences(text, "fr") == expected


@pytest.mark.parametrize("text, expected", [
    # ".." and "…" are pauses in Arabic headlines: one sentence, as in the French translation.
    ("للمرة الأولى.. اشتباك مسلح بين دورية أمريكية وقوات النظام شمال شرق سوريا",
     ["للمرة الأولى.. اشتباك مسلح بين دورية أمريكية وقوات النظام شمال شرق سوريا"]),
    ("قال … ثم ذهب إلى المدرسة. ونام", ["قال … ثم ذهب إلى المدرسة.", "ونام"]),
    ("وجاء هذا الاشتباك عقب حالات اعتراض…", ["وجاء هذا الاشتباك عقب حالات اعتراض…"]),
    # "؛" does not end a sentence; "؟", "!" and "." do.
    ("ثم عاد إلى بيته؛ وقال إنه تعب", ["ثم عاد إلى بيته؛ وقال إنه تعب"]),
    ("هل أتيت؟ نعم! ذهبت إلى حلب. ثم عدت",
     ["هل أتيت؟", "نعم!", "ذهبت إلى حلب.", "ثم عدت"]),
    ("قال: «اذهب.» فذهب.", ["قال: «اذهب.»", "فذهب."]),
    # A hashtag after the last sentence is kept (as its own piece, with its text unchanged).
    ("إيفلين أمنيتها دخول المدرسة، دخلتها لكن ليس للدراسة وإنما لتعيش بها. #الخوذ_البيضاء",
     ["إيفلين أمنيتها دخول المدرسة، دخلتها لكن ليس للدراسة وإنما لتعيش بها.",
      "#الخوذ_البيضاء"]),
])
def test_arabic(text, expected):
    assert split_sentences(text, "ar") == expected


def test_an_apostrophe_inside_a_word_does_not_glue_the_next_sentences_to_a_quote():
    """yasbd took the ``’`` of ``l’a`` for a closing quote and ``»`` for an opening one: all
    between them was one protected "quote", never split."""
    assert split_sentences("Il faut lire ». Il pleut. Il l’a dit.", "fr") == [
        "Il faut lire ».", "Il pleut.", "Il l’a dit."]
    assert split_sentences("Il a dit « c’est fini ». Il pleut. Il l’a dit.", "fr") == [
        "Il a dit « c’est fini ».", "Il pleut.", "Il l’a dit."]
    assert split_sentences("Il a dit « c'est fini ». Il pleut. Il l'a dit.", "fr") == [
        "Il a dit « c'est fini ».", "Il pleut.", "Il l'a dit."]


# FLORES-200 dev, French lines 41-43 (NLLB Team et al. 2022; CC BY-SA 4.0).
FLORES_DEV_41_43 = [
    "John Grant, de WNED Buffalo (station diffusant Reading Rainbow) a déclaré\u00a0: "
    "«\u2009Reading Rainbow a appris aux enfants pourquoi lire […] leur a donné l’amour de la "
    "lecture — [l’émission] a encouragé les enfants à prendre un livre et à lire\u2009».",
    "Certains, dont John Grant, pensent que le manque de financement et le changement de "
    "philosophie des programmes éducatifs de la télévision ont contribué à la fin de la série.",
    "Selon les météorologues, il est probable que la tempête, située à environ 645\u00a0miles "
    "(1\u2009040\u00a0km) à l’ouest du Cap-Vert, se dissipe avant de menacer quelque rivage "
    "que ce soit.",
]


def test_a_quotation_full_of_elisions_ends_where_its_guillemet_closes():
    """Real text: the quote closed at ``l’amour``, its ``»`` reopened one that ran to
    ``l’ouest`` two sentences later, and the three lines came out as one sentence."""
    assert split_sentences(" ".join(FLORES_DEV_41_43), "fr") == FLORES_DEV_41_43


def test_arabic_quotes_are_not_cut_or_stretched_by_an_apostrophe_in_a_name():
    """The Arabic rules share yasbd's quote finder: ``King’s`` closed the quote early (a split
    inside it), and a lone ``»`` paired with the ``’`` of ``O’Neil`` (no split at all)."""
    assert split_sentences("قال: «زرت King’s College. ثم عدت». فذهب.", "ar") == [
        "قال: «زرت King’s College. ثم عدت».", "فذهب."]
    assert split_sentences("ثم انتهى». ذهب إلى البيت. ثم التقى O’Neil.", "ar") == [
        "ثم انتهى».", "ذهب إلى البيت.", "ثم التقى O’Neil."]


def test_a_quotation_with_stops_inside_is_still_one_sentence():
    """Stops inside « … » or “ … ” do not end the sentence, apostrophes in the quote or not."""
    assert split_sentences("« Je pars. Il pleut. » dit-il. Puis il partit.", "fr") == [
        "« Je pars. Il pleut. » dit-il.", "Puis il partit."]
    assert split_sentences("Il dit « c’est fini. Je pars. » Puis il partit.", "fr") == [
        "Il dit « c’est fini. Je pars. »", "Puis il partit."]
    assert split_sentences("Il dit “c’est fini. Je pars.” Puis il partit.", "fr") == [
        "Il dit “c’est fini. Je pars.”", "Puis il partit."]


def test_a_piece_of_punctuation_alone_joins_a_neighbour():
    assert split_sentences("» Il partit.", "fr") == ["» Il partit."]
    assert split_sentences("Il partit.\n»", "fr") == ["Il partit.\n»"]
    assert split_sentences("...", "fr") == ["..."]


def test_line_breaks_end_sentences_unless_the_paragraph_is_hard_wrapped():
    headline = ("Pour la première fois … un affrontement armé entre une patrouille américaine\n"
                "Aujourd’hui, mercredi, les forces du régime se sont affrontées avec une "
                "patrouille américaine dans le village de Khirbet Amo.")
    assert len(split_sentences(headline, "fr")) == 2
    wrapped = ("La prise de Saraqeb par le régime syrien, il y a quelques jours, a mis\n"
               "le feu aux poudres. La Turquie y a vu une agression dans la mesure où\n"
               "l’avancée du régime a rendu inopérants cinq postes.")
    assert split_sentences(wrapped, "fr") == [
        "La prise de Saraqeb par le régime syrien, il y a quelques jours, a mis\n"
        "le feu aux poudres.",
        "La Turquie y a vu une agression dans la mesure où\n"
        "l’avancée du régime a rendu inopérants cinq postes."]
    assert split_sentences("Défense civile syrienne\nQuatre civils ont été tués.", "fr") == [
        "Défense civile syrienne", "Quatre civils ont été tués."]


def test_generic_fallback_for_languages_yasbd_lacks():
    assert split_generic("Hello there. World is big! ok? Yes") == [
        "Hello there.", "World is big! ok?", "Yes"]
    assert split_sentences("שלום לכולם. מה שלומכם? טוב", "he") == [
        "שלום לכולם.", "מה שלומכם?", "טוב"]


def test_segment_document_reports_paragraph_and_line():
    doc = read_text("Titre\n\nUn. Deux.\nTrois.\n\n\nQuatre cinq.")
    assert segment_document(doc, "fr") == (
        Sentence("Titre", 0, 1),
        Sentence("Un.", 1, 3),
        Sentence("Deux.", 1, 3),
        Sentence("Trois.", 1, 4),
        Sentence("Quatre cinq.", 2, 7),
    )


def test_presplit_takes_one_sentence_per_line_and_never_resplits():
    doc = read_text("  Un. Deux.  \nTrois… Quatre\n\nCinq.")
    assert segment_document(doc, "fr", presplit=True) == (
        Sentence("Un. Deux.", 0, 1), Sentence("Trois… Quatre", 0, 2), Sentence("Cinq.", 1, 4))


PIECES = [*"abXYéÀ .!?…;؛؟،«»“”\"'-\n\u00a0", "كتب", "ال", "..", "J.-P. ", "M.", "3.5",
          "U.S.A.", "Il ", "#tag"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
       st.sampled_from(["fr", "ar", "de", "he"]))
def test_every_character_lands_in_exactly_one_sentence_unchanged(text, lang):
    sentences = split_sentences(text, lang)
    assert "".join(sentences) == _without_gaps(text, sentences)
    assert re.sub(r"\s", "", "".join(sentences)) == re.sub(r"\s", "", text)
    assert all(s == s.strip() and s for s in sentences)
    if len(sentences) > 1:
        assert all(any(ch.isalnum() for ch in s) for s in sentences)


def _without_gaps(text: str, sentences: list[str]) -> str:
    """``text`` minus the whitespace runs between sentences, which must be all that is cut."""
    kept, pos = [], 0
    for sentence in sentences:
        start = text.index(sentence, pos)
        assert not text[pos:start].strip(), "non-space text was lost between sentences"
        pos = start + len(sentence)
        kept.append(text[start:pos])
    assert not text[pos:].strip(), "non-space text was lost at the end"
    return "".join(kept)


def test_whitespace_only_between_sentences_is_dropped():
    text = "Un.  \u00a0Deux.\tTrois."
    assert "".join(split_sentences(text, "fr")) == re.sub(r"\s+", "", text)
