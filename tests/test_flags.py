"""Issue 4: the review flags on real-looking Arabic/French pairs (news and social-media text).

Each flag must fire where a reviewer has something to check and stay quiet on a faithful
translation, since a flag that fires everywhere is ignored.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from aligner.flags import flag_alignment, numbers_differ, untranslated
from aligner.numbers import numbers
from aligner.types import Alignment, Link, Sentence, Side

# A faithful pair: same date with the Levantine month name, casualty counts in words and digits.
KAFR_AMMA_AR = ("مقتل أربعة مدنيين وإصابة ثلاثة آخرين، جراء قصف جوي روسي، إستهدف قرية كفرعمة "
                "بريف حلب الغربي، صباح اليوم الأربعاء 12 شباط 2020.")
KAFR_AMMA_FR = ("Quatre civils ont été tués et trois autres blessés, à la suite d’une frappe "
                "aérienne russe visant le village de Kafr Amma, le mercredi matin 12 février 2020.")


def d(*values: str) -> set[Decimal]:
    return {Decimal(v) for v in values}


@pytest.mark.parametrize("text, lang, expected", [
    ("12 شباط 2020", "ar", ("12", "2", "2020")),
    ("12 février 2020", "fr", ("12", "2", "2020")),
    ("الأربعاء / ١٢ / ٠٢ / ٢٠٢٠", "ar", ("12", "2", "2020")),
    ("ارتفعت نسبة البطالة إلى ٣٫٥٪ هذا العام", "ar", ("3.5",)),
    ("Le chômage est monté à 3,5 % cette année", "fr", ("3.5",)),
    ("قتل ١٬٢٠٠ شخص", "ar", ("1200",)),
    ("قتل 1,200 شخص", "ar", ("1200",)),
    ("قتل ۱۲۰۰ شخص", "ar", ("1200",)),          # Eastern Arabic (Persian) digits
    ("1 200 personnes ont été tuées", "fr", ("1200",)),
    ("1\u202f200 personnes ont été tuées", "fr", ("1200",)),
    ("une superficie de 783،562 كيلومتر", "ar", ("783562",)),
    ("ليفوز بـ76 نقطة", "ar", ("76",)),           # a clitic glued to the digits
    ("à 11:00 heure locale", "fr", ("11",)),
    ("au XVIIIe siècle", "fr", ("18",)),
    ("ماي سبيس هو ثالث أكثر المواقع رواجاً", "ar", ()),  # "ماي" here is MySpace, not May
    ("٣٩ - واستمرت الهجمات على المرافق الطبية", "ar", ()),  # a paragraph's list number
])
def test_numbers_read_every_way_of_writing_them(text, lang, expected):
    assert numbers(text, lang) == d(*expected)


def test_faithful_date_and_counts_agree():
    """Issue 4: "12 شباط 2020" vs "12 février 2020" agree; أربعة/Quatre are no digits."""
    assert not numbers_differ(KAFR_AMMA_AR, KAFR_AMMA_FR, "ar", "fr")


@pytest.mark.parametrize("arabic, french", [
    ("قتل ٤ مدنيين في قصف على إدلب", "Quatre civils ont été tués dans un bombardement sur Idleb."),
    ("في الـ21 من يوليو عام 356 قبل الميلاد", "le 21 juillet 356 avant J.-C."),
    ("في مساء التاسع من أغسطس", "Dans la nuit du 9 août"),
    ("عاد في الستينيات إلى الجزائر", "Dans les années 60, il est retourné en Algérie"),
    ("طورها جون سميث في السبعينات", "développé par John Smith dans les années 1970"),
    ("كشفت الوثائق مساعدة أربعة عشر مصرفاً", "Les documents montrent que 14 banques"),
    ("بلغت نسبة المشاركة ٥٠٪", "La participation a atteint 50 %."),
])
def test_numbers_written_differently_are_not_flagged(arabic, french):
    assert not numbers_differ(arabic, french, "ar", "fr")


@pytest.mark.parametrize("arabic, french", [
    ("من المقرر أن يغيب ماسا لما تبقى من موسم 2009.",   # a real FLORES error: 2009 → 2019
     "Il est prévu que Massa soit absent jusqu'à la fin de la saison 2019."),
    (KAFR_AMMA_AR, KAFR_AMMA_FR.replace("12 février", "13 février")),
    (KAFR_AMMA_AR, KAFR_AMMA_FR.replace("février", "mars")),
    ("ارتفعت نسبة البطالة إلى ٣٫٥٪", "Le chômage est monté à 5,3 %."),
    ("قتل ١٬٢٠٠ شخص", "1 300 personnes ont été tuées."),
    ("سقط 15 قتيلاً", "Il y a eu des morts."),
])
def test_changed_numbers_are_flagged(arabic, french):
    assert numbers_differ(arabic, french, "ar", "fr")


def test_untranslated_target_is_flagged():
    """The French column holding Arabic (copied, never translated) is flagged; a French
    translation with an Arabic name in it is not."""
    assert untranslated(KAFR_AMMA_AR, KAFR_AMMA_AR, "ar", "fr")
    assert not untranslated(KAFR_AMMA_AR, KAFR_AMMA_FR, "ar", "fr")
    assert not untranslated("حلب اليوم", "La chaîne « حلب اليوم » a publié une vidéo.", "ar", "fr")
    assert untranslated("Il pleut.", "Il pleut.", "fr", "en")  # same script: identical text


def side(lang: str, texts: list[str]) -> Side:
    return Side(lang, None, tuple(Sentence(t, 0) for t in texts))


AR = ["قال الرئيس إن الحكومة ستبني مدارس جديدة في العام المقبل.",
      "ارتفعت أسعار القمح بشكل كبير هذا الشهر.",
      "هطلت أمطار غزيرة على العاصمة يوم الثلاثاء.",
      KAFR_AMMA_AR,
      "افتتحت المكتبة الوطنية أبوابها بعد سنوات من الترميم.",
      "شكراً."]
FR = ["Le président a déclaré que le gouvernement construira de nouvelles écoles "
      "l'année prochaine.",
      "Les prix du blé ont fortement augmenté ce mois-ci.",
      "De fortes pluies sont tombées sur la capitale mardi.",
      KAFR_AMMA_FR.replace("12 février", "21 février"),
      "Abonnez-vous à notre chaîne pour suivre toutes les nouvelles de la région et du monde "
      "arabe, chaque jour, en direct et en replay sur tous vos écrans.",
      "Photo : archives."]


def aligned(links: list[Link], mode: str = "ordered", fr: list[str] = FR) -> Alignment:
    return flag_alignment(Alignment(side("ar", AR), side("fr", fr), tuple(links), "m", mode))


def test_flags_on_a_whole_alignment():
    """Each link gets the flags a reviewer needs: a wrong date, a low score, an omitted and an
    added sentence, a short sentence glued to a long one; clean links get none."""
    links = [Link((0,), (0,), 0.82), Link((1,), (1,), 0.77), Link((2,), (2,), 0.41),
             Link((3,), (3,), 0.74), Link((4,), (4,), 0.58), Link((5,), (), None),
             Link((), (5,), None, status="accepted")]
    flags = [link.flags for link in aligned(links).links]
    assert flags == [(), (), ("low-confidence",), ("numbers",), ("length",), ("omission",),
                     ("addition",)]
    assert aligned(links).links[-1].status == "accepted"  # the reviewer's work is kept


def test_a_source_sentence_linked_twice_is_flagged_in_free_mode():
    """Free mode: the same tweet repeated (index 0 and 1 hold one text) matched twice."""
    ar = [AR[0], AR[0], *AR[2:]]
    links = [Link((0,), (0,), 0.8), Link((1,), (1,), 0.6), Link((2,), (2,), 0.7),
             Link((3,), (3,), 0.7), Link((4,), (4,), 0.6), Link((5,), (5,), 0.6)]
    free = flag_alignment(Alignment(side("ar", ar), side("fr", FR), tuple(links), "m", "free"))
    assert [("linked-twice" in link.flags) for link in free.links] == [True, True] + [False] * 4
    ordered = flag_alignment(Alignment(side("ar", ar), side("fr", FR), tuple(links), "m",
                                       "ordered"))
    assert not any("linked-twice" in link.flags for link in ordered.links)
    # An edited alignment holding one index in two links is flagged in any mode.
    edited = [Link((0,), (0,), 0.8), Link((0,), (1,), 0.6)]
    twice = aligned(edited)
    assert all("linked-twice" in link.flags for link in twice.links)


def test_flores_document_with_a_changed_number(shared_data):
    """A FLORES dev document (one URL's sentences, 1-1 by construction): no number flag on the
    human translation, and exactly one once a number in the French is changed."""
    folder = shared_data / "flores200-ar-fr"
    if not folder.is_dir():
        pytest.skip(f"shared data not found at {folder}")
    ar = (folder / "dev" / "arb_Arab.dev").read_text(encoding="utf-8").splitlines()
    fr = (folder / "dev" / "fra_Latn.dev").read_text(encoding="utf-8").splitlines()
    urls = [row.split("\t")[0] for row in
            (folder / "metadata_dev.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    # The fighter-jet crash article: "vers 9 h 30 heure locale (0230 UTC)".
    lines = [i for i, url in enumerate(urls) if url == urls[2]]
    assert len(lines) == 3
    doc_ar, doc_fr = [ar[i] for i in lines], [fr[i] for i in lines]
    assert not any(numbers_differ(a, f, "ar", "fr") for a, f in zip(doc_ar, doc_fr, strict=True))
    k = next(i for i, f in enumerate(doc_fr) if numbers(f, "fr"))
    first = sorted(numbers(doc_fr[k], "fr"))[0]
    changed = doc_fr[k].replace(str(first), str(first + 1), 1)
    links = [Link((i,), (i,), 0.8) for i in range(len(lines))]
    fr_changed = [*doc_fr[:k], changed, *doc_fr[k + 1:]]
    result = flag_alignment(Alignment(side("ar", doc_ar), side("fr", fr_changed), tuple(links),
                                      "m", "ordered"))
    flagged = [("numbers" in link.flags) for link in result.links]
    assert flagged == [i == k for i in range(len(lines))]
