"""Readers for docx, html, pdf and epub on generated fixtures, and hostile input refused.

Fixtures: docx written by python-docx; PDFs converted from those docx files by LibreOffice with
the Amiri font (a real office suite's Arabic PDF: glyphs stored in visual order); EPUBs zipped
from XHTML. See ``tests/formats_fixtures.py``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner

import aligner.api
from aligner import readers
from aligner.cli import main
from aligner.errors import EmptyInputError, FormatError, InputError
from aligner.formats import safety
from aligner.formats.pdf import join_lines
from aligner.readers import read_document
from tests.formats_fixtures import ARABIC, FRENCH, to_pdf, write_docx, write_epub

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>"""
# Arabic with Latin words, decimals, years, brackets and guillemets: the bidi algorithm's job.
MIXED = ["قال مدير شركة Renault إن الإنتاج ارتفع بنسبة 12.5 في المائة عام 2023، حسب تقرير "
         "(Le Monde).", "وصل 1,250 زائراً إلى معرض «الكتاب» في 3 أيار/مايو."]
HYPHENATED = ("Le gouvernement a présenté un programme extraordinairement ambitieux de "
              "reconstruction des infrastructures hospitalières départementales, conformément "
              "aux recommandations internationales. ") * 3


def texts(path: Path | str, **kwargs) -> list[str]:
    return [p.text for p in read_document(str(path), **kwargs).paragraphs]


