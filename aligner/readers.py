"""Files to :class:`~aligner.types.Document`: decoding, format dispatch, paragraphs and lines.

Representation (what :mod:`aligner.segment` and :mod:`aligner.languages` rely on): a paragraph
is a run of consecutive non-blank lines; its ``text`` keeps the internal ``"\\n"`` between them
and ``line`` is the 1-based number of its first line, so line ``k`` (0-based) of
``paragraph.text.split("\\n")`` is line ``paragraph.line + k`` of the file
(:func:`paragraph_lines`). A blank line (only whitespace, no-break spaces included) ends a
paragraph. Text is kept exactly as written; only line endings become ``"\\n"`` and a byte-order
mark is dropped. Markdown syntax is removed line by line so that line numbers survive.

Formats are chosen by suffix through :data:`SUFFIXES` and read by :data:`READERS`, plain
dicts: a new format adds one entry to each. docx, html, pdf and epub live in
:mod:`aligner.formats`, imported on first use.
"""

from __future__ import annotations

import codecs
import importlib
from collections.abc import Callable
from pathlib import Path

from aligner.errors import EmptyInputError, EncodingError, FormatError, InputError
from aligner.markdown import markdown_lines
from aligner.types import Document, Paragraph

# A longer line is not running text (minified HTML, a JSON dump, a base64 blob): refusing it
# keeps the regex-based segmenter and the encoder's memory bounded. Real paragraphs in novels
# and legal texts stay far below 100,000 characters.
MAX_LINE_CHARS = 1_000_000

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a zip archive (docx, epub, odt?)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
)


def paragraph_lines(paragraph: Paragraph) -> list[tuple[int, str]]:
    """The lines of a paragraph with their 1-based line numbers in the original file."""
    return [(paragraph.line + k, line) for k, line in enumerate(paragraph.text.split("\n"))]


def parse_plain(text: str) -> tuple[Paragraph, ...]:
    """Plain text: blank lines separate paragraphs; every other character is kept."""
    return group_lines(list(enumerate(text.split("\n"), start=1)))


def group_lines(lines: list[tuple[int, str | None]]) -> tuple[Paragraph, ...]:
    """Group numbered lines into paragraphs; ``None``, blank or non-consecutive lines break."""
    paragraphs: list[Paragraph] = []
    run: list[str] = []
    first = previous = 0
    for number, line in lines:
        if run and (line is None or not line.strip() or number != previous + 1):
            paragraphs.append(Paragraph("\n".join(run), first))
            run = []
        if line is not None and line.strip():
            if not run:
                first = number
            run.append(line)
            previous = number
    if run:
        paragraphs.append(Paragraph("\n".join(run), first))
    return tuple(paragraphs)


def parse_markdown(text: str) -> tuple[Paragraph, ...]:
    """Markdown: syntax removed, each heading and list item its own paragraph."""
    return group_lines(markdown_lines(text))


TEXT_PARSERS: dict[str, Callable[[str], tuple[Paragraph, ...]]] = {
    "txt": parse_plain,
    "md": parse_markdown,
}


def read_text(text: str, path: str | None = None, fmt: str = "txt") -> Document:
    """Build a Document from already-decoded text in format ``fmt`` (a key of TEXT_PARSERS)."""
    parser = TEXT_PARSERS.get(fmt)
    if parser is None:
        raise InputError(f"unknown text format {fmt!r}", path=path,
                         hint=f"choose one of: {', '.join(TEXT_PARSERS)}")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        what = "empty file" if not text else "the file holds only whitespace"
        raise EmptyInputError(what, path=path, hint="give a file that contains text")
    _check_line_lengths(text, path)
    if "\x00" in text:
        raise FormatError("binary file, not text (it contains NUL characters)", path=path,
                          hint="give a plain-text file")
    paragraphs = parser(text)
    if not paragraphs:
        raise EmptyInputError(f"no text left once the {fmt} markup is removed", path=path,
                              hint="give a file that contains text")
    return Document(paragraphs, path)


