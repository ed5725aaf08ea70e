"""Hostile input, bounded: file size, zip bombs, XML entities, in one place for every reader.

- A file larger than ``aligner.readers.MAX_FILE_BYTES`` is refused before it is read.
- Zip archives (docx, epub) are checked on their central directory before anything is
  unpacked: number of members, total declared size, and the compression ratio of each large
  member (a zip bomb is many megabytes of zeros in a few kilobytes). :mod:`zipfile` never
  inflates more than a member's declared size and then checks its CRC, so a member that lies
  about its size fails as a corrupt archive instead of filling memory.
- XML is parsed by lxml with ``resolve_entities=False``, ``no_network=True`` and without
  loading DTDs, and a document whose internal DTD declares entities (billion laughs, external
  entities reading local files) is refused outright: no text format we read needs them.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from aligner.errors import FormatError

MAX_ZIP_MEMBERS = 20_000
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200
"""A member may inflate to at most 200 times its compressed size (text XML reaches ~20)."""
_RATIO_FLOOR = 1024 * 1024  # small members may have any ratio: a run of spaces compresses well

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


def open_zip(data: bytes, path: str, what: str) -> zipfile.ZipFile:
    """Open an in-memory zip archive after checking its declared sizes against the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FormatError(f"not a valid {what} file (not a zip archive)", path=path,
                          hint=f"check that it is a {what}, or convert it again") from None
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise _bomb(path, f"{len(members):,} files inside the archive")
    if sum(info.file_size for info in members) > MAX_UNZIPPED_BYTES:
        raise _bomb(path, "it would unpack to more than "
                          f"{MAX_UNZIPPED_BYTES // 2**20:,} MB")
    for info in members:
        if info.file_size > MAX_MEMBER_BYTES or (
                info.file_size > _RATIO_FLOOR
                and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            raise _bomb(path, f"{info.filename} inflates {info.compress_size:,} bytes to "
                              f"{info.file_size:,}")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, path: str, what: str) -> bytes:
    """One member of a checked archive; a missing or damaged member is a FormatError."""
    try:
        return archive.read(name)
    except KeyError:
        raise FormatError(f"damaged {what}: {name} is missing", path=path,
                          hint="open and save it again in its editor") from None
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError) as error:
        # Bad CRC (a member longer than declared), truncated data, an encrypted member.
        raise FormatError(f"damaged {what}: {name}: {error}", path=path,
                          hint="open and save it again in its editor") from None


def check_no_entities(data: bytes, path: str, name: str | None = None) -> None:
    """Refuse XML (or HTML) that declares entities: ``<!ENTITY`` can only be a declaration.

    In well-formed text content the ``<`` would be escaped, so a literal ``<!ENTITY`` is an
    internal DTD at work (billion laughs, or an external entity reading a local file).
    """
    if _ENTITY_DECL.search(data):
        where = f" ({name})" if name else ""
        raise FormatError(f"the markup{where} declares XML entities, which we refuse "
                          "(entity expansion or external entity attack)", path=path,
                          hint="remove the <!ENTITY> declarations or export the file again")


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          dtd_validation=False, huge_tree=False, recover=True)


def parse_xml(data: bytes, path: str, name: str) -> etree._Element:
    """Parse untrusted XML safely (see the module docstring); a broken file is a FormatError."""
    check_no_entities(data, path, name)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise FormatError(f"{name} is not well-formed XML ({error})", path=path,
                          hint="open and save it again in its editor") from None
    if root is None:
        raise FormatError(f"{name} is not XML", path=path,
                          hint="open and save it again in its editor")
    return root


def _bomb(path: str, why: str) -> FormatError:
    return FormatError(f"refused as a possible zip bomb: {why}", path=path,
                       hint="unpack it yourself if you trust it, and give the text")
