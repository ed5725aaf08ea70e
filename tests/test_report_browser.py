"""Issue 4: the review report driven in a real browser (headless Chromium through Playwright).

Uses Debian's ``chromium`` package (``.ci/run`` installs it): Playwright's own browser download
cannot work offline. Each test gets a fresh browser context, so localStorage starts empty.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from playwright.sync_api import sync_playwright  # the `test` extra installs it

from aligner import align_files
from aligner.cli import main
from aligner.flags import flag_alignment
from aligner.types import Alignment, Link, Sentence, Side
from aligner.writers import write_alignment

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1300, "height": 900}, accept_downloads=True)
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def seed(tmp_path_factory, seed_path, encoder) -> tuple[dict, Path]:
    """The seed page aligned with the default model: its JSON (parsed) and its report."""
    folder = tmp_path_factory.mktemp("seed")
    alignment = align_files(str(seed_path), encoder=encoder)
    write_alignment(alignment, "json", str(folder / "seed.json"))
    result = CliRunner().invoke(main, ["report", str(folder / "seed.json"), "-o",
                                       str(folder / "seed.html")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads((folder / "seed.json").read_text(encoding="utf-8")), folder / "seed.html"


def open_report(context, path: Path, errors: list[str] | None = None):
    page = context.new_page()
    if errors is not None:
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-ready]")
    return page


def number(page, selector: str) -> int:
    return int(page.inner_text(selector))


def rows(page):
    return page.locator("#links > .link")


def select_row(page, k: int) -> None:
    rows(page).nth(k).locator(".meta").click()


def test_seed_report_shows_arabic_right_to_left_beside_french(context, seed):
    _, report = seed
    errors: list[str] = []
    page = open_report(context, report, errors)
    arabic = page.locator(".link .side.src").nth(1)
    assert arabic.get_attribute("lang") == "ar" and arabic.get_attribute("dir") == "rtl"
    assert arabic.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert "Amiri" in arabic.evaluate("e => getComputedStyle(e).fontFamily")
    french = page.locator(".link .side.tgt").nth(1)
    assert french.get_attribute("lang") == "fr"
    assert french.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert errors == []


def test_a_hashtag_at_the_start_of_an_arabic_sentence_stays_beside_its_word(context, seed):
    """Sentence 10 of the seed is ``#الخوذ_البيضاء``. The Unicode bidi rules glue a ``#``
    (a number terminator) to the digits before it, so the sentence number took the ``#``
    across to its far side; isolating the number keeps the ``#`` with the Arabic word."""
    page = open_report(context, seed[1])
    hashtag = page.locator(".side.src p", has_text="#الخوذ_البيضاء").first
    n_left, hash_left, hash_right = hashtag.evaluate("""p => {
        const n = p.querySelector('.n').getBoundingClientRect();
        const text = [...p.childNodes].find(c => c.nodeType === 3 && c.data.includes('#'));
        const range = document.createRange();
        const at = text.data.indexOf('#');
        range.setStart(text, at); range.setEnd(text, at + 1);
        const r = range.getBoundingClientRect();
        return [n.left, r.left, r.right];
    }""")
    assert hash_right <= n_left + 0.5, (n_left, hash_left, hash_right)  # RTL: left of the number


def test_seed_report_counts_flags_and_skipped_lines(context, seed):
    """The header counts match the JSON; each link is one row in order; the French-only
    article shows as additions (0-1); skipped lines are collapsed but listed in place."""
    doc, report = seed
    page = open_report(context, report)
    links = doc["links"]
    assert rows(page).count() == len(links)
    assert number(page, "#count-src") == len(doc["source"]["sentences"])
    assert number(page, "#count-tgt") == len(doc["target"]["sentences"])
    flagged = [link for link in links if link.get("flags")]
    assert number(page, "#count-flagged") == len(flagged)
    assert number(page, "#count-skipped") == len(doc["skipped"])
    additions = sum(1 for link in links if not link["source"])
    assert additions > 30  # the untranslated Le Monde article
    assert page.locator(".link[data-kind='0-1'] .flag.f-addition").count() == additions
    assert page.locator(".link[data-kind='0-1'] .gap").first.inner_text().startswith("addition")
    groups = page.locator("details.skipped")
    assert groups.count() >= 1
    assert sum(int(re.match(r"\d+", groups.nth(k).locator("summary").inner_text()).group())
               for k in range(groups.count())) == len(doc["skipped"])
    assert page.locator("details.skipped[open]").count() == 0
    assert page.locator("details.skipped li", has_text="@HalabTodayTV").count() >= 1
    confidences = [link["confidence"] for link in links]
    assert page.inner_text("#mean-score") == f"{sum(confidences) / len(confidences):.2f}"
    assert page.locator("#histogram svg rect").count() == 10
    unsure = [k for k, link in enumerate(links) if link["confidence"] < 0.5]
    sure = [k for k, link in enumerate(links) if link["confidence"] >= 0.9]
    for k in unsure[:2] + sure[:2]:  # colour follows the calibrated confidence, not the cosine
        classes = rows(page).nth(k).get_attribute("class")
        assert ("c-lo" if k in unsure else "c-hi") in classes.split(), (k, classes)
    csp = page.locator("meta[http-equiv='Content-Security-Policy']").get_attribute("content")
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    page.select_option("#filter", "flagged")
    assert page.locator("#links > .link:visible").count() == len(flagged)
    page.select_option("#filter", "all")
    page.fill("#search", "Evelyn")
    page.wait_for_timeout(300)
    visible = page.locator("#links > .link:visible")
    assert 1 <= visible.count() < len(links)
    assert all("Evelyn" in visible.nth(k).inner_text() for k in range(visible.count()))


