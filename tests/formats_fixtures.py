"""Builders for the reader tests' fixtures: every file is generated, nothing binary is shipped.

docx files come from python-docx; PDFs from those docx files through LibreOffice
(``soffice --headless --convert-to pdf``) with the Amiri font (Debian ``fonts-hosny-amiri``),
so the Arabic PDF is what a real office suite writes; EPUBs are zipped by hand from XHTML.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

ARABIC = [
    "قال الرئيس إن الحكومة ستبني مدارس جديدة في العام المقبل، وإن عدد التلاميذ سيزيد بنسبة 20 "
    "في المائة خلال السنوات الخمس المقبلة في كل المحافظات.",
    "ارتفعت أسعار القمح بشكل كبير هذا الشهر.",
    "افتتحت المكتبة الوطنية أبوابها بعد سنوات من الترميم.",
]
FRENCH = [
    "Le président a déclaré que le gouvernement construira de nouvelles écoles l'année "
    "prochaine, et que le nombre d'élèves augmentera de 20 % au cours des cinq prochaines "
    "années dans toutes les circonscriptions.",
    "Les prix du blé ont fortement augmenté ce mois-ci.",
    "La Bibliothèque nationale a rouvert ses portes après des années de restauration.",
]


def write_docx(path: Path, paragraphs: list[str], *, rtl: bool = False,
               table: list[list[str]] | None = None) -> Path:
    """A Word file in Amiri 14 pt; ``rtl`` marks paragraphs and runs right-to-left as Word does."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Amiri"
    style.font.size = Pt(14)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:cs"), "Amiri")
    for text in paragraphs:
        paragraph = document.add_paragraph(text)
        if rtl:
            ppr = paragraph._p.get_or_add_pPr()
            ppr.append(ppr.makeelement(qn("w:bidi"), {}))
            for run in paragraph.runs:
                rpr = run._r.get_or_add_rPr()
                rpr.append(rpr.makeelement(qn("w:rtl"), {}))
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    document.save(str(path))
    return path


def to_pdf(docx_path: Path, outdir: Path, *, password: str | None = None) -> Path:
    """Convert with LibreOffice; ``password`` makes an encrypted PDF."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (libreoffice-writer-nogui) is needed; .ci/run installs it"
    target = "pdf"
    if password:
        target = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
                  f'"DocumentOpenPassword":{{"type":"string","value":"{password}"}}}}')
    profile = outdir.resolve() / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", target, "--outdir", str(outdir), str(docx_path)],
                   check=True, capture_output=True, timeout=180)
    pdf = outdir / (docx_path.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice wrote no {pdf}"
    return pdf


CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf"
   media-type="application/oebps-package+xml"/></rootfiles>
</container>"""

OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>T</dc:title></metadata>
  <manifest>
    {items}
    <item id="css" href="style.css" media-type="text/css"/>
  </manifest>
  <spine>{refs}</spine>
</package>"""

XHTML = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" dir="{dir}"><head><title>x</title>
<style>p {{ color: red }}</style></head><body>{body}</body></html>"""


def write_epub(path: Path, chapters: dict[str, str], spine: list[str], *, dir: str = "ltr",
               extra: dict[str, bytes] | None = None) -> Path:
    """An EPUB 3 with the given chapter bodies (name -> XHTML body), read in ``spine`` order."""
    items = "\n    ".join(f'<item id="{n}" href="text/{n}.xhtml" '
                           'media-type="application/xhtml+xml"/>' for n in chapters)
    refs = "".join(f'<itemref idref="{n}"/>' for n in spine)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        archive.writestr("META-INF/container.xml", CONTAINER)
        archive.writestr("OEBPS/content.opf", OPF.format(items=items, refs=refs))
        archive.writestr("OEBPS/style.css", "p { margin: 0 }")
        for name, body in chapters.items():
            archive.writestr(f"OEBPS/text/{name}.xhtml", XHTML.format(dir=dir, body=body))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path
