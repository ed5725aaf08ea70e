"""Reading files: encodings, binary and empty input, paragraphs with line numbers, Markdown."""

from __future__ import annotations

import codecs
import re
import time
from pathlib import Path

import pytest

from aligner import readers
from aligner.errors import EmptyInputError, EncodingError, FormatError, InputError
from aligner.readers import (
    MAX_LINE_CHARS,
    paragraph_lines,
    read_document,
    read_text,
)
from aligner.types import Document, Paragraph

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed_aleppo_blog.txt"
ARABIC = "للمرة الأولى.. اشتباك مسلح بين دورية أمريكية وقوات النظام شمال شرق سوريا"
FRENCH = "L’escalade meurtrière entre soldats turcs et syriens se poursuit à Idlib"
TEXT = f"{FRENCH}\nDeuxième ligne, même paragraphe.\n\n\n{ARABIC}\n"


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_plain_text_keeps_every_character_and_splits_paragraphs_on_blank_lines():
    doc = read_text(TEXT, path="a.txt")
    assert doc == Document(
        (Paragraph(f"{FRENCH}\nDeuxième ligne, même paragraphe.", 1), Paragraph(ARABIC, 5)),
        "a.txt",
    )


def test_every_line_is_recoverable_with_its_line_number():
    doc = read_document(str(SEED))
    original = SEED.read_text(encoding="utf-8").split("\n")
    numbered = [pair for p in doc.paragraphs for pair in paragraph_lines(p)]
    assert all(original[number - 1] == line for number, line in numbered)
    assert {number for number, _ in numbered} == {
        n for n, line in enumerate(original, start=1) if line.strip()}
    assert (9, "@HalabTodayTV") in numbered


def test_a_line_of_no_break_spaces_is_a_paragraph_break():
    doc = read_text("Un.\n\u00a0\nDeux.")
    assert [p.line for p in doc.paragraphs] == [1, 3]


@pytest.mark.parametrize("bom, codec", [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"", "utf-8"),
])
def test_utf8_and_utf16_with_bom_read_the_same(tmp_path, bom, codec):
    path = write(tmp_path, "a.txt", bom + TEXT.encode(codec))
    assert read_document(path).paragraphs == read_text(TEXT).paragraphs


def test_windows_line_endings_give_the_same_lines(tmp_path):
    path = write(tmp_path, "a.txt", TEXT.replace("\n", "\r\n").encode())
    assert read_document(path).paragraphs == read_text(TEXT).paragraphs


def test_windows_1256_arabic_is_recognised_and_can_be_forced(tmp_path):
    path = write(tmp_path, "a.txt", ARABIC.replace("’", "'").encode("cp1256"))
    with pytest.raises(EncodingError) as caught:
        read_document(path)
    assert caught.value.one_line() == (
        f"{path}: not UTF-8 (looks like Windows-1256); try --encoding cp1256")
    assert read_document(path, encoding="cp1256").paragraphs[0].text == ARABIC


def test_windows_1252_french_is_recognised(tmp_path):
    french = "Négociés entre des acteurs régionaux, à Idlib"
    path = write(tmp_path, "b.txt", french.encode("cp1252"))
    with pytest.raises(EncodingError, match="Windows-1252") as caught:
        read_document(path)
    assert caught.value.hint == "try --encoding cp1252"


@pytest.mark.parametrize("text", [FRENCH, ARABIC], ids=["French", "Arabic"])
def test_utf16_without_bom_gets_an_encoding_hint(tmp_path, text):
    """Not "binary file" for Arabic either: its letters are U+06xx, so its UTF-16 has NUL
    bytes only in spaces and digits."""
    path = write(tmp_path, "a.txt", text.encode("utf-16-le"))
    with pytest.raises(EncodingError) as caught:
        read_document(path)
    assert caught.value.hint == "try --encoding utf-16-le"
    assert read_document(path, encoding="utf-16-le").paragraphs[0].text == text


def test_a_forced_encoding_leaves_a_utf8_file_as_utf8(tmp_path):
    """``--encoding cp1256`` is given once for both inputs, for the legacy Arabic one: the UTF-8
    translation beside it must keep its accents, not turn into mojibake without an error."""
    french = "Négociés entre des acteurs régionaux, à Idlib"
    path = write(tmp_path, "b.txt", french.encode("utf-8"))
    assert read_document(path, encoding="cp1256").paragraphs[0].text == french
    assert read_document(path, encoding="cp1252").paragraphs[0].text == french


def test_forced_encoding_that_does_not_fit_is_an_encoding_error(tmp_path):
    path = write(tmp_path, "a.txt", b"caf\xe9")
    with pytest.raises(EncodingError, match="not valid utf-8"):
        read_document(path, encoding="utf-8")


def test_unknown_encoding_name(tmp_path):
    path = write(tmp_path, "a.txt", b"texte")
    with pytest.raises(InputError, match="unknown encoding") as caught:
        read_document(path, encoding="klingon")
    assert "cp1256" in caught.value.hint


@pytest.mark.parametrize("data, what", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00", "zip"),
    (b"text with a \x00 NUL byte in the middle of it", "NUL"),
])
def test_binary_files_are_refused(tmp_path, data, what):
    path = write(tmp_path, "a.txt", data)
    with pytest.raises(FormatError, match="binary file, not text") as caught:
        read_document(path)
    assert what in caught.value.message and caught.value.path == path