def test_accept_reject_merge_split_and_reload_keeps_the_work(context, seed):
    doc, report = seed
    page = open_report(context, report)
    total = rows(page).count()
    two_sided = [k for k, link in enumerate(doc["links"]) if link["source"] and link["target"]]
    a, b, c = two_sided[:3]
    select_row(page, a)
    page.keyboard.press("a")
    assert "st-accepted" in rows(page).nth(a).get_attribute("class")
    page.keyboard.press("j")
    assert rows(page).nth(a + 1).get_attribute("class").count("current") == 1
    select_row(page, b)
    page.keyboard.press("r")
    assert number(page, "#count-accepted") == 1 and number(page, "#count-rejected") == 1
    # Merge c with the next link, then split it back to the two links it was.
    kinds = [rows(page).nth(k).get_attribute("data-kind") for k in (c, c + 1)]
    select_row(page, c)
    page.keyboard.press("m")
    assert rows(page).count() == total - 1
    merged = rows(page).nth(c)
    assert "st-edited" in merged.get_attribute("class")
    sizes = [tuple(int(n) for n in kind.split("-")) for kind in kinds]
    assert merged.get_attribute("data-kind") == "{}-{}".format(*map(sum, zip(*sizes, strict=True)))
    page.keyboard.press("s")
    assert rows(page).count() == total
    assert [rows(page).nth(k).get_attribute("data-kind") for k in (c, c + 1)] == kinds
    # Merge again and keep it: the page is reloaded and the work is still there.
    page.keyboard.press("m")
    page.reload()
    page.wait_for_selector("html[data-ready]")
    assert rows(page).count() == total - 1
    assert number(page, "#count-accepted") == 1 and number(page, "#count-rejected") == 1
    assert number(page, "#count-edited") == 1
    assert "Restored" in page.inner_text("#notice")
    select_row(page, c)
    page.keyboard.press("s")
    assert rows(page).count() == total


def test_moving_a_sentence_keeps_every_sentence_in_one_link(context, seed, tmp_path):
    doc, report = seed
    page = open_report(context, report)
    k = next(k for k, link in enumerate(doc["links"])
             if link["source"] and link["target"] and doc["links"][k + 1]["target"])
    select_row(page, k)
    page.keyboard.press("]")  # its French sentence goes down to the next link
    exported = export(page, tmp_path)
    links = exported["links"]
    moved = doc["links"][k]["target"][-1]
    holder = next(link for link in links if moved in link["target"])
    assert holder["status"] == "edited" and holder["target"][-1] > moved
    assert sorted(j for link in links for j in link["target"]) == list(
        range(len(doc["target"]["sentences"])))
    assert sorted(i for link in links for i in link["source"]) == list(
        range(len(doc["source"]["sentences"])))


def export(page, folder: Path) -> dict:
    with page.expect_download() as info:
        page.click("#export")
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return json.loads(path.read_text(encoding="utf-8"))