def _check_line_lengths(text: str, path: str | None) -> None:
    """Refuse a line longer than MAX_LINE_CHARS, naming it."""
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise InputError(
                f"line {number} has {len(line):,} characters (limit {MAX_LINE_CHARS:,})",
                path=path, hint="this is not running text; split it into lines or paragraphs")


MAX_FILE_BYTES = 512 * 1024 * 1024
"""A larger input is refused before it is read (it would not fit the aligner's memory anyway)."""


def read_bytes(path: str | Path) -> bytes:
    """Read a file's bytes, turning OS errors into InputError with a hint."""
    where = str(path)
    file = Path(path)
    if file.is_dir():
        raise InputError("is a directory, not a file", path=where,
                         hint="give a text file; for many files use: aligner build INPUT... -o DIR")
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"file of {size:,} bytes is over the {MAX_FILE_BYTES:,}-byte limit",
                             path=where, hint="split the document into smaller files")
        return file.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=where, hint="check the path") from None
    except PermissionError:
        raise InputError("permission denied", path=where,
                         hint="check the file's read permission") from None
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror})", path=where) from None


def decode(data: bytes, path: str | None = None, encoding: str | None = None) -> str:
    """Decode ``data``: UTF-8 (with or without BOM) or UTF-16/32 with a BOM; ``encoding`` for
    data that is none of these.

    ``encoding`` is given once for all the inputs (``--encoding``), while usually only one
    file is legacy (an Arabic original in Windows-1256 beside a UTF-8 translation): forcing it
    on the UTF-8 file too turned its accented letters into mojibake without an error. A file
    that is valid UTF-8 is read as UTF-8 (text in a legacy encoding with non-ASCII letters
    almost never is; an ASCII file reads the same either way), and a BOM always wins.

    Binary data raises FormatError; undecodable bytes raise EncodingError naming the likely
    encoding (Windows-1256 for Arabic, Windows-1252 for French) in the hint.
    """
    _reject_known_binary(data, path)
    if encoding is not None:
        _codec(encoding, path)  # a misspelt name is an error whatever the file holds
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_forced(data[len(bom):], path, codec)
    if encoding is not None:
        if b"\x00" not in data:
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                pass
        return _decode_forced(data, path, encoding)
    _reject_nul_bytes(data, path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _not_utf8(data, path, error.start) from None


def _not_utf8(data: bytes, path: str | None, first_bad: int) -> EncodingError:
    """The error for bytes that are not UTF-8: a few bad bytes, or a legacy encoding."""
    bad = data.decode("utf-8", errors="replace").count("\ufffd")
    non_ascii = sum(byte > 127 for byte in data)
    if bad * 100 <= non_ascii:  # mostly valid UTF-8: a damaged file, not another encoding
        line = data.count(b"\n", 0, first_bad) + 1
        return EncodingError(f"not valid UTF-8: {bad} bad byte(s), the first on line {line}",
                             path=path, hint="repair those bytes, or give --encoding NAME")
    name, codec = _guess_legacy_encoding(data)
    return EncodingError(f"not UTF-8 (looks like {name})", path=path,
                         hint=f"try --encoding {codec}")


def _codec(encoding: str, path: str | None) -> str:
    """The codec's canonical name; an unknown name is the user's to fix."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", path=path,
                         hint="use a codec name such as utf-8, cp1256, cp1252, utf-16") from None


def _decode_forced(data: bytes, path: str | None, encoding: str) -> str:
    """Decode with a named codec; an unknown name or a bad byte is the user's to fix."""
    codec = _codec(encoding, path)
    if codec == "utf-8":
        codec = "utf-8-sig"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise EncodingError(f"not valid {encoding} (bad byte at offset {error.start})",
                            path=path, hint="check --encoding, or omit it for UTF-8") from None


def _reject_known_binary(data: bytes, path: str | None) -> None:
    """Raise FormatError when the file starts with the magic number of a binary format."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise FormatError(f"binary file, not text; it looks like {what}", path=path,
                              hint="export it as plain text (.txt)")


def _reject_nul_bytes(data: bytes, path: str | None) -> None:
    """NUL bytes mean binary data, or UTF-16 without a byte-order mark when they are many."""
    nuls = data.count(b"\x00")
    if not nuls:
        return
    codec = _utf16_without_bom(data)
    if codec:
        raise EncodingError(f"not UTF-8 (looks like {codec.upper()} without a byte-order mark)",
                            path=path, hint=f"try --encoding {codec}")
    raise FormatError("binary file, not text (it contains NUL bytes)", path=path,
                      hint="give a plain-text file")


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``data`` decodes as that into text of the scripts
    a document of ours holds (Latin, Arabic, punctuation, spaces), else None.

    Counting NUL bytes is not enough: Arabic letters are U+06xx, so Arabic UTF-16 has NULs only
    in its spaces and digits, and was reported as a binary file."""
    sample = data[:min(len(data), 1 << 16) // 2 * 2]  # the verdict needs no more
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:  # (a surrogate pair cut at the sample's end: not text)
            continue
        usual = sum(ch.isspace() or " " <= ch <= "\u06ff" or "\u2000" <= ch <= "\u206f"
                    or "\ufb50" <= ch <= "\ufeff" for ch in text)
        if text and usual >= 0.95 * len(text):
            return codec
    return None


def _guess_legacy_encoding(data: bytes) -> tuple[str, str]:
    """Tell Windows-1256 Arabic from Windows-1252 French by the non-ASCII letters cp1256 gives.

    cp1256 keeps French accented letters (é, è, à…) at the cp1252 positions, so French text
    decoded with it stays Latin while Arabic text decodes to Arabic letters.
    """
    letters = [ch for ch in data.decode("cp1256", errors="replace") if ord(ch) > 127
               and ch.isalpha()]
    arabic = sum("\u0600" <= ch <= "\u06ff" for ch in letters)
    if letters and arabic * 2 >= len(letters):
        return "Windows-1256", "cp1256"
    return "Windows-1252", "cp1252"


Reader = Callable[[str, str | None], Document]
"""``reader(path, encoding) -> Document``; binary formats ignore ``encoding``."""


def _read_textual(fmt: str) -> Reader:
    """A reader for a text-based format: read bytes, decode, parse with TEXT_PARSERS[fmt]."""
    def read(path: str, encoding: str | None) -> Document:
        return read_text(decode(read_bytes(path), path, encoding), path=path, fmt=fmt)
    return read


READERS: dict[str, Reader] = {"txt": _read_textual("txt"), "md": _read_textual("md")}
SUFFIXES: dict[str, str] = {".txt": "txt", ".md": "md", ".markdown": "md"}


def _read_rich(fmt: str) -> Reader:
    """A reader from ``aligner.formats.<fmt>``, imported on first use (the ``formats`` extra)."""
    def read(path: str, encoding: str | None) -> Document:
        try:
            module = importlib.import_module(f"aligner.formats.{fmt}")
            return module.read(path, encoding)
        except ImportError as error:  # a library of the extra is missing or incomplete
            if error.name and error.name.startswith("aligner"):
                raise
            what = repr(error.name) if error.name else f"({' '.join(str(error).split())})"
            raise InputError(f"reading {fmt} needs a Python package: {what}",
                             path=path, hint="pip install 'aligner[formats]'") from None
    return read


READERS.update({fmt: _read_rich(fmt) for fmt in ("docx", "html", "pdf", "epub")})
SUFFIXES.update({".docx": "docx", ".html": "html", ".htm": "html", ".xhtml": "html",
                 ".pdf": "pdf", ".epub": "epub"})


def read_document(path: str, *, encoding: str | None = None, fmt: str | None = None) -> Document:
    """Read ``path`` into a Document; the format comes from ``fmt`` or the suffix (else txt)."""
    path = str(path)  # a Path works too; errors and Document.path hold a plain string
    fmt = fmt or SUFFIXES.get(Path(path).suffix.lower(), "txt")
    reader = READERS.get(fmt)
    if reader is None:
        raise InputError(f"unknown format {fmt!r}", path=path,
                         hint=f"choose one of: {', '.join(READERS)}")
    return reader(path, encoding)