@pytest.mark.parametrize("data", [b"", b"  \n\t\n", "\u00a0\n".encode(), codecs.BOM_UTF8])
def test_empty_or_blank_files(tmp_path, data):
    path = write(tmp_path, "a.txt", data)
    with pytest.raises(EmptyInputError) as caught:
        read_document(path)
    assert caught.value.path == path


def test_missing_file_and_directory_name_the_path_with_a_hint(tmp_path):
    with pytest.raises(InputError, match="no such file") as caught:
        read_document(str(tmp_path / "absent.txt"))
    assert caught.value.hint
    with pytest.raises(InputError, match="directory") as caught:
        read_document(str(tmp_path))
    assert "aligner build" in caught.value.hint


def test_an_enormous_line_is_refused_with_its_number(tmp_path):
    path = write(tmp_path, "big.txt", b"ok\n" + b"a" * (MAX_LINE_CHARS + 1))
    with pytest.raises(InputError, match="line 2 has 1,000,001 characters") as caught:
        read_document(path)
    assert caught.value.hint


MARKDOWN = """\
---
title: front matter is not text
---
# Le *titre* principal #
Un paragraphe avec un **mot gras**, un [lien](https://x.fr/a_(b)) et ![une image](i.png).
Du `code_en_ligne`, un snake_case, _italique_ et #الخوذ_البيضاء <b>gras</b> &amp; \\*étoiles\\*.

> Une citation
> > imbriquée

- premier point
- second point avec [réf][1]
12. point numéroté

```python
# un commentaire de code
```
<!-- un commentaire
sur deux lignes -->
Titre souligné
==============
Après ![](seule-image.png)
[1]: https://example.org
"""


def test_markdown_syntax_never_reaches_the_text():
    doc = read_text(MARKDOWN, fmt="md")
    texts = [p.text for p in doc.paragraphs]
    assert texts == [
        "Le titre principal",
        "Un paragraphe avec un mot gras, un lien et .\n"
        "Du code_en_ligne, un snake_case, italique et #الخوذ_البيضاء gras & *étoiles*.",
        "Une citation\nimbriquée",
        "premier point",
        "second point avec réf",
        "point numéroté",
        "# un commentaire de code",
        "Titre souligné",
        "Après ",
    ]
    prose = "\n".join(texts[:6])
    assert not re.search(r"[\[\]()<>`]|\*\*|^#|https?:", prose, re.MULTILINE)


def test_markdown_keeps_line_numbers_and_gives_headings_their_own_paragraph():
    doc = read_text("# Titre\nTexte juste après.\n\n## Deux\n", fmt="md")
    assert doc.paragraphs == (
        Paragraph("Titre", 1), Paragraph("Texte juste après.", 2), Paragraph("Deux", 4))


def test_markdown_with_only_markup_is_empty():
    with pytest.raises(EmptyInputError, match="markup"):
        read_text("![](a.png)\n\n---\n", path="a.md", fmt="md")


def test_suffix_and_fmt_choose_the_reader(tmp_path):
    for name in ("a.md", "a.markdown"):
        path = write(tmp_path, name, b"# Titre\n")
        assert read_document(path).paragraphs[0].text == "Titre"
    path = write(tmp_path, "notes.text", b"# Titre\n")
    assert read_document(path).paragraphs[0].text == "# Titre"
    assert read_document(path, fmt="md").paragraphs[0].text == "Titre"
    with pytest.raises(InputError, match="unknown format"):
        read_document(path, fmt="odt")


def test_a_new_format_plugs_in_through_the_two_dicts(tmp_path, monkeypatch):
    def read_upper(path: str, encoding: str | None) -> Document:
        return Document((Paragraph(Path(path).read_text().upper(), 1),), path)

    monkeypatch.setitem(readers.READERS, "upper", read_upper)
    monkeypatch.setitem(readers.SUFFIXES, ".up", "upper")
    path = write(tmp_path, "a.up", b"salut")
    assert read_document(path).paragraphs[0].text == "SALUT"


def test_read_text_rejects_an_unknown_format():
    with pytest.raises(InputError, match="unknown text format"):
        read_text("x", fmt="docx")


def test_a_forced_encoding_does_not_let_a_pdf_through(tmp_path):
    path = write(tmp_path, "a.txt", b"%PDF-1.4\nstream")
    with pytest.raises(FormatError, match="PDF"):
        read_document(path, encoding="cp1256")


@pytest.mark.parametrize("unit", ["_a ", "a*b ", "[a](b ", "![a ", "``a ` ", "<a ", "~~a "])
def test_markdown_stripping_stays_linear_on_unclosed_delimiters(unit):
    start = time.perf_counter()
    read_text(unit * 20_000, fmt="md")
    assert time.perf_counter() - start < 3  # was about 20 s for "_a " before the fix


def test_a_few_bad_bytes_in_utf8_are_reported_as_damage_not_as_another_encoding(tmp_path):
    good = (ARABIC + "\n") * 50
    path = write(tmp_path, "a.txt", good.encode() + b"\xff\n" + good.encode())
    with pytest.raises(EncodingError, match="1 bad byte") as caught:
        read_document(path)
    assert "line 51" in caught.value.message