def test_export_then_convert_to_tmx(context, seed, tmp_path):
    """The exported review has the same schema plus a status per link; `aligner convert
    --accepted-only` turns the accepted links into a TMX file."""
    doc, report = seed
    page = open_report(context, report)
    two_sided = [k for k, link in enumerate(doc["links"]) if link["source"] and link["target"]]
    for k, key in zip(two_sided[:3], "aar", strict=True):
        select_row(page, k)
        page.keyboard.press(key)
    exported = export(page, tmp_path)
    assert set(exported) == set(doc)
    statuses = [link.get("status") for link in exported["links"]]
    assert statuses.count("accepted") == 2 and statuses.count("rejected") == 1
    assert [(lk["source"], lk["target"]) for lk in exported["links"]] == [
        (lk["source"], lk["target"]) for lk in doc["links"]]
    assert [lk["confidence"] for lk in exported["links"]] == [
        lk["confidence"] for lk in doc["links"]]
    path = next(tmp_path.glob("*.reviewed.json"))
    tmx = tmp_path / "accepted.tmx"
    result = CliRunner().invoke(main, ["convert", str(path), "-f", "tmx", "--accepted-only",
                                       "-o", str(tmx)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    units = etree.parse(str(tmx)).findall(".//tu")
    assert len(units) == 2
    first = doc["source"]["sentences"][doc["links"][two_sided[0]]["source"][0]]["text"]
    assert units[0].findtext("tuv/seg") == first
    assert [u.findtext("prop[@type='x-status']") for u in units] == ["accepted", "accepted"]


PROBES = [
    "<script>window.__pwned = 'script'</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "</textarea><b id=bold>gras</b>",
    "</script><script>window.__pwned = 'close'</script>",
    "{{JS}} {{DATA}} \u2028 & &amp; ]]>",
]


def test_xss_probes_show_as_text_and_run_nothing(context, tmp_path):
    """Sentences holding markup are shown verbatim; no script runs, no element is created."""
    src = Side("ar", "<img src=x onerror=alert(1)>.txt", tuple(
        Sentence(f"قال الرئيس {probe}", 0, k + 1) for k, probe in enumerate(PROBES)))
    tgt = Side("fr", "fr.txt", tuple(
        Sentence(f"Le président a dit {probe}", 0, k + 1) for k, probe in enumerate(PROBES)))
    links = tuple(Link((k,), (k,), 0.8) for k in range(len(PROBES)))
    alignment = flag_alignment(Alignment(src, tgt, links, "m", "ordered"))
    report = tmp_path / "probes.html"
    write_alignment(alignment, "html", str(report))
    errors: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda dialog: errors.append("dialog " + dialog.message))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(report.as_uri())
    page.wait_for_selector("html[data-ready]")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#links img, #links b#bold, #links script, body > img").count() == 0
    texts = page.locator("#links .side.tgt p").all_inner_texts()
    for probe, text in zip(PROBES, texts, strict=True):
        assert " ".join(probe.split()) in " ".join(text.split())
    assert "<img src=x" in page.inner_text("#doc-name")
    assert errors == []


def test_a_number_mismatch_is_flagged_and_its_digits_marked(context, tmp_path):
    """The FLORES jet-crash sentence with 9 h 30 changed to 10 h 30 in the French."""
    arabic = ("تحطمت طائرة جاس-٣٩ غربين على مدرج في حوالي الساعة ٩:٣٠ صباحاً بالتوقيت المحلي "
              "(٠٢٣٠ التوقيت العالمي الموحّد) وانفجرت.")
    french = ("Le JAS 39C Gripen s’est écrasé sur une piste autour de 10 h 30 heure locale "
              "(0230 UTC) et a explosé.")
    side = lambda lang, text: Side(lang, None, (Sentence(text, 0, 1),))  # noqa: E731
    alignment = flag_alignment(Alignment(side("ar", arabic), side("fr", french),
                                         (Link((0,), (0,), 0.67),), "m", "ordered"))
    assert alignment.links[0].flags == ("numbers",)
    report = tmp_path / "numbers.html"
    write_alignment(alignment, "html", str(report))
    page = open_report(context, report)
    assert page.inner_text(".link .flag") == "numbers differ"
    assert page.locator(".link .side.tgt mark").all_inner_texts() == ["39", "10", "30", "0230"]
    assert page.locator(".link .side.src mark").all_inner_texts() == ["٣٩", "٩", "٣٠", "٠٢٣٠"]


def test_split_a_model_merge_move_a_source_sentence_and_undo(context, tmp_path):
    """A 1-2 link from the aligner (no record of parts) splits in order; an Arabic sentence
    moves to the next link with `}`; `u` undoes each step; the low-confidence filter shows
    the one link below 0.5."""
    ar = ["قال الرئيس إن الحكومة ستبني مدارس جديدة.", "ارتفعت أسعار القمح هذا الشهر.",
          "هطلت أمطار غزيرة على العاصمة."]
    fr = ["Le président a dit que le gouvernement construira des écoles.", "Il l'a répété.",
          "Les prix du blé ont augmenté ce mois-ci.", "De fortes pluies sont tombées."]
    src = Side("ar", "ar.txt", tuple(Sentence(t, 0, k + 1) for k, t in enumerate(ar)))
    tgt = Side("fr", "fr.txt", tuple(Sentence(t, 0, k + 1) for k, t in enumerate(fr)))
    links = (Link((0,), (0, 1), 0.74), Link((1,), (2,), 0.45), Link((2,), (3,), 0.8))
    report = tmp_path / "small.html"
    write_alignment(flag_alignment(Alignment(src, tgt, links, "m", "ordered")), "html",
                    str(report))
    page = open_report(context, report)
    kinds = lambda: [rows(page).nth(k).get_attribute("data-kind")  # noqa: E731
                     for k in range(rows(page).count())]
    select_row(page, 0)
    page.keyboard.press("s")
    assert kinds() == ["1-1", "0-1", "1-1", "1-1"]
    page.keyboard.press("u")
    assert kinds() == ["1-2", "1-1", "1-1"]
    select_row(page, 1)
    page.keyboard.press("}")  # Arabic sentence 2 joins the next link
    assert kinds() == ["1-2", "0-1", "2-1"]
    assert rows(page).nth(1).locator(".gap").inner_text().startswith("addition")
    page.keyboard.press("u")
    assert kinds() == ["1-2", "1-1", "1-1"]
    page.select_option("#filter", "low")
    assert page.locator("#links > .link:visible").count() == 1
    assert "0.45" in page.locator("#links > .link:visible").inner_text()