@pytest.fixture(scope="session")
def office(tmp_path_factory) -> dict[str, Path]:
    """docx and their LibreOffice PDFs: Arabic (RTL, Amiri), French, hyphenated, encrypted."""
    folder = tmp_path_factory.mktemp("office")
    files = {
        "ar_docx": write_docx(folder / "report.ar.docx", ARABIC, rtl=True),
        "fr_docx": write_docx(folder / "report.fr.docx", FRENCH),
        # Soft hyphens in the long words: LibreOffice cuts them at line ends with a visible "-".
        "hy_docx": write_docx(folder / "hyphen.docx", [" ".join(
            w[: len(w) // 2] + "\u00ad" + w[len(w) // 2:] if len(w) > 8 else w
            for w in HYPHENATED.split())]),
    }
    files["mixed_docx"] = write_docx(folder / "mixed.docx", MIXED, rtl=True)
    for name in ("ar", "fr", "hy", "mixed"):
        files[f"{name}_pdf"] = to_pdf(files[f"{name}_docx"], folder)
    locked = folder / "locked"
    locked.mkdir()
    files["locked_pdf"] = to_pdf(files["fr_docx"], locked, password="secret")
    return files


# ---- docx ----------------------------------------------------------------------------------

def test_docx_paragraphs_and_table_cells_in_reading_order_with_arabic_intact(tmp_path):
    path = write_docx(tmp_path / "a.docx", [ARABIC[0], FRENCH[0]], rtl=True,
                      table=[[ARABIC[1], FRENCH[1]], [ARABIC[2], FRENCH[2]]])
    assert texts(path) == [ARABIC[0], FRENCH[0], ARABIC[1], FRENCH[1], ARABIC[2], FRENCH[2]]


def test_a_merged_table_cell_is_read_once(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = FRENCH[1]
    table.cell(0, 2).text = FRENCH[2]
    document.save(str(tmp_path / "m.docx"))
    assert texts(tmp_path / "m.docx") == [FRENCH[1], FRENCH[2]]


def test_a_docx_paragraph_longer_than_the_line_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_LINE_CHARS", 1000)
    path = write_docx(tmp_path / "long.docx", [FRENCH[1], "a" * 1001])
    with pytest.raises(InputError, match="line 3 has 1,001 characters") as caught:
        read_document(str(path))
    assert str(path) in caught.value.one_line()


def test_an_empty_docx_says_so(tmp_path):
    with pytest.raises(EmptyInputError, match="no text found in this docx"):
        read_document(str(write_docx(tmp_path / "e.docx", ["", "  "])))


def _docx_with_body(tmp_path: Path, prolog: str) -> Path:
    """A real docx whose word/document.xml starts with ``prolog`` (a hostile DTD)."""
    source = write_docx(tmp_path / "src.docx", ["&lol3; bonjour"])
    target = tmp_path / "evil.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                data = prolog.encode() + data.split(b"?>", 1)[1]
            zout.writestr(item, data)
    return target


@pytest.mark.parametrize("prolog", [BOMB, XXE], ids=["billion-laughs", "external-entity"])
def test_docx_declaring_entities_is_refused_in_one_line(tmp_path, prolog):
    path = _docx_with_body(tmp_path, prolog)
    with pytest.raises(FormatError, match="declares XML entities") as caught:
        read_document(str(path))
    assert "\n" not in caught.value.one_line() and str(path) in caught.value.one_line()


def test_zip_bomb_is_refused_before_unpacking(tmp_path):
    path = write_docx(tmp_path / "bomb.docx", ["x"])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/zeros.bin", b"\0" * (20 * 2**20))  # 20 MB in ~20 kB
    with pytest.raises(FormatError, match=r"zip bomb: word/media/zeros\.bin inflates"):
        read_document(str(path))


def test_a_member_larger_than_it_declares_is_a_damaged_file_not_a_memory_hog(tmp_path):
    path = write_docx(tmp_path / "liar.docx", [FRENCH[1]])
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")

    # Patch the uncompressed size of word/document.xml in the central directory to 100 bytes.
    entry = data.find(b"word/document.xml", data.find(b"PK\x01\x02")) - 46
    assert data[entry:entry + 4] == b"PK\x01\x02"
    data[entry + 24:entry + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    assert info.file_size > 100
    with pytest.raises(FormatError, match=r"damaged docx: word/document\.xml"):
        read_document(str(path))


@pytest.mark.parametrize("data, message", [
    (b"not a zip at all", "not a valid docx file"),
    (b"PK\x03\x04" + b"\0" * 40, "not a valid docx file"),
])
def test_a_broken_docx_is_one_line(tmp_path, data, message):
    path = tmp_path / "broken.docx"
    path.write_bytes(data)
    with pytest.raises(FormatError, match=message):
        read_document(str(path))


def test_a_zip_that_is_not_a_word_document(tmp_path):
    path = tmp_path / "x.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(FormatError, match="not a Word document"):
        read_document(str(path))


# ---- pdf -----------------------------------------------------------------------------------

def test_arabic_pdf_from_libreoffice_reads_in_logical_order(office):
    with pdfplumber.open(office["ar_pdf"]) as pdf:  # the fixture is what we say it is
        page = pdf.pages[0]
        assert any("Amiri" in char["fontname"] for char in page.chars)
        raw = page.extract_text()
    assert ARABIC[1] not in raw  # stored visually: a naive extraction is reversed
    assert texts(office["ar_pdf"]) == ARABIC  # multi-line first paragraph re-joined


def test_arabic_pdf_with_latin_words_and_numbers_comes_out_in_logical_order(office):
    text = "\n".join(texts(office["mixed_pdf"]))
    assert all(sentence in text for sentence in MIXED)


def test_french_pdf_lines_are_rejoined_into_paragraphs(office):
    assert texts(office["fr_pdf"]) == FRENCH


def test_end_of_line_hyphenation_is_undone(office):
    with pdfplumber.open(office["hy_pdf"]) as pdf:
        lines = [line["text"] for line in pdf.pages[0].extract_text_lines()]
    assert sum(line.endswith("-") for line in lines) >= 2  # the PDF really cuts words
    assert texts(office["hy_pdf"]) == [HYPHENATED.strip()]


def test_join_lines_keeps_hyphens_that_are_not_cuts():
    assert join_lines(["un porte-", "Monnaie", "et 1990-", "2000"]) == (
        "un porte- Monnaie et 1990- 2000")
    assert join_lines(["considé-", "rable"]) == "considérable"


def test_encrypted_pdf_is_refused_with_a_hint(office):
    with pytest.raises(FormatError, match="encrypted") as caught:
        read_document(str(office["locked_pdf"]))
    assert "password" in caught.value.one_line()


@pytest.mark.parametrize("cut", [0.3, 0.6])
def test_damaged_pdf_is_one_line(office, tmp_path, cut):
    data = office["fr_pdf"].read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(FormatError, match="damaged or unreadable PDF"):
        read_document(str(path))


# ---- html ----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html lang="{lang}" dir="{dir}"><head><meta charset="utf-8">
<title>Actualités</title><script>var x = "ne pas lire";</script></head><body>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/a">Archives</a></li></ul></nav>
<article><h1>{title}</h1>{paragraphs}</article>
<footer>© 2024 Le Journal — Tous droits réservés — Mentions légales</footer></body></html>"""


def _page(lang: str, sentences: list[str]) -> str:
    return PAGE.format(lang=lang, dir="rtl" if lang == "ar" else "ltr", title=sentences[1],
                       paragraphs="".join(f"<p>{s}</p>" for s in sentences))


@pytest.mark.parametrize("lang, sentences", [("ar", ARABIC), ("fr", FRENCH)])
def test_html_article_paragraphs_without_scripts(tmp_path, lang, sentences):
    path = tmp_path / "page.html"
    path.write_text(_page(lang, sentences), encoding="utf-8")
    got = texts(path)
    assert got[-3:] == sentences
    assert not any("ne pas lire" in text for text in got)


def test_html_in_windows_1256_with_forced_encoding(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes(_page("ar", ARABIC[1:]).replace("utf-8", "windows-1256").encode("cp1256"))
    assert texts(path, encoding="cp1256")[-2:] == ARABIC[1:]
    assert texts(path)[-2:] == ARABIC[1:]  # the page's own <meta charset> is honoured


def test_html_declaring_entities_is_refused(tmp_path):
    path = tmp_path / "evil.html"
    path.write_text(BOMB.split("\n", 1)[1] + "<html><body><p>&lol3;</p></body></html>")
    with pytest.raises(FormatError, match="declares XML entities"):
        read_document(str(path))


# ---- epub ----------------------------------------------------------------------------------

def test_epub_chapters_follow_the_spine_not_the_manifest(tmp_path):
    chapters = {
        "c1": f"<h1>{FRENCH[1]}</h1><p>{FRENCH[0]}</p>",
        "c2": f"<div><p>{FRENCH[2]}</p>Texte libre<br/>sur deux lignes.</div>",
    }
    path = write_epub(tmp_path / "book.epub", chapters, spine=["c2", "c1"])
    assert texts(path) == [FRENCH[2], "Texte libre\nsur deux lignes.", FRENCH[1], FRENCH[0]]


def test_arabic_epub_is_read_as_written(tmp_path):
    body = "".join(f"<p>{s}</p>" for s in ARABIC)
    path = write_epub(tmp_path / "ar.epub", {"c1": body}, spine=["c1"], dir="rtl")
    assert texts(path) == ARABIC


@pytest.mark.parametrize("prolog", [BOMB, XXE], ids=["billion-laughs", "external-entity"])
def test_epub_declaring_entities_is_refused(tmp_path, prolog):
    path = tmp_path / "evil.epub"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("META-INF/container.xml", prolog + "<container>&lol3;</container>")
    with pytest.raises(FormatError, match="declares XML entities"):
        read_document(str(path))


def test_epub_bomb_and_missing_parts(tmp_path, monkeypatch):
    path = write_epub(tmp_path / "b.epub", {"c1": "<p>x</p>"}, spine=["c1"],
                      extra={"OEBPS/big.bin": b"\0" * (3 * 2**20)})
    monkeypatch.setattr(safety, "MAX_UNZIPPED_BYTES", 2 * 2**20)
    with pytest.raises(FormatError, match="zip bomb: it would unpack to more than 2 MB"):
        read_document(str(path))
    broken = tmp_path / "nocontainer.epub"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
    with pytest.raises(FormatError, match=r"META-INF/container\.xml is missing"):
        read_document(str(broken))


@pytest.mark.parametrize("name", ["big.epub", "big.txt"])
def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch, name):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    path = write_epub(tmp_path / name, {"c1": "<p>x</p>" * 500}, spine=["c1"])
    with pytest.raises(InputError, match="over the 1,000-byte limit") as caught:
        read_document(str(path))
    assert "split the document" in caught.value.one_line()


def test_a_missing_library_names_the_extra(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "docx", None)  # as if python-docx were not installed
    path = tmp_path / "a.docx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match="needs a Python package: 'docx'") as caught:
        read_document(str(path))
    assert caught.value.hint == "pip install 'aligner[formats]'"


# ---- through the command line ----------------------------------------------------------------

def test_align_through_the_cli_by_suffix_and_with_a_forced_format(office, tmp_path,
                                                                  monkeypatch, encoder):
    monkeypatch.setattr(aligner.api, "load_encoder", lambda name="use-m": encoder)
    expected = list(zip(ARABIC, FRENCH, strict=True))
    by_suffix = _tsv(str(office["ar_docx"]), str(office["fr_pdf"]))
    assert by_suffix == expected
    odd = []
    for name in ("ar_pdf", "fr_pdf"):
        odd.append(tmp_path / f"{name}.bin")
        odd[-1].write_bytes(office[name].read_bytes())
    assert _tsv(*map(str, odd), "--input-format", "pdf") == expected


def _tsv(*args: str) -> list[tuple[str, str]]:
    result = CliRunner().invoke(main, ["align", *args, "-f", "tsv"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return [tuple(line.split("\t")[1:]) for line in result.stdout.splitlines()]


def test_html_keeps_french_no_break_spaces(tmp_path):
    path = tmp_path / "nbsp.html"
    path.write_text("<html><body><article><p>À 11&nbsp;h&#160;20, il a dit\u202f: "
                    "«\u00a0oui\u00a0».</p></article></body></html>", encoding="utf-8")
    assert texts(path) == ["À 11\u00a0h\u00a020, il a dit\u202f: «\u00a0oui\u00a0»."]
