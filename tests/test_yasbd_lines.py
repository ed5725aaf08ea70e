"""The windowed yasbd rules give exactly yasbd's own boundaries, on tricky and on random lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from yasbd import BoundaryDetector
from yasbd.rules import load_rule

from aligner.yasbd_lines import LineRules, fast_path_available

LANGS = ["fr", "ar", "de", "en"]

# Each line exercises one shortcut: an abbreviation or a multi-word entry just before a
# boundary, list markers, quotes and brackets, tags and emoji after a stop, TOC leaders.
TRICKY = [
    "Voir p. 55 et al. Puis il partit. Le Dr. Martin, M. Dupont et J.-P. Sartre vinrent.",
    "Il est né le 3 janv. 2020. Puis le 4 déc. Il est parti ; Cf. Fig. 2. Enfin.",
    "Smith et al. (2004) ont montré. et al. Les autres aussi, et al. Ensuite rien.",
    "Yahoo! Il est là. Chips Ahoy! Et puis I Can't Believe It's Not Butter! Fin. go ! Il",
    "Ingrédients : - sucre - farine - beurre. Puis cuire. 1. Un. 2. Deux. 3. Trois.",
    "a) premier point b) second point c) troisième. Puis la suite.",
    "1. Premier point. Il faut voir.",
    "Il a dit « Bonjour. » Puis il est parti. (Voir la fig. 3.) Ensuite, « Non ! » dit-il.",
    "Il dit : \"Je pars.\" Elle répondit. 'Non.' Il partit. “Oui.” — Ah. — Bon.",
    "fin.</b> Puis il partit. Stop!<i> Encore. Fin. 😀 Puis. Fin.😀 Puis.",
    "Chapitre 1 ......... 5 Chapitre 2 . . . . 9 Fin... Puis. Section IV. La suite. Partie 2.",
    "Il vit aux U.S.A. Depuis 2001. Les U.S. Army. Le 9 a.m. Monday. Ca. 5 km. St. Louis.",
    "Der Termin ist am 3. Oktober. Er kam z. B. am Mo. 4. Mai. Die Str. Der Weg. d. h. nichts.",
    "Die GmbH & Co. KG. Die Firma e.V. Das Dipl.-Ing. Büro. Ca. 5 Mio. Euro. Nr. 5. Fertig.",
    "The U.S.A. Army came. Mr. Smith left at 5 p.m. Friday. See ch. 5. Then he left. Ave. The",
    "قال الرئيس. ثم ذهب؟ نعم! ذهب إلى حلب... ثم عاد. ص. 5 من الكتاب. د. أحمد جاء. 1٫2٫3. البند",
    "للمرة الأولى.. اشتباك مسلح… ثم عاد. «اذهب.» فذهب. (قال. ثم) عاد. أ.د. محمد هنا.",
    "   ## 1. Titre. Puis le texte. ### 2.1. Suite.",
    "A. B. Smith est là. Le plan B. Puis le C. Ensuite J. Il part. N. 45° N. Il.",
    "Il a vu M.Dupont hier. Il est venu.Il est reparti. Voir www.x.fr. Oui.",
    "Prix : 3.5 euros. Total : 12.50 €. Puis. No. 5. Vol. III. Art. 3. Fin.",
    "word .    Next one .  And   ?   Then ! ! ! Done",
    "x" * 300 + ". Puis " + "y " * 200 + "fin. Et " + "(" * 30 + "z. Puis" + ")" * 30,
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("text", TRICKY)
def test_same_boundaries_as_yasbd_on_tricky_lines(text, lang):
    assert LineRules(lang).apply(text) == load_rule(lang, ext_registry={}).apply(text, True)


@pytest.mark.parametrize("lang", LANGS)
def test_cuts_are_what_the_yasbd_detector_returns(lang):
    rules, detector = LineRules(lang), BoundaryDetector(lang)
    for text in [*TRICKY, "  Une phrase. Deux phrases.  ", "Sans point", "   "]:
        expected = set(detector.detect(text)) if text.strip() else set()
        assert rules.cuts(text) == expected


@pytest.mark.parametrize("lang", LANGS)
def test_the_probe_finds_a_match_where_one_of_its_regexes_starts_by_the_boundary(lang):
    # The probe (one alternation, each regex under its own flags) replaces a search per regex.
    rules = LineRules(lang)
    for text in TRICKY:
        for end in range(1, len(text) - rules._probe_reach + 1):
            cut = end + rules._probe_reach
            separately = [m for pattern in rules._mid_re if (m := pattern.search(text, 0, cut))]
            expected = any(m.start() <= end for m in separately)
            assert bool(rules._probe.search(text, 0, cut)) == expected, (text, end)


def test_the_audited_languages_take_the_fast_path_and_others_plain_yasbd():
    assert all(fast_path_available(lang) for lang in LANGS)
    assert not LineRules("es").fast  # not audited: yasbd's own apply
    text = "Vio al Sr. García. Luego se fue."
    assert LineRules("es").cuts(text) == set(BoundaryDetector("es").detect(text))


def test_another_yasbd_version_gets_plain_yasbd(monkeypatch):
    import yasbd

    monkeypatch.setattr(yasbd, "__version__", "9.9.9")
    rules = LineRules("fr")
    assert not rules.fast
    text = "Voir p. 55 et al. Puis il partit. (Fin.) Oui."
    assert rules.cuts(text) == set(BoundaryDetector("fr").detect(text))


QUOTED = [
    "Il faut lire ». Il pleut. Il l’a dit. Il dit « c’est fini. Je pars. » Puis. L'a vu.",
    "« Reading Rainbow […] l’amour — [l’émission] à lire ». Certains. Selon l’ouest. Fin.",
    "قال: «زرت King’s College. ثم عدت». فذهب. ثم انتهى». ذهب. ثم التقى O’Neil.",
    "He said “I don’t know. Really.” Then. Er sagte »Ich geh’s. Ja.« Dann 'Non.' Il l'a.",
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("text", QUOTED + TRICKY)
def test_apostrophe_and_guillemet_options_give_the_same_cuts_on_both_paths(text, lang,
                                                                            monkeypatch):
    """The windowed path and the fallback (yasbd's rules, our quote step) agree."""
    import yasbd

    options = {"word_apostrophes": True, "reversed_guillemets": lang == "de"}
    fast = LineRules(lang, **options)
    monkeypatch.setattr(yasbd, "__version__", "9.9.9")
    plain = LineRules(lang, **options)
    assert fast.fast and not plain.fast
    assert fast.cuts(text) == plain.cuts(text)


PIECES = [*"abXYéÀIVC5 .!?…;:,؛؟،«»“”\"'`-*+()[]\u00a0\t", "كتب", "ال", "..", "...", ". . .",
          "J.-P. ", "M.", "3.5", "U.S.A.", "Il ", "Le ", "p. ", "et al. ", "Yahoo!", "Chips Ahoy",
          "janv. ", "Section ", "1. ", "a) ", " - ", "<b>", "</i>", "😀", "z. B. ", "ص. ", "Dr. ",
          "a.m. ", "Monday", "Army", "d. h. ", "٫", "#", "°", "º"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=60).map("".join),
       st.sampled_from(LANGS))
def test_same_boundaries_as_yasbd_on_random_lines(text, lang):
    text = text.rstrip()
    if text:
        assert LineRules(lang).apply(text) == load_rule(lang, ext_registry={}).apply(text, True)


DATA = Path(__file__).parent / "data"
REAL = [line for name in ("flores_dev_excerpt.arb_Arab", "flores_dev_excerpt.fra_Latn")
        for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(REAL), min_size=1, max_size=6).map(" ".join),
       st.lists(st.tuples(st.floats(0, 1), st.sampled_from(PIECES)), max_size=8),
       st.sampled_from(LANGS))
def test_same_boundaries_as_yasbd_on_real_sentences_with_splices(text, splices, lang):
    for where, piece in splices:  # abbreviations, quotes, list markers dropped into real text
        k = int(where * len(text))
        text = text[:k] + piece + text[k:]
    text = text.rstrip()
    if text:
        assert LineRules(lang).apply(text) == load_rule(lang, ext_registry={}).apply(text, True)
